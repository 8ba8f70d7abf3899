// The real-world lessons (src/lab/replay/scenarios-real-world.ts) as data: per-payment ledger and
// receipt counts, the pause, the admin events a run record may carry, and explanations told from
// the run's own ledger and events.
import { describe, expect, it } from "vitest";
import { evaluate, type Observations } from "../../src/lab/replay/invariants.js";
import { runFacts } from "../../src/lab/replay/run.js";
import { findScenario } from "../../src/lab/replay/scenarios.js";
import { runRecordProblem } from "../../src/shared/protocol.js";
import type { InvariantSpec, LedgerEntry, PlanEvent, RequestOutcome } from "../../src/lab/replay/types.js";
import { outcome, record } from "./webview/fixtures.js";

const request = (index: number, label: string, paymentId: string, o: Partial<RequestOutcome> = {}): RequestOutcome => ({
  ...outcome(index, {}),
  label,
  paymentId,
  ...o,
});
const entry = (id: string, type: "charge" | "refund", paymentId: string, at = "2026-12-06T02:00:01.000Z"): LedgerEntry => ({
  id,
  type,
  paymentId,
  amount: 700,
  currency: "USD",
  idempotencyKey: `${type}-${paymentId}`,
  at,
});
const obs = (requests: RequestOutcome[], more: Partial<Observations> = {}): Observations => ({
  requests,
  charges: 0,
  refunds: 0,
  receipts: 0,
  restateInvocations: 0,
  lostAnswerInjected: false,
  serviceCrashed: false,
  count: 1,
  ...more,
});
const measure = (spec: Omit<InvariantSpec, "name" | "role" | "expected">, o: Observations) =>
  evaluate({ name: "x", role: "sanity", expected: true, ...spec }, o).observed;

describe("the real-world lessons' metrics", () => {
  const requests = [request(0, "cancelled", "ord-1"), request(1, "killed", "ord-1-other")];
  const ledger = [entry("ch_1", "charge", "ord-1"), entry("re_2", "refund", "ord-1"), entry("ch_3", "charge", "ord-1-other")];

  it("count charges and refunds of a label's payment, and all of them without one", () => {
    const o = obs(requests, { ledger, charges: 2, refunds: 1 });
    expect(measure({ metric: "refunds", of: "cancelled" }, o)).toBe(1);
    expect(measure({ metric: "refunds", of: "killed" }, o)).toBe(0);
    expect(measure({ metric: "charges", of: "killed" }, o)).toBe(1);
    expect(measure({ metric: "charges" }, o)).toBe(2);
  });

  it("count receipts per label's payment, and say whether a wait saw the pause", () => {
    const o = obs(requests, { receipts: 3, receiptsByPayment: { "ord-1": 1, "ord-1-other": 2 } });
    expect(measure({ metric: "receipts", of: "killed" }, o)).toBe(2);
    expect(measure({ metric: "receipts" }, o)).toBe(3);
    const paused: PlanEvent = { kind: "wait", atMs: 10, until: "paused", reached: true, waitedMs: 5, invocationId: "inv_1" };
    expect(measure({ metric: "paused" }, obs([], { events: [paused] }))).toBe(true);
    expect(measure({ metric: "paused" }, obs([], { events: [{ ...paused, reached: false }] }))).toBe(false);
  });
});

describe("a run record with the real-world lessons' events", () => {
  it("accepts purge, resume and restart-as-new events and a paused wait; refuses an unknown admin action", () => {
    const events: PlanEvent[] = [
      { kind: "stop", atMs: 1, how: "restart-as-new", invocationId: "inv_1", status: 200, newInvocationId: "inv_2" },
      { kind: "stop", atMs: 2, how: "purge", invocationId: "inv_1", status: 200 },
      { kind: "wait", atMs: 3, until: "paused", reached: true, waitedMs: 2, invocationId: "inv_1" },
    ];
    expect(runRecordProblem(record("r", [outcome(0, {})], { events }))).toBeNull();
    const bad = [{ kind: "stop", atMs: 1, how: "explode", invocationId: "inv_1", status: 200 }] as unknown as PlanEvent[];
    expect(runRecordProblem(record("r", [outcome(0, {})], { events: bad }))).toMatch(/stop event/);
  });
});

describe("the real-world lessons' explanations", () => {
  it("compensation: told from each payment's own ledger", () => {
    const scenario = findScenario("compensation-cancel-vs-kill")!;
    const requests = [
      request(0, "cancelled", "ord-1", { status: 409, response: { message: "Cancelled" } }),
      request(1, "killed", "ord-1-other", { status: 409, response: { message: "killed" } }),
    ];
    const events: PlanEvent[] = [
      { kind: "stop", atMs: 5, how: "cancel", invocationId: "inv_a", status: 202 },
      { kind: "stop", atMs: 9, how: "kill", invocationId: "inv_b", status: 200 },
    ];
    const ledger = [entry("ch_7", "charge", "ord-1"), entry("re_8", "refund", "ord-1"), entry("ch_9", "charge", "ord-1-other")];
    const text = scenario.explanation.fromRun!(requests, runFacts(requests, { ledger, events }));
    expect(text).toMatch(/Ledger of ord-1: charge ch_7, refund re_8\./);
    expect(text).toMatch(/Ledger of ord-1-other: charge ch_9, refund none/);
    expect(text).toMatch(/inv_a\/cancel, answered 202.*inv_b\/kill, answered 200/);
  });

  it("unknown outcome: names only the charges the ledger held before the resume", () => {
    const scenario = findScenario("unknown-outcome-pause")!;
    const startedAtMs = Date.parse("2026-12-06T02:00:00.000Z");
    const requests = [request(0, "waiting", "pay-1")];
    const events: PlanEvent[] = [
      { kind: "wait", atMs: 7000, until: "paused", reached: true, waitedMs: 6900, invocationId: "inv_p" },
      { kind: "stop", atMs: 7100, how: "resume", invocationId: "inv_p", status: 200 },
    ];
    const before = scenario.explanation.fromRun!(requests, runFacts(requests, { ledger: [entry("ch_1", "charge", "pay-1")], events, startedAtMs }));
    expect(before).toMatch(/ledger already held ch_1 under the key charge-pay-1/);
    const after = [entry("ch_1", "charge", "pay-1", "2026-12-06T02:00:08.000Z")];
    expect(scenario.explanation.fromRun!(requests, runFacts(requests, { ledger: after, events, startedAtMs }))).toMatch(
      /ledger held no charge for the payment yet/,
    );
  });
});
