import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/command-ids.js";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  activationEvents: string[];
  extensionKind: string[];
  contributes: { commands: Array<{ command: string; category: string }> };
};

describe("package.json", () => {
  it("contributes exactly the commands listed in command-ids.ts, all under one category", () => {
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
    expect(new Set(manifest.contributes.commands.map((c) => c.category))).toEqual(new Set(["Idempotency Lab"]));
  });

  it("activates only through its own contributions and runs where the workspace is", () => {
    // Commands activate it implicitly; the panel's serializer needs its own event to restore after a reload.
    expect(manifest.activationEvents).toEqual(["onWebviewPanel:idempotencyLab.panel"]);
    expect(manifest.extensionKind).toEqual(["workspace"]);
  });
});
