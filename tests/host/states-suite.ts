// The lab panel's states (issue 23), the VS Code side: the panel opened before the lab starts, then
// Start Lab and, in the light, dark and high-contrast themes in turn, the states the driver
// (states-driver.ts) brings about and photographs; and, the last case of the window, Stop Lab with a
// run on screen. The driver sends back what it found wrong in each, checked here.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { listRuns, loadRun } from "../../src/lab/history.js";
import { isChaosRecord, STOPPED_BY_LEARNER } from "../../src/shared/protocol.js";
import { closeSideBars, setTheme, shotInTheme, startLab, THEMES, type Case, type DriverSignals } from "./harness.js";

/** What the driver found wrong in a state (an empty list: nothing). */
export interface StateShot {
  error?: string;
  problems: string[];
}

async function seen(signals: DriverSignals, name: string): Promise<void> {
  const shot = await signals.wait<StateShot>(name);
  assert.equal(shot.error, undefined, shot.error);
  assert.deepEqual(shot.problems, []);
}

/** The first cases of the window: the panel before the lab starts, Start Lab, then the three themes' states. */
export function statesCases(folder: vscode.Uri, signals: DriverSignals): Case[] {
  return [
    [
      "first open: the panel before the lab starts says the lab is stopped and there is no run yet",
      async () => {
        await setTheme("light");
        assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
        await closeSideBars();
        await vscode.commands.executeCommand("workbench.action.closePanel");
        signals.send("panel-open");
        await seen(signals, "first-open");
      },
    ],
    [
      "Start Lab",
      async () => {
        await startLab(folder);
        signals.send("lab-ready");
      },
    ],
    ...(Object.keys(THEMES) as Array<keyof typeof THEMES>).map((theme): Case => [
      `in the ${theme} theme: the forms, a run in progress, a stopped run, a prediction the run did not match, a 100-lane burst`,
      async () => {
        const before = listRuns(folder.fsPath).length;
        const shot = await shotInTheme<StateShot>(signals, theme);
        assert.equal(shot.error, undefined, shot.error);
        assert.deepEqual(shot.problems, []);
        // The driver's three runs are in the history: the stopped one as a partial run the learner stopped.
        const runs = listRuns(folder.fsPath);
        assert.equal(runs.length, before + 3);
        const partial = runs
          .slice(0, 3)
          .map((r) => loadRun(folder.fsPath, r.runId)!)
          .filter((r) => !isChaosRecord(r) && r.result.incomplete !== undefined);
        assert.equal(partial.length, 1, "one partial run of the three");
        const incomplete = partial[0]!.result.incomplete!;
        assert.equal(incomplete.reason, STOPPED_BY_LEARNER);
        assert.equal(incomplete.planned, 10_000);
        assert.ok(incomplete.sent < 10_000, `${incomplete.sent} sent`);
      },
    ]),
  ];
}

/** The window's last case: Stop Lab with the latest run on screen; the default theme back. */
export function stoppedLabCase(folder: vscode.Uri, signals: DriverSignals): Case {
  return [
    "Stop Lab: the panel says the lab is stopped, the last run still on screen",
    async () => {
      await setTheme("light");
      await vscode.commands.executeCommand(COMMANDS.stop, { folder });
      signals.send("lab-stopped", { runId: listRuns(folder.fsPath)[0]!.runId });
      await seen(signals, "stopped-lab");
      await setTheme(undefined);
    },
  ];
}
