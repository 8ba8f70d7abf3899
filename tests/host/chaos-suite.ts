// The panel's chaos run end to end (panel-views-suite.ts runs these cases last in the panel's
// window): this side brings the panel back alone and switches themes; the outer test's Playwright
// driver (chaos-driver.ts) runs seeded chaos runs from the webview and reads its DOM; this side
// checks what it read against the record the panel kept and the gateway's own ledger. Signals
// carry a "chaos-" prefix where the lessons' have the plain names.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { listRuns, loadRecord } from "../../src/lab/history.js";
import type { RunningStack } from "../../src/lab/stack.js";
import { violationChains } from "../../src/shared/chaos-chain.js";
import { isChaosRecord, type ChaosRunRecord } from "../../src/shared/protocol.js";
import { shortId } from "../../src/webview/ui/format.js";
import { gatewayLedger, panelAloneAgainCase, setTheme, shotInTheme, type Case, type DriverSignals } from "./harness.js";

/** What the driver read from the chaos result on screen. */
export interface ChaosSeen {
  error?: string;
  verdict: string;
  expected: string;
  seed: string;
  invariants: Array<{ name: string; holds: string; violations: string }>;
  payments: Array<{ paymentId: string; charges: string; broken: string }>;
  faults: Array<{ kind: string; state: string; text: string }>;
  markers: number;
  /** The verdict was in view without scrolling (1600x1000). */
  verdictInView: boolean;
  violation?: { title: string; paymentId: string; events: Array<{ kind: string; text: string }> };
  /** Each violating payment's causal chain, as shown ("How it happened"). */
  chains?: Array<{ paymentId: string; steps: string[] }>;
  /** The charges card is marked broken (red). */
  chargesCardRed?: boolean;
  /** The opened payment row's history. */
  opened?: { paymentId: string; events: Array<{ kind: string; text: string }> };
}

/** The chaos cases, on the running lab `stack()` whose panel is open (perhaps beside other editors). */
export function chaosCases(folder: vscode.Uri, signals: DriverSignals, stack: () => RunningStack): Case[] {
  /** The chaos runs the panel kept, newest first. */
  const chaosRuns = (): ChaosRunRecord[] =>
    listRuns(folder.fsPath)
      .filter((r) => r.kind === "chaos")
      .map((r) => loadRecord(folder.fsPath, r.runId))
      .filter((r): r is ChaosRunRecord => r !== undefined && isChaosRecord(r));
  const ledgerOf = async (paymentId: string) => (await gatewayLedger(stack(), paymentId)).filter((e) => e.paymentId === paymentId);

  /** What the panel showed is the record's: verdict, invariants, payments and the schedule. */
  const sameAsRecord = (ui: ChaosSeen, record: ChaosRunRecord) => {
    const c = record.chaos;
    assert.equal(ui.verdict, c.verdict);
    assert.equal(ui.seed, String(c.seed));
    assert.deepEqual(
      ui.invariants,
      c.invariants.map((i) => ({ name: i.name, holds: String(i.holds), violations: String(i.violations) })),
    );
    assert.deepEqual(ui.payments.map((p) => p.paymentId).sort(), c.payments.map((p) => p.paymentId).sort(), "a row per payment");
    for (const p of c.payments)
      assert.deepEqual(
        ui.payments.find((x) => x.paymentId === p.paymentId),
        { paymentId: p.paymentId, charges: String(p.charges), broken: p.broken.join("|") },
      );
    assert.deepEqual(
      ui.faults.map((f) => [f.kind, f.state]),
      c.schedule.map((f) => [f.kind, f.applied === null ? "not-reached" : f.applied.ok ? "applied" : "failed"]),
    );
    assert.equal(ui.markers, c.schedule.length, "a marker per fault on the fault lane");
  };

  return [
    panelAloneAgainCase("the chaos runs", signals, "chaos-panel-open"),
    [
      "a seeded chaos run against PaymentService from the panel: every invariant holds and the verdict is safe, as the record and the gateway's ledger say",
      async () => {
        const ui = await signals.wait<ChaosSeen>("ui-safe");
        assert.equal(ui.error, undefined, ui.error);
        const [record] = chaosRuns();
        assert.ok(record, "the chaos run is in the history");
        assert.deepEqual(record.request, { seed: 7, payments: 6, duplicates: 3, durationS: 10, target: "PaymentService" });
        sameAsRecord(ui, record);
        assert.equal(ui.verdict, "safe");
        assert.match(ui.expected, /^As expected: every invariant held/);
        assert.ok(ui.invariants.length >= 5 && ui.invariants.every((i) => i.holds === "true" && i.violations === "0"), JSON.stringify(ui.invariants));
        assert.ok(ui.verdictInView, "the verdict is in view without scrolling");
        // The checker's figures against the gateway's own ledger, read here and now.
        for (const p of ui.payments) {
          const charges = (await ledgerOf(p.paymentId)).filter((e) => e.type === "charge");
          assert.equal(String(charges.length), p.charges, `${p.paymentId}: the row's charges are the ledger's`);
          assert.equal(charges.length, 1, `${p.paymentId} charged exactly once`);
        }
        assert.ok(
          ui.faults.some((f) => f.state === "applied"),
          "faults were applied",
        );
      },
    ],
    [
      "the same seed against PaymentAntiPatterns/chargeOutsideRun: the panel names a double charge first, with its minimal history, and a broken payment's row opens to the ledger's two charges",
      async () => {
        const ui = await signals.wait<ChaosSeen>("ui-anti");
        assert.equal(ui.error, undefined, ui.error);
        const [record] = chaosRuns();
        assert.equal(record!.chaos.target, "PaymentAntiPatterns/chargeOutsideRun");
        sameAsRecord(ui, record!);
        assert.equal(ui.verdict, "unsafe");
        assert.match(ui.expected, /^As expected: the checker caught/);
        const first = record!.chaos.violations[0]!;
        assert.ok(ui.violation, "a violation is shown");
        assert.equal(ui.violation.title, `Violation: ${first.invariant}`);
        assert.equal(ui.violation.paymentId, first.paymentId);
        assert.equal(ui.violation.events.filter((e) => e.kind === "request").length, first.history.requests.length);
        const double = record!.chaos.payments.find((p) => p.broken.includes("charged exactly once"));
        assert.ok(double, JSON.stringify(record!.chaos.invariants));
        // The causal chain of every violating payment, the record's own, each ledger row of the payment in it.
        const chains = violationChains(record!.chaos, record!.evidence.ledger.length > 0 ? record!.evidence.ledger : null, record!.evidence.attempts);
        assert.deepEqual(
          ui.chains,
          chains.map((c) => ({ paymentId: c.paymentId, steps: c.steps.map((s) => s.text) })),
        );
        for (const v of record!.chaos.violations)
          for (const e of v.history.ledger)
            assert.ok(
              ui.chains!.find((c) => c.paymentId === v.paymentId)!.steps.some((t) => t.startsWith(`${e.id} `)),
              `${e.id} in the chain of ${v.paymentId}`,
            );
        assert.equal(ui.chargesCardRed, true, "the charges card is red when charged-exactly-once breaks");
        assert.equal(ui.opened?.paymentId, first.paymentId);
        const ledger = await ledgerOf(first.paymentId);
        const shownLedger = ui.opened!.events.filter((e) => e.kind === "ledger");
        assert.equal(shownLedger.length, ledger.length, "the opened history shows every ledger entry of the payment");
        assert.ok(ledger.filter((e) => e.type === "charge").length >= 2, "the gateway charged it twice or more");
        for (const e of ledger)
          assert.ok(
            shownLedger.some((s) => s.text.includes(e.id)),
            `${e.id} in the history`,
          );
        assert.ok(
          ui.opened!.events.some((e) => e.kind === "attempt"),
          "Restate's attempts in the history",
        );
        // Each finished attempt is told where it began and again where it ended, in that order; one
        // whose start and end Restate recorded at the same millisecond is one row, how it ended
        // (chaos-model.ts). Seen on a loaded machine: an attempt begun and completed at 8.67 s.
        const rows = ui.opened!.events.filter((e) => e.kind === "attempt").map((e) => e.text);
        const invocations = record!.evidence.attempts.filter((i) => i.target.split("/")[1] === first.paymentId);
        for (const inv of invocations) {
          for (const a of inv.attempts.filter((a) => (a.startedAt ?? a.retryOf) !== null && a.endedAt !== null)) {
            const at = (words: RegExp) => rows.findIndex((t) => t.includes(shortId(inv.invocationId)) && words.test(t));
            const began = at(new RegExp(`attempt ${a.number} (began|follows)`));
            const ended = at(new RegExp(`attempt ${a.number} ${a.outcome}`));
            if (a.endedAt === (a.startedAt ?? a.retryOf)) {
              assert.ok(began < 0 && ended >= 0, `${inv.invocationId} attempt ${a.number}: one row, ${a.outcome}, in ${rows.join(" | ")}`);
              continue;
            }
            assert.ok(began >= 0 && ended > began, `${inv.invocationId} attempt ${a.number}: began then ${a.outcome}, in ${rows.join(" | ")}`);
          }
        }
      },
    ],
    [
      "the chaos result in the dark and high-contrast themes, and at 700 px with the verdict and Run in view",
      async () => {
        await shotInTheme(signals, "dark", "chaos-");
        await shotInTheme(signals, "hc", "chaos-");
        await setTheme("light");
        signals.send("chaos-theme-light");
        const narrow = await signals.wait<{ verdictInView: boolean; runInView: boolean }>("chaos-shot-narrow");
        assert.deepEqual(narrow, { verdictInView: true, runInView: true }, "at 700 px the verdict and Run are in view without scrolling");
      },
    ],
    [
      "Stop during a long chaos run: the engine stops sending, judges what it sent, and the panel says the run was stopped",
      async () => {
        const ui = await signals.wait<ChaosSeen & { durationHint: string }>("ui-stopped");
        assert.equal(ui.error, undefined, ui.error);
        const [record] = chaosRuns();
        assert.deepEqual(record!.request, { seed: 7, payments: 40, duplicates: 3, durationS: 60, target: "PaymentService" });
        assert.equal(record!.chaos.stopped, true, "the record says it was stopped");
        assert.ok(record!.chaos.requests.length < 40 * 3, `fewer requests than planned (${record!.chaos.requests.length})`);
        assert.ok(record!.chaos.durationMs < 60_000, `it ended before its 60 s (${record!.chaos.durationMs} ms)`);
        sameAsRecord(ui, record!);
        assert.match(ui.expected, /Stopped before the end of the schedule/);
        assert.equal(ui.durationHint, "stopped before the end");
      },
    ],
  ];
}
