// The lab panel end to end: this side starts the lab and opens the panel; the outer test's
// Playwright driver clicks in the webview (concurrent burst, then an anti-pattern) and reads
// the verdict and charges from its DOM; this side checks those against the gateway's ledger.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { listRuns, loadRun } from "../../src/lab/history.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { driverSignals, gatewayLedger, runCases, shotInTheme, startLab, stopLabCase } from "./harness.js";

interface Seen {
  verdict: string;
  charges: string;
  requests: string;
}

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  const signals = driverSignals();
  let stack: RunningStack;

  await runCases([
    [
      "Open Lab Panel shows the webview on a running lab",
      async () => {
        stack = await startLab(folder);
        assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
        signals.send("panel-open");
      },
    ],
    [
      "the panel's concurrent burst and anti-pattern runs show the ledger's charges",
      async () => {
        const ui = await signals.wait<{ burst?: Seen; anti?: Seen; error?: string }>("ui-done");
        assert.equal(ui.error, undefined, ui.error);
        const history = listRuns(folder.fsPath);
        const burst = loadRun(folder.fsPath, history.find((r) => r.scenario === "concurrent-burst")!.runId)!;
        const anti = loadRun(folder.fsPath, history.find((r) => r.scenario === "anti-pattern-charge-outside-run")!.runId)!;
        for (const [seen, run, expected] of [
          [ui.burst!, burst, { verdict: "safe", charges: 1 }],
          [ui.anti!, anti, { verdict: "unsafe", charges: 2 }],
        ] as const) {
          const ledger = await gatewayLedger(stack, run.result.paymentIds[0]!);
          const charges = ledger.filter((e) => e.type === "charge").length;
          assert.equal(charges, expected.charges, `${run.result.id}: the ledger`);
          assert.equal(seen.verdict.trim(), expected.verdict, `${run.result.id}: the verdict in the panel`);
          assert.equal(Number(seen.charges), charges, `${run.result.id}: the charges in the panel match the ledger`);
          assert.equal(Number(seen.requests), run.result.requests);
        }
        assert.ok(burst.result.requests >= 100);
      },
    ],
    [
      "dark theme for the second screenshot",
      async () => {
        await shotInTheme(signals, "dark");
      },
    ],
    stopLabCase(folder),
  ]);
}
