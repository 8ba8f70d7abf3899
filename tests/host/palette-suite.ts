// The learner's path through the command palette, then the lab panel (suite.ts runs these cases
// on a stopped lab, in the window of its other cases): the outer test's Playwright driver types
// the commands (Start Lab, Replay Duplicates) into the real workbench once this side says the lab
// is stopped; this side checks the lab from the extension host and stops it. Then this side starts
// the lab again and opens the panel; the driver clicks in the webview (concurrent burst, then an
// anti-pattern) and reads the verdicts and charges, which this side checks against the gateway's
// ledger.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import type { LabSession } from "../../src/extension/lab-session.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { listRuns, loadRun } from "../../src/lab/history.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { closeSideBars, EXTENSION_ID, gatewayLedger, shotInTheme, startLab, stopLabCase, type Case, type DriverSignals } from "./harness.js";

interface Seen {
  verdict: string;
  charges: string;
  requests: string;
}

/** The palette's and the panel's cases, on the stopped lab in `folder`. */
export function paletteCases(folder: vscode.Uri, signals: DriverSignals): Case[] {
  let stack: RunningStack;
  const ledgerLines = () => {
    const file = workspacePaths(folder.fsPath).ledger;
    return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean).length : 0;
  };
  let linesBefore = 0;
  return [
    [
      "the lab stopped: the driver may type into the palette",
      async () => {
        const session = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { session: LabSession }).session;
        assert.equal(session.state.kind, "stopped");
        linesBefore = ledgerLines();
        // A window as a learner opens it: the earlier cases' editors closed. With the walkthrough
        // in front, it moved to its next step when the lab started and took the focus from the
        // count box (2 runs of 5 here).
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
        signals.send("palette-ready");
      },
    ],
    [
      "from the palette: Start Lab, then Replay Duplicates with its defaults, gives a safe verdict and one charge",
      async () => {
        const ui = await signals.wait<{ ready: string; verdict: string; error?: string }>("ui-done");
        assert.equal(ui.error, undefined, ui.error);
        assert.match(ui.ready, /Lab: ready :\d+/);
        assert.match(ui.verdict, /Duplicates in a row: safe\. 5 requests, 1 invocation, 1 charge in the gateway's ledger/);
        const session = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { session: LabSession }).session;
        assert.equal(session.state.kind, "ready");
        assert.equal(ledgerLines() - linesBefore, 1, "one charge more in the ledger file");
      },
    ],
    [
      "Stop Lab",
      async () => {
        await vscode.commands.executeCommand(COMMANDS.stop, { folder });
        assert.ok(!existsSync(workspacePaths(folder.fsPath).state));
      },
    ],
    // The lab panel, on the lab started again.
    [
      "Open Lab Panel shows the webview on a running lab",
      async () => {
        stack = await startLab(folder);
        assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
        // The panel as the screenshots show it: what the window's earlier cases opened put away.
        await closeSideBars();
        await vscode.commands.executeCommand("workbench.action.closePanel");
        await vscode.commands.executeCommand("notifications.hideList");
        signals.send("panel-open");
      },
    ],
    [
      "the panel's concurrent burst and anti-pattern runs show the ledger's charges",
      async () => {
        const ui = await signals.wait<{ burst?: Seen; anti?: Seen; error?: string }>("panel-done");
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
  ];
}
