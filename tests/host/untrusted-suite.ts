// In an untrusted workspace the extension starts and installs nothing, and says why.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/command-ids.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { runCases } from "./harness.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  await runCases([
    [
      "the workspace is untrusted",
      async () => {
        assert.equal(vscode.workspace.isTrusted, false);
      },
    ],
    [
      "Start Lab, Restart Lab and Replay refuse, explain why, and start nothing",
      async () => {
        for (const command of [COMMANDS.start, COMMANDS.restart, COMMANDS.replay]) {
          const result = await vscode.commands.executeCommand<{ error: string; code: string }>(command, { folder, scenario: "duplicates-in-a-row" });
          assert.equal(result.code, "untrusted", command);
          assert.match(result.error, /not trusted/);
        }
        assert.ok(!existsSync(workspacePaths(folder.fsPath).state), "no state file: nothing was started");
        assert.ok(!existsSync(workspacePaths(folder.fsPath).nodeModules), "nothing was installed");
      },
    ],
    [
      "the status bar still says stopped",
      async () => {
        const bar = await vscode.commands.executeCommand<{ text: string }>(COMMANDS.statusMenu, { peek: true });
        assert.match(bar.text, /Lab: stopped/);
      },
    ],
  ]);
}
