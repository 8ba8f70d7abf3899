// In an untrusted workspace the extension starts, installs, runs and signals nothing, and says
// why. The folder brings a planted node_modules/vitest (the outer test put it there) and, here,
// a forged .lab/stack.json naming a live process. The first part of security-suite.ts.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { workspacePaths } from "../../src/lab/paths.js";
import type { LabTests } from "../../src/extension/test-explorer.js";
import { EXTENSION_ID, isAlive, type Case } from "./harness.js";

/** The checks while the folder is untrusted. */
export function untrustedCases(folder: vscode.Uri): Case[] {
  const paths = workspacePaths(folder.fsPath);
  const plantedRan = join(folder.fsPath, "PLANTED-CODE-RAN");
  return [
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
        assert.ok(!existsSync(paths.state), "no state file: nothing was started");
        assert.ok(!existsSync(join(paths.nodeModules, "@restatedev")), "nothing was installed");
      },
    ],
    [
      "the status bar still says stopped",
      async () => {
        const bar = await vscode.commands.executeCommand<{ text: string }>(COMMANDS.statusMenu, { peek: true });
        assert.match(bar.text, /Lab: stopped/);
      },
    ],
    [
      "Stop Lab and Reset Lab State refuse, and a process named in a forged stack.json stays alive",
      async () => {
        const decoy = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", paths.workspace], { stdio: "ignore" });
        await once(decoy, "spawn");
        try {
          mkdirSync(paths.lab, { recursive: true });
          const forged = JSON.stringify({ version: 1, supervisor: { pid: decoy.pid, marker: "" }, processes: { restate: { pid: decoy.pid, marker: "" } } });
          writeFileSync(paths.state, forged);
          for (const command of [COMMANDS.stop, COMMANDS.resetLabState]) {
            const result = await vscode.commands.executeCommand<{ code: string }>(command, { folder, confirmed: true });
            assert.equal(result.code, "untrusted", command);
          }
          assert.ok(isAlive(decoy.pid!), "the process is alive");
          assert.equal(readFileSync(paths.state, "utf8"), forged, "the file is as it was");
        } finally {
          decoy.kill("SIGKILL");
          rmSync(paths.state, { force: true }); // the trusted part forges its own
        }
      },
    ],
    [
      "the Test Explorer shows the lab's items as needing trust, and running them runs none of the workspace's code",
      async () => {
        const api = vscode.extensions.getExtension(EXTENSION_ID)!;
        await api.activate();
        const tests = (api.exports as { tests: LabTests }).tests;
        tests.discover();
        const validation = tests.controller.items.get("validation")!;
        const exercises = tests.controller.items.get("exercises")!;
        const exercise = [...collect(exercises)][0]!;
        const scenario = [...collect(validation)][0]!;
        assert.match(exercise.description ?? "", /Needs a trusted workspace/);
        assert.match(scenario.description ?? "", /Needs a trusted workspace/);
        await tests.run(new vscode.TestRunRequest([exercise, scenario]), new vscode.CancellationTokenSource().token);
        assert.ok(!existsSync(plantedRan), "the planted node_modules/vitest did not run");
        for (const item of [exercise, scenario]) {
          const result = tests.lastResults.get(item.id);
          assert.equal(result?.passed, false, item.id);
          assert.match(result?.message ?? "", /Needs a trusted workspace/, item.id);
        }
      },
    ],
  ];
}

export function collect(item: vscode.TestItem): vscode.TestItem[] {
  const out: vscode.TestItem[] = [];
  item.children.forEach((child) => out.push(child));
  return out;
}
