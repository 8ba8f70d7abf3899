// Each charge's cause in words, and what "The code" says of a handler's charge line.
import { describe, expect, it } from "vitest";
import type { AttemptRecord, LedgerEntry, LedgerLink, ScenarioCode } from "../../../src/shared/protocol.js";
import { attemptNames, chargeCauses } from "../../../src/webview/run/charge-cause-model.js";
import { blockNote, blockTitle, chargeLabel, codeRows, runChargeInRun } from "../../../src/webview/code/code-model.js";
import { record } from "./fixtures.js";

const INV = "inv_1";
const charge = (id: string, key: string | null = "charge-pay-1"): LedgerEntry => ({
  id,
  type: "charge",
  paymentId: "pay-1",
  amount: 10000,
  currency: "USD",
  idempotencyKey: key,
  at: "2026-01-01T10:00:00.250Z",
});
const attempt = (number: number, entries: { first: number; last: number } | null): AttemptRecord => ({
  number,
  startedAt: null,
  retryOf: null,
  endedAt: null,
  outcome: number === 1 ? "failed" : "completed",
  error: null,
  entries,
});
const run = (index: number, name = "charge") => ({ index, type: "Command: Run", name, inRun: true, appendedAt: null });
const result = (ledger: LedgerEntry[], links: LedgerLink[] | undefined, attempts: AttemptRecord[]) =>
  record("r1", [], {
    ledger,
    ...(links ? { ledgerLinks: links } : {}),
    attempts: [{ invocationId: INV, target: "PaymentService/pay-1/create", status: "completed", attempts }],
  }).result;

describe("chargeCauses", () => {
  it("an anti-pattern's two charges: in no journal entry, the retry ran the charge outside ctx.run again", () => {
    const r = result(
      [charge("ch_1", null), charge("ch_2", null)],
      // `journal` absent reads as "in no journal entry", like null.
      [{ ledgerId: "ch_1", invocationId: INV, attempt: 1, journal: null }, { ledgerId: "ch_2", invocationId: INV, attempt: 2 } as unknown as LedgerLink],
      [attempt(1, { first: 1, last: 2 }), attempt(2, { first: 3, last: 5 })],
    );
    expect(chargeCauses(r, false)).toEqual([
      {
        ledgerId: "ch_1",
        attempt: 1,
        journal: "none",
        text: "Made by attempt 1. It is in no journal entry: the charge is outside ctx.run, so a retry of the handler runs it again.",
      },
      {
        ledgerId: "ch_2",
        attempt: 2,
        journal: "none",
        text: "Made by attempt 2, a retry. It is in no journal entry: the charge is outside ctx.run, so the retry ran it again.",
      },
    ]);
    // Without the code, no claim about where the charge sits.
    expect(chargeCauses(r, null)[1]?.text).toBe(
      "Made by attempt 2, a retry. It is in no journal entry: nothing was recorded that a retry could replay instead of charging.",
    );
    // A charge inside ctx.run whose result never reached the journal (a fresh gateway key each attempt).
    expect(chargeCauses(r, true)[0]?.text).toBe(
      "Made by attempt 1. It is in no journal entry: its ctx.run step's result was never journaled, so a retry runs the step again.",
    );
  });

  it("a journaled charge: later attempts replayed ctx.run from the journal", () => {
    const r = result(
      [charge("ch_1")],
      [{ ledgerId: "ch_1", invocationId: INV, attempt: 1, journal: run(2) }],
      [attempt(1, { first: 1, last: 3 }), attempt(2, { first: 4, last: 5 })],
    );
    expect(chargeCauses(r, true)).toEqual([
      {
        ledgerId: "ch_1",
        attempt: 1,
        journal: "journaled",
        text: 'Made by attempt 1 inside ctx.run "charge"; journal entry 2 holds it. Attempt 2 replayed ctx.run "charge" from the journal: no new charge.',
      },
    ]);
  });

  it("one attempt, journaled: nothing to replay", () => {
    const r = result([charge("ch_1")], [{ ledgerId: "ch_1", invocationId: INV, attempt: 1, journal: run(2) }], [attempt(1, { first: 1, last: 4 })]);
    expect(chargeCauses(r, true)[0]?.text).toBe('Made by attempt 1 inside ctx.run "charge"; journal entry 2 holds it.');
  });

  it("a lost answer: a later attempt ran the step again with the same gateway key and journaled this charge", () => {
    const r = result(
      [charge("ch_1")],
      [{ ledgerId: "ch_1", invocationId: INV, attempt: 1, journal: run(3) }],
      [attempt(1, { first: 1, last: 2 }), attempt(2, { first: 3, last: 5 }), attempt(3, { first: 6, last: 6 })],
    );
    expect(chargeCauses(r, true)[0]?.text).toBe(
      'Made by attempt 1 inside ctx.run "charge"; journal entry 3 holds it. Its answer did not reach the handler, so attempt 2 ran the step again with the same gateway key (charge-pay-1): the gateway answered with this charge instead of making a new one. Attempt 3 replayed ctx.run "charge" from the journal: no new charge.',
    );
  });

  it("says when the records tie a charge to no attempt, or only mention it, and lists only charges of the run's payments", () => {
    const refund: LedgerEntry = { ...charge("rf_1"), type: "refund" };
    const r = result(
      [charge("ch_1"), charge("ch_2"), refund, { ...charge("ch_9"), paymentId: "other" }],
      [
        { ledgerId: "ch_1", invocationId: null, attempt: null, journal: null },
        { ledgerId: "ch_2", invocationId: INV, attempt: 1, journal: { ...run(4), type: "Command: SetState", inRun: false } },
      ],
      [attempt(1, null)],
    );
    expect(chargeCauses(r, true).map((c) => [c.ledgerId, c.journal, c.text])).toEqual([
      ["ch_1", "unknown", "No attempt in Restate's records was running when the gateway got this charge."],
      ["ch_2", "mentioned", "Made by attempt 1. Journal entry 4 (Command: SetState) names its id, but no ctx.run result holds it."],
    ]);
    expect(chargeCauses(result([charge("ch_1")], undefined, []), true)[0]?.journal).toBe("unknown");
    // A retry's charge outside ctx.run whose id a later step's entry names (the receipt's ctx.run).
    const retry = result(
      [charge("ch_3", null)],
      [{ ledgerId: "ch_3", invocationId: INV, attempt: 2, journal: { ...run(5, "send receipt"), inRun: false } }],
      [],
    );
    expect(chargeCauses(retry, false)[0]?.text).toBe(
      "Made by attempt 2, a retry. Journal entry 5 (Command: Run) names its id, but no ctx.run result holds it: the charge is outside ctx.run, so the retry ran it again.",
    );
  });

  it("names attempts in words", () => {
    expect([attemptNames([2]), attemptNames([2, 3]), attemptNames([2, 3, 4])]).toEqual(["attempt 2", "attempts 2 and 3", "attempts 2, 3 and 4"]);
  });
});

describe("the code model", () => {
  const code: ScenarioCode = {
    scenario: "anti-pattern-charge-outside-run",
    blocks: [
      {
        file: "src/anti-patterns.ts",
        service: "PaymentAntiPatterns",
        handler: "chargeOutsideRun",
        role: "run",
        startLine: 25,
        lines: ["a", "b", "c"],
        charge: { line: 26, inRun: false },
        truncated: false,
      },
      {
        file: "src/payment-service.ts",
        service: "PaymentService",
        handler: "create",
        role: "fixed",
        startLine: 20,
        lines: ["x", "y"],
        charge: { line: 21, inRun: true },
        truncated: false,
      },
    ],
  };

  it("labels the charge line by where it sits", () => {
    expect(chargeLabel({ line: 1, inRun: true })).toBe("charges — inside ctx.run: journaled");
    expect(chargeLabel({ line: 1, inRun: false })).toBe("charges — outside ctx.run: runs again on every retry");
  });

  it("numbers the lines as the file does and marks the charge", () => {
    expect(codeRows(code.blocks[0]!)).toEqual([
      { n: 25, text: "a", charge: false },
      { n: 26, text: "b", charge: true },
      { n: 27, text: "c", charge: false },
    ]);
  });

  it("titles the fix, and reads the run handler's charge for the ledger", () => {
    expect(code.blocks.map(blockTitle)).toEqual(["PaymentAntiPatterns.chargeOutsideRun", "The fix: PaymentService.create"]);
    expect(blockNote(code.blocks[0]!)).toMatch(/outside ctx.run/);
    expect(runChargeInRun(code)).toBe(false);
    expect(runChargeInRun({ ...code, blocks: [code.blocks[1]!] })).toBeNull();
    expect(runChargeInRun(undefined)).toBeNull();
  });
});
