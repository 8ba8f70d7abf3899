// The anti-pattern "charge outside ctx.run" in the panel, in one window (a VS Code launch is 10-15 s
// of the lane): this side starts the lab and opens the panel; then the attempts and predictions
// (lessons-suite.ts: first, while the history holds none of the scenario's runs) and the code
// block and its causes (code-suite.ts), each checking what its driver read.
import * as vscode from "vscode";
import type { RunningStack } from "../../src/lab/stack.js";
import { codeCases } from "./code-suite.js";
import { driverSignals, openPanelCase, runCases, stopLabCase } from "./harness.js";
import { lessonsCases } from "./lessons-suite.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = driverSignals();
  let stack: RunningStack | undefined;
  await runCases([
    openPanelCase(folder, signals, (started) => (stack = started)),
    ...lessonsCases(folder, signals, () => stack!),
    ...codeCases(folder, signals),
    stopLabCase(folder),
  ]);
}
