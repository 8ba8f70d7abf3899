// A lab folder from someone else in one window, as a user meets it: untrusted first (it runs and
// signals nothing: untrusted-suite.ts), then trusted in the workbench (trusted-suite.ts: its forged
// files and settings still decide nothing the user did not confirm). The driver (security.test.ts)
// clicks Trust and answers the confirmation dialog.
import * as vscode from "vscode";
import { driverSignals, runCases } from "./harness.js";
import { grantTrustCase, trustedCases } from "./trusted-suite.js";
import { untrustedCases } from "./untrusted-suite.js";

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  await runCases([...untrustedCases(folder), grantTrustCase(driverSignals()), ...trustedCases(folder)]);
}
