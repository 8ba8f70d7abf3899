// The inspector's journal end to end: this side starts the lab and opens the panel; the outer
// test's Playwright driver (journal.test.ts) runs the anti-pattern "charge outside ctx.run" (its
// handler runs twice: the gateway's answer is lost, the retry charges again), opens the inspector
// and clicks an attempt's code link; this side checks what it read against the run record and
// the journal Restate holds now.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { listRuns, loadRun } from "../../src/lab/history.js";
import { journalOf } from "../../src/lab/replay/journal.js";
import type { RunningStack } from "../../src/lab/stack.js";
import type { Case, DriverSignals } from "./harness.js";

export const ANTI = "anti-pattern-charge-outside-run";

/** What the driver read from the webview. */
export interface JournalSeen {
  error?: string;
  invocationId: string;
  /** Each journal row: index, type, name, meaning, value (as shown). */
  rows: Array<{ index: string; type: string; name: string; meaning: string; value: string }>;
  attemptLinks: number;
  legend: string[];
  /** After the first attempt's code link: the charge line highlighted, in view, not under the tab bar. */
  chargeLine: { highlighted: boolean; inView: boolean; top: number; tabsBottom: number };
  /** The lowest contrast of the red "in no journal entry" mark in the ledger. */
  redContrast: number;
}

/** The inspector's cases, on the running lab `stack()` (panel-views-suite.ts runs them). */
export function journalCases(folder: vscode.Uri, signals: DriverSignals, stack: () => RunningStack): Case[] {
  return [
    [
      "the inspector's journal says what each entry means, as Restate's journal holds it, and an attempt's code link shows the charge line",
      async () => {
        const ui = await signals.wait<JournalSeen>("journal-done");
        assert.equal(ui.error, undefined, ui.error);
        const summary = listRuns(folder.fsPath).find((r) => r.scenario === ANTI);
        assert.ok(summary, "the run is in the history");
        const record = loadRun(folder.fsPath, summary.runId)!;
        const inv = (record.result.attempts ?? [])[0];
        assert.ok(inv, "Restate's records hold the invocation");
        assert.equal(inv.attempts.length, 2, "the handler ran twice");
        assert.equal(ui.invocationId, inv.invocationId);

        // The journal as Restate holds it now, read the way the extension reads it.
        const journal = await journalOf(stack().urls.admin, inv.invocationId);
        assert.deepEqual(
          ui.rows.map((r) => [r.index, r.type, r.name === "—" ? "" : r.name]),
          journal.map((e) => [String(e.index), e.type, e.name]),
        );
        // Each ctx.run result: named after its step, found through its command's completion id.
        const results = journal.filter((e) => e.type === "Notification: Run");
        assert.ok(results.length > 0, `a ctx.run result in the journal: ${journal.map((e) => e.type).join(", ")}`);
        for (const result of results) {
          const command = journal.find((e) => e.type === "Command: Run" && e.completionId === result.completionId);
          assert.ok(command, `the command of the Run notification at ${result.index}`);
          const step = command.name ? `ctx.run '${command.name}'` : "ctx.date";
          const row = ui.rows.find((r) => r.index === String(result.index))!;
          assert.equal(row.meaning, `${step} result stored`);
          assert.ok(result.value !== undefined && row.value !== "—", `the value of the result at ${result.index}`);
        }
        assert.ok(
          ui.rows.some((r) => r.meaning === "ctx.run 'send receipt' result stored"),
          ui.rows.map((r) => r.meaning).join(" | "),
        );
        assert.equal(ui.rows.find((r) => r.type === "Command: Input")?.meaning, "input received (the request)");
        // The handler's ctx.set("payment", …): the state key comes from entry_json.
        const set = journal.find((e) => e.type === "Command: SetState");
        assert.equal(set?.stateKey, "payment");
        assert.equal(ui.rows.find((r) => r.index === String(set?.index))?.meaning, "state 'payment' written");

        assert.equal(ui.attemptLinks, 2, "a code link per attempt");
        assert.ok(ui.chargeLine.highlighted, "the charge line is highlighted");
        assert.ok(ui.chargeLine.inView, `the charge line is in view: ${JSON.stringify(ui.chargeLine)}`);
        assert.ok(ui.chargeLine.top >= ui.chargeLine.tabsBottom, `the charge line is not under the tab bar: ${JSON.stringify(ui.chargeLine)}`);
        assert.ok(ui.redContrast >= 4.5, `red words have contrast ${ui.redContrast.toFixed(2)}:1`);
      },
    ],
  ];
}
