// The panel's states and a learner's path in one window (a VS Code launch is 10-15 s of the lane
// and ~12 CPU-s), each group of cases in the file that names it, in the order their conditions
// allow: the states (states-suite.ts: the first open before the lab starts, then each theme's
// forms, runs and stopped run), the learner's path (panel-ux-suite.ts: the panel closed, then the
// keyboard's run, the looks, Open Panel on the notifications), and Stop Lab with its last run on
// screen. The drivers (panel-states.test.ts) click in the webview and read it.
import * as vscode from "vscode";
import { driverSignals, runCases } from "./harness.js";
import { panelUxCases } from "./panel-ux-suite.js";
import { statesCases, stoppedLabCase } from "./states-suite.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  // A deadline, not a measure: each theme's states take three runs, one of them 10,000 requests long.
  const signals = driverSignals(600_000);
  await runCases([...statesCases(folder, signals), ...panelUxCases(folder, signals), stoppedLabCase(folder, signals)]);
}
