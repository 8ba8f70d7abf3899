import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { CONTEXT_KEYS } from "../../src/shared/protocol.js";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  activationEvents: string[];
  extensionKind: string[];
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
  contributes: {
    configuration: { properties: Record<string, { scope?: string; markdownDeprecationMessage?: string }> };
    commands: Array<{ command: string; category: string }>;
    walkthroughs: Array<{ steps: Array<{ description: string; media: { markdown: string }; completionEvents: string[] }> }>;
  };
};

describe("package.json", () => {
  it("contributes exactly the commands listed in command-ids.ts, all under one category", () => {
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
    expect(new Set(manifest.contributes.commands.map((c) => c.category))).toEqual(new Set(["Idempotency Lab"]));
  });

  it("activates only through its own contributions and runs where the workspace is", () => {
    // Commands activate it implicitly; the panel's serializer needs its own event to restore after a reload.
    // And a lab folder activates it, so the lab shows at once (status bar, Test Explorer, CodeLens).
    expect(manifest.activationEvents).toEqual(["onWebviewPanel:idempotencyLab.panel", "workspaceContains:idempotency-lab.json"]);
    expect(manifest.extensionKind).toEqual(["workspace"]);
  });
});

describe("settings a workspace must not decide", () => {
  const properties = manifest.contributes.configuration.properties;

  it("executables are machine settings, and restricted in untrusted workspaces", () => {
    for (const key of ["idempotencyLab.nodePath", "idempotencyLab.restateServerPath"]) {
      expect(properties[key]!.scope, key).toBe("machine");
      expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain(key);
    }
  });

  it("the existing Restate's URLs are restricted; its old token setting is machine-only and deprecated", () => {
    for (const key of ["enabled", "adminUrl", "ingressUrl", "authHeader"]) {
      expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain(`idempotencyLab.existingRestate.${key}`);
    }
    const header = properties["idempotencyLab.existingRestate.authHeader"]!;
    expect(header.scope).toBe("machine");
    expect(header.markdownDeprecationMessage).toMatch(/Set Restate Token/);
  });
});

describe("the walkthrough", () => {
  it("links only to commands that exist, has its media, and completes each step by a real action", () => {
    const steps = manifest.contributes.walkthroughs[0]!.steps;
    expect(steps.length).toBe(6);
    for (const step of steps) {
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        if (command!.startsWith("idempotencyLab.")) expect(Object.values(COMMANDS)).toContain(command);
      }
      expect(existsSync(new URL(`../../${step.media.markdown}`, import.meta.url))).toBe(true);
      expect(step.completionEvents.length).toBeGreaterThan(0);
      for (const event of step.completionEvents) {
        // A context key the extension sets (CONTEXT_KEYS), or a command it contributes.
        const [kind, name] = event.split(":") as [string, string];
        expect(kind === "onContext" ? Object.values(CONTEXT_KEYS) : Object.values(COMMANDS), event).toContain(name);
      }
    }
  });
});
