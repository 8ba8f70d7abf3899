// The learner's path through the command palette: the outer test's Playwright driver types
// the commands (Start Lab, Replay Duplicates) into the real workbench; this side waits for
// it, checks the lab from the extension host, and stops the lab afterwards.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import type { LabSession } from "../../src/extension/lab-session.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { driverSignals, EXTENSION_ID, runCases } from "./harness.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = driverSignals(240_000);
  await runCases([
    [
      "from the palette: Start Lab, then Replay Duplicates with its defaults, gives a safe verdict and one charge",
      async () => {
        const ui = await signals.wait<{ ready: string; verdict: string; error?: string }>("ui-done");
        assert.equal(ui.error, undefined, ui.error);
        assert.match(ui.ready, /Lab: ready :\d+/);
        assert.match(ui.verdict, /Duplicates in a row: safe\. 5 requests, 1 invocation, 1 charge in the gateway's ledger/);
        const session = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { session: LabSession }).session;
        assert.equal(session.state.kind, "ready");
        const ledger = readFileSync(workspacePaths(folder.fsPath).ledger, "utf8").trim().split("\n");
        assert.equal(ledger.length, 1, "one charge in the ledger file");
      },
    ],
    [
      "Stop Lab",
      async () => {
        await vscode.commands.executeCommand(COMMANDS.stop, { folder });
        assert.ok(!existsSync(workspacePaths(folder.fsPath).state));
      },
    ],
  ]);
}
