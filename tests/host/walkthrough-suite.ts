// The walkthrough as a learner meets it: a lab folder opens with the lab already there (no
// command run), the learner starts the lab and replays, then opens the walkthrough; its steps
// are checked, and stay checked after a window reload. The outer test (walkthrough.test.ts)
// reads the Welcome page's DOM and reloads the window; this side does the actions.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { driverSignals, EXTENSION_ID, runCases, WALKTHROUGH } from "./harness.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = driverSignals(240_000);
  const afterReload = signals.has("reloading");

  if (!afterReload) {
    await runCases([
      [
        "opening a lab folder activates the lab at once, with no command run",
        async () => {
          assert.equal(vscode.extensions.getExtension(EXTENSION_ID)!.isActive, true, "activated by workspaceContains:idempotency-lab.json");
          const ui = await signals.wait<{ statusBar: string; menu: string[] }>("opened");
          assert.match(ui.statusBar, /Lab: stopped/);
          // The likely next action is first and preselected: Start, never Stop.
          assert.match(ui.menu[0]!, /Start Lab/);
          assert.match(ui.menu[1]!, /Start Lab/);
        },
      ],
      [
        "after Start Lab and a replay, done before the walkthrough is opened, its first three steps are checked",
        async () => {
          await vscode.commands.executeCommand(COMMANDS.start, { folder });
          await vscode.commands.executeCommand(COMMANDS.replay, { scenario: "duplicates-in-a-row", count: 2 });
          await vscode.commands.executeCommand("workbench.action.openWalkthrough", WALKTHROUGH, false);
          signals.send("walkthrough-open");
          const steps = await signals.wait<Record<string, boolean>>("steps");
          assert.deepEqual(steps, { scaffold: true, start: true, replay: true, predict: false, validate: false, exercise: false });
          const menu = await signals.wait<string[]>("menu-ready");
          assert.match(menu[0]!, /Open Lab Panel/, "a running lab's menu preselects Open Lab Panel");
          assert.match(menu.at(-1)!, /Stop Lab/, "and puts Stop last");
          await vscode.commands.executeCommand(COMMANDS.stop, { folder });
          signals.send("reloading");
        },
      ],
    ]);
    // The outer test reloads the window now; this extension host goes with it.
    await new Promise(() => {});
  }
  await runCases([
    [
      "after a window reload the same steps are still checked",
      async () => {
        await vscode.commands.executeCommand("workbench.action.openWalkthrough", WALKTHROUGH, false);
        signals.send("walkthrough-open-again");
        const steps = await signals.wait<Record<string, boolean>>("steps-again");
        assert.deepEqual(steps, { scaffold: true, start: true, replay: true, predict: false, validate: false, exercise: false });
      },
    ],
  ]);
}
