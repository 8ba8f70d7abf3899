// The chaos result's models without the DOM (chaos-model.ts, chaos-timeline-model.ts), on the
// records of two real runs: the form's check, the verdict and faults in words, a payment's
// history in time order, and the timeline's lanes.
import { describe, expect, it } from "vitest";
import { faultsAround } from "../../../src/shared/protocol.js";
import {
  answerText,
  chaosVerdictText,
  defaultChaosValues,
  faultStateText,
  faultText,
  historyItems,
  orderedPayments,
  paymentParts,
  targetLabel,
  validateChaos,
} from "../../../src/webview/chaos/chaos-model.js";
import type { HistoryParts } from "../../../src/webview/chaos/chaos-model.js";
import { chaosTimeline, MAX_PAYMENT_LANES, ticks } from "../../../src/webview/chaos/chaos-timeline-model.js";
import { chaosRecord, chaosSettings } from "./chaos-fixtures.js";

describe("the chaos form", () => {
  const values = defaultChaosValues(chaosSettings);

  it("sends the engine's defaults with a null seed (a new one) when left as it is", () => {
    expect(validateChaos(values, chaosSettings)).toEqual({
      request: { seed: null, payments: 20, duplicates: 4, durationS: 20, target: "PaymentService" },
      errors: {},
    });
    expect(validateChaos({ ...values, seed: " 7 " }, chaosSettings).request?.seed).toBe(7);
  });

  it("names each field out of the engine's limits, and sends nothing then", () => {
    const check = validateChaos({ seed: "-1", payments: "501", duplicates: "1", durationS: "4", target: "PaymentAntiPatterns/gone" }, chaosSettings);
    expect(check.request).toBeNull();
    expect(check.errors).toEqual({
      seed: expect.stringMatching(/seed must be a whole number from 0 to 2,147,483,647, or leave it empty/),
      payments: expect.stringMatching(/from 1 to 500/),
      duplicates: expect.stringMatching(/from 2 to 20/),
      durationS: expect.stringMatching(/from 5 to 600/),
      target: expect.stringMatching(/Pick one of: PaymentService, PaymentAntiPatterns\/chargeOutsideRun/),
    });
  });
});

describe("the chaos result in words", () => {
  it("says the verdict against the expected one", () => {
    expect(chaosVerdictText({ verdict: "safe", expectedVerdict: "safe", stopped: false })).toEqual({
      asExpected: true,
      text: "As expected: every invariant held under the faults.",
    });
    expect(chaosVerdictText({ verdict: "unsafe", expectedVerdict: "unsafe", stopped: false }).text).toMatch(/caught the anti-pattern's flaw/);
    expect(chaosVerdictText({ verdict: "unsafe", expectedVerdict: "safe", stopped: true })).toEqual({
      asExpected: false,
      text: expect.stringMatching(/^Not what a correct lab shows: expected safe\. Stopped before the end/),
    });
    expect(targetLabel("PaymentAntiPatterns/chargeOutsideRun")).toBe("chargeOutsideRun (anti-pattern)");
    expect(targetLabel("PaymentService")).toBe("PaymentService");
  });

  it("says what each fault of the real schedule was and whether it was applied", () => {
    const schedule = chaosRecord("c").chaos.schedule;
    expect(schedule.map(faultText)).toEqual([
      "the gateway charges, then loses its answer",
      "the gateway charges, then loses its answer",
      expect.stringMatching(/^gateway latency \d+ ms for \d\.\d\d s$/),
      "restate-server is killed and started again",
      expect.stringMatching(/^gateway latency/),
    ]);
    expect(faultStateText(schedule[0]!)).toMatch(/^applied at 1\.\d\d s$/);
    expect(faultStateText({ ...schedule[0]!, applied: null })).toMatch(/not reached/);
    expect(faultStateText({ ...schedule[0]!, applied: { atMs: 5, ok: false, note: "restate-server is not the lab's own here" } })).toBe(
      "not applied: restate-server is not the lab's own here",
    );
  });
});

describe("a payment's history", () => {
  const record = chaosRecord("c", "anti");
  const violation = record.chaos.violations[0]!;

  it("is the violation's own slice for a broken payment: requests, the faults around them, Restate's attempts, the ledger, in time order", () => {
    const parts = paymentParts(record, violation.paymentId);
    expect(parts.requests).toEqual(violation.history.requests);
    expect(parts.faults).toEqual(violation.history.faults);
    expect(parts.ledger).toEqual(violation.history.ledger);
    const items = historyItems(record.chaos.startedAt, parts);
    expect(items.map((i) => i.atMs)).toEqual([...items.map((i) => i.atMs)].sort((a, b) => a - b));
    expect(items.filter((i) => i.kind === "ledger")).toHaveLength(2);
    expect(items.filter((i) => i.kind === "request")).toHaveLength(3);
    expect(items.some((i) => i.kind === "attempt")).toBe(true);
    expect(answerText(violation.history.requests[0]!)).toMatch(/^200 · charge ch_\d+$/);
  });

  it("gives an attempt a row where it began and one where it ended, so nothing is told before it happened", () => {
    const at = (ms: number) => new Date(Date.parse(record.chaos.startedAt) + ms).toISOString();
    const attempts = [
      {
        invocationId: "inv_1abc",
        target: "PaymentService/p-1/create",
        status: "completed",
        attempts: [
          { number: 1, startedAt: at(100), retryOf: null, endedAt: at(300), outcome: "failed" as const, error: { message: "lost answer" }, entries: null },
          { number: 2, startedAt: null, retryOf: at(300), endedAt: at(900), outcome: "completed" as const, error: null, entries: null },
        ],
      },
      {
        invocationId: "inv_2abc",
        target: "PaymentService/p-1/create",
        status: "running",
        attempts: [{ number: 1, startedAt: at(500), retryOf: null, endedAt: null, outcome: "running" as const, error: null, entries: null }],
      },
    ] as unknown as HistoryParts["attempts"];
    const rows = historyItems(record.chaos.startedAt, { requests: [], faults: [], ledger: [], attempts }).map((i) =>
      i.kind === "attempt" ? [i.atMs, i.invocationId, i.number, i.moment, i.retry, i.outcome] : null,
    );
    expect(rows).toEqual([
      [100, "inv_1abc", 1, "began", false, "failed"],
      [300, "inv_1abc", 1, "ended", false, "failed"],
      [300, "inv_1abc", 2, "began", true, "completed"],
      [500, "inv_2abc", 1, "open", false, "running"],
      [900, "inv_1abc", 2, "ended", true, "completed"],
    ]);
  });

  it("for any payment: its own requests and the faults around them (the checker's rule)", () => {
    const p = orderedPayments(record.chaos).at(-1)!;
    const parts = paymentParts(record, p.paymentId);
    expect(parts.requests.map((q) => q.index).sort((a, b) => a - b)).toEqual([...p.requests].sort((a, b) => a - b));
    expect(parts.faults).toEqual(faultsAround(parts.requests, record.chaos.schedule));
  });

  it("lists broken payments first, each group in natural order of id (p2 before p10)", () => {
    const ordered = orderedPayments(record.chaos);
    const broken = record.chaos.payments.filter((p) => p.broken.length > 0).length;
    expect(broken).toBeGreaterThan(0);
    expect(ordered.slice(0, broken).every((p) => p.broken.length > 0)).toBe(true);
    expect(ordered.slice(broken).map((p) => p.paymentId)).toEqual(["chaos-7-c1cdd9-0", "chaos-7-c1cdd9-3", "chaos-7-c1cdd9-4", "chaos-7-c1cdd9-5"]);
    const many = { ...record.chaos, payments: [10, 2, 1].map((n) => ({ ...record.chaos.payments[0]!, paymentId: `chaos-7-ab-${n}`, broken: [] })) };
    expect(orderedPayments(many).map((p) => p.paymentId)).toEqual(["chaos-7-ab-1", "chaos-7-ab-2", "chaos-7-ab-10"]);
  });
});

describe("the chaos timeline", () => {
  it("has a marker per fault, where it was applied, and a lane per payment with its requests and ledger entries", () => {
    const record = chaosRecord("c", "anti");
    const t = chaosTimeline(record);
    expect(t.faults.map((f) => [f.fault.kind, f.state, f.atMs])).toEqual(record.chaos.schedule.map((f) => [f.kind, "applied", f.applied!.atMs]));
    expect(t.faults.find((f) => f.fault.kind === "gateway-latency")!.durationMs).toBeGreaterThan(0);
    expect(t.lanes.map((l) => l.paymentId)).toEqual(orderedPayments(record.chaos).map((p) => p.paymentId));
    expect(t.lanes[0]).toMatchObject({ broken: true });
    expect(t.lanes[0]!.ledger.filter((e) => e.type === "charge")).toHaveLength(2);
    expect(t.lanes.reduce((n, l) => n + l.requests.length, 0)).toBe(record.chaos.requests.length);
    expect(t.domainMs).toBeGreaterThanOrEqual(record.chaos.durationMs);
    expect(t.hidden).toBe(0);
  });

  it("draws at most MAX_PAYMENT_LANES payments and says how many more", () => {
    const record = chaosRecord("c");
    const many = {
      ...record,
      chaos: { ...record.chaos, payments: Array.from({ length: MAX_PAYMENT_LANES + 3 }, (_, i) => ({ ...record.chaos.payments[0]!, paymentId: `p${i}` })) },
    };
    const t = chaosTimeline(many);
    expect(t.lanes).toHaveLength(MAX_PAYMENT_LANES);
    expect(t.hidden).toBe(3);
  });

  it("ticks the axis every second or so", () => {
    expect(ticks(9_300)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(ticks(60_000).length).toBeLessThanOrEqual(11);
  });
});
