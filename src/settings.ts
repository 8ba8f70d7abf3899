// The extension's settings, read into the engine's options.
import * as vscode from "vscode";
import type { UpOptions } from "./lab/stack.js";
import type { ExistingRestate } from "./lab/supervisor.js";

export const SECTION = "idempotencyLab";

export function upOptions(folder: vscode.Uri): Omit<UpOptions, "onProgress" | "signal"> {
  const config = vscode.workspace.getConfiguration(SECTION, folder);
  const text = (key: string) => (config.get<string>(key) ?? "").trim() || undefined;
  const port = (key: string) => config.get<number>(`ports.${key}`);
  return {
    nodePath: text("nodePath"),
    restateServerPath: text("restateServerPath"),
    existingRestate: existingRestate(folder),
    ports: {
      ingress: port("ingress"),
      admin: port("admin"),
      service: port("service"),
      gateway: port("gateway"),
    },
  };
}

export function existingRestate(folder: vscode.Uri): ExistingRestate | undefined {
  const config = vscode.workspace.getConfiguration(SECTION, folder);
  if (!config.get<boolean>("existingRestate.enabled")) return undefined;
  const header = (config.get<string>("existingRestate.authHeader") ?? "").trim();
  return {
    admin: (config.get<string>("existingRestate.adminUrl") ?? "").trim(),
    ingress: (config.get<string>("existingRestate.ingressUrl") ?? "").trim(),
    headers: header ? { authorization: header } : undefined,
  };
}
