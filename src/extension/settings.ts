// The extension's settings, read into the engine's options. The existing Restate (URLs and
// token) is read by existing-restate.ts, which asks before using URLs a workspace set.
import * as vscode from "vscode";
import type { UpOptions } from "../lab/stack.js";
import type { PanelSettings } from "../shared/protocol.js";

export const SECTION = "idempotencyLab";

export function upOptions(folder: vscode.Uri): Omit<UpOptions, "onProgress" | "signal" | "existingRestate"> {
  const config = vscode.workspace.getConfiguration(SECTION, folder);
  // Executables come from the user's settings only (the manifest scopes them "machine"; read
  // the user's value explicitly so that no workspace file can name what the lab runs).
  const text = (key: string) => (config.inspect<string>(key)?.globalValue ?? "").trim() || undefined;
  const port = (key: string) => config.get<number>(`ports.${key}`);
  return {
    nodePath: text("nodePath"),
    restateServerPath: text("restateServerPath"),
    ports: {
      ingress: port("ingress"),
      admin: port("admin"),
      service: port("service"),
      gateway: port("gateway"),
    },
  };
}

/** The lab panel's settings, as the webview gets them. */
export function panelSettings(): PanelSettings {
  return { predictBeforeRun: vscode.workspace.getConfiguration(SECTION).get<boolean>("predictBeforeRun", true) };
}
