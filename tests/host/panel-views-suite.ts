// The panel's views in one window (a VS Code launch is 10-15 s of the lane and ~20 CPU-s), each
// group of cases in the file that names it, in an order their histories allow: the layout before
// and after a first run (layout-suite.ts: the catalog before any run, and its run the only one),
// the anti-pattern's attempts and predictions (lessons-suite.ts: while the history holds none of
// its runs), the code block and its causes (code-suite.ts), the run view's why (run-why-suite.ts),
// the inspector's journal (journal-suite.ts: the newest anti-pattern run is its own), and the
// chaos runs (chaos-suite.ts: the only chaos runs in the history). This side
// starts the lab and opens the panel; the outer test's drivers (panel-views.test.ts) click in the
// webview and read it; the cases check what they read against the lab's records.
import * as vscode from "vscode";
import type { RunningStack } from "../../src/lab/stack.js";
import { chaosCases } from "./chaos-suite.js";
import { codeCases } from "./code-suite.js";
import { driverSignals, openPanelCase, panelAloneAgainCase, runCases, stopLabCase } from "./harness.js";
import { journalCases } from "./journal-suite.js";
import { layoutCases } from "./layout-suite.js";
import { lessonsCases } from "./lessons-suite.js";
import { runWhyCases } from "./run-why-suite.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  // Deadlines, not measures: the chaos shrink (up to 8 runs) comes before its themes' screenshots.
  const signals = driverSignals(600_000);
  let stack: RunningStack | undefined;
  await runCases([
    openPanelCase(folder, signals, (started) => (stack = started)),
    ...layoutCases(folder, signals),
    ...lessonsCases(folder, signals, () => stack!),
    ...codeCases(folder, signals),
    // The code's last case opened a file beside the panel.
    panelAloneAgainCase("the run view", signals, "why-panel-open"),
    ...runWhyCases(folder, signals, () => stack),
    ...journalCases(folder, signals, () => stack!),
    ...chaosCases(folder, signals, () => stack!),
    stopLabCase(folder),
  ]);
}
