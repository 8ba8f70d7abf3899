// The panel's views in one window (a VS Code launch is 10-15 s of the lane), each group of
// cases in the file that names it: the layout before and after a first run (layout-suite.ts),
// the run view's why (run-why-suite.ts), the inspector's journal (journal-suite.ts). This side
// starts the lab and opens the panel; the outer test's drivers (panel-views.test.ts) click in
// the webview and read it; the cases check what they read against the lab's records.
import * as vscode from "vscode";
import type { RunningStack } from "../../src/lab/stack.js";
import { driverSignals, openPanelCase, runCases, stopLabCase } from "./harness.js";
import { journalCases } from "./journal-suite.js";
import { layoutCases } from "./layout-suite.js";
import { runWhyCases } from "./run-why-suite.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = driverSignals(300_000);
  let stack: RunningStack | undefined;
  await runCases([
    openPanelCase(folder, signals, (started) => (stack = started)),
    // First: the layout checks the catalog before any run, and that its run is the only one.
    ...layoutCases(folder, signals),
    ...runWhyCases(folder, signals, () => stack),
    ...journalCases(folder, signals, () => stack!),
    stopLabCase(folder),
  ]);
}
