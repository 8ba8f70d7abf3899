// The attempts timeline's model (src/webview/lanes-model.ts): lanes per invocation from Restate's
// records, retries that begin at the failure before them, ledger marks on the attempt that made
// them, requests grouped by answer kind in big lanes, folded lanes, events.
import { describe, expect, it } from "vitest";
import type { InvocationAttempts } from "../../../src/shared/protocol.js";
import { buildLanes, hasAttempts, laneOf, MAX_LANES } from "../../../src/webview/run/lanes-model.js";
import { requestGroups } from "../../../src/webview/run/request-groups-model.js";
import { eventsOf } from "../../../src/webview/run/run-events.js";
import { burst, outcome, record, START } from "./fixtures.js";
import { chargeOutsideRun, customLostAnswer, retention } from "./lesson-fixtures.js";

const at = (ms: number) => new Date(Date.parse(START) + ms).toISOString();

describe("attempt lanes", () => {
  it("draws the anti-pattern's one invocation with two attempts: the retry begins at the failure, its start not invented", () => {
    const m = buildLanes(chargeOutsideRun().result);
    expect(m.lanes).toHaveLength(1);
    const [lane] = m.lanes;
    expect(lane).toMatchObject({ kind: "invocation", invocationId: "inv_1lCvmLJvONsa5O27trMBQAnGUqmzmZNzV8", heading: "inv_1lCv…NzV8" });
    expect(lane!.attempts.map((a) => [a.number, a.fromMs, a.startKnown, a.endMs, a.outcome])).toEqual([
      [1, 20, true, 2084, "failed"],
      [2, 2084, false, 2762, "completed"],
    ]);
    expect(lane!.attempts[0]!.text).toMatch(
      /^Attempt 1: started at \+20 ms; failed at \+2\.08 s: Payment gateway \/charges did not answer within 2000 ms.*\(RT0007, code 500\); journal entries 0–1\.$/,
    );
    expect(lane!.attempts[1]!.text).toMatch(/a retry after a back-off from the failure at \+2\.08 s \(Restate records no start for a retry\)/);
    expect(lane!.title).toBe("PaymentAntiPatterns/pay-1/chargeOutsideRun · completed (success) · 2 attempts, 1 failed");
  });

  it("puts each charge on the attempt that made it; both are in no journal entry, the first tied to the failure after it", () => {
    const [lane] = buildLanes(chargeOutsideRun().result).lanes;
    const [first, second] = lane!.marks;
    expect(first).toMatchObject({ id: "ch_000001", attempt: 1, trace: "none", askedMs: 71, short: "in no journal entry", failedAfter: { atMs: 2084 } });
    expect(first!.text).toMatch(/made by attempt 1 of inv_1lCv.*in no journal entry: Restate knows nothing of this money movement/);
    // The fixture is a record from an older lab, which tied this charge to the receipt step that
    // merely carries its id: a mention is no journal entry of the charge, and is drawn as none.
    expect(second).toMatchObject({
      id: "ch_000002",
      attempt: 2,
      trace: "none",
      traceIndex: null,
      short: "in no journal entry",
      failedAfter: null,
      tracedLater: false,
    });
    expect(second!.text).toMatch(/in no journal entry: Restate knows nothing of this money movement \(made outside ctx.run\)/);
    expect(second!.text).not.toMatch(/send receipt/);
  });

  it("marks a charge whose ctx.run result only a later attempt journaled (the lost answer, got back by the retry)", () => {
    const [lane] = buildLanes(customLostAnswer().result).lanes;
    expect(lane!.marks[0]).toMatchObject({ trace: "run", short: 'ctx.run "charge"', tracedLater: true, traceMs: 2557, failedAfter: { atMs: 2036 } });
    expect(lane!.attempts[0]!.text).toMatch(/on run "charge" \(journal entry 2\)/);
  });

  it("shows each request of a small lane, and one row per answer kind in a big one", () => {
    expect(buildLanes(chargeOutsideRun().result).lanes[0]!.requests).toEqual([
      expect.objectContaining({ label: "#0", kind: "executed", count: 1, startMs: 15.3 }),
    ]);
    const groups = requestGroups(burst(1000));
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      ["executed 1", 1],
      ["attached 499", 499],
      ["replayed 500", 500],
    ]);
    expect(groups[0]!.text).toBe("1 request executed (#0): sent from +0 ms, the last answered at +500 ms.");
  });

  it("folds the lanes beyond MAX_LANES into one, keeping the retried and charging ones apart", () => {
    const invocations: InvocationAttempts[] = Array.from({ length: 20 }, (_, i) => ({
      invocationId: `inv_${i}`,
      target: "PaymentService/pay-1/create",
      status: "completed",
      attempts:
        i === 15
          ? [
              {
                number: 1,
                startedAt: at(i),
                retryOf: null,
                endedAt: at(i + 5),
                outcome: "failed",
                error: { code: 500, message: "boom", restateCode: null, command: null },
                entries: null,
              },
              { number: 2, startedAt: null, retryOf: at(i + 5), endedAt: at(i + 9), outcome: "completed", error: null, entries: null },
            ]
          : [{ number: 1, startedAt: at(i), retryOf: null, endedAt: at(i + 3), outcome: "completed", error: null, entries: null }],
    }));
    const details = invocations.map((inv, i) => outcome(i, { answer: "executed", invocationId: inv.invocationId, sentAtMs: i }));
    const m = buildLanes(record("many", details, { attempts: invocations, ledgerLinks: [] }).result);
    expect(m.lanes).toHaveLength(MAX_LANES);
    expect(m.lanes.some((l) => l.invocationId === "inv_15")).toBe(true);
    const others = m.lanes.at(-1)!;
    expect(others).toMatchObject({ kind: "others", invocations: 20 - (MAX_LANES - 1), heading: "+13 more" });
    expect(others.requests).toEqual([expect.objectContaining({ kind: "executed", count: 13 })]);
    expect(others.attempts).toHaveLength(1);
  });

  it("gives requests with no invocation, or one Restate has no record of, lanes of their own", () => {
    const details = [outcome(0, { invocationId: null, answer: "failed", status: 400 }), outcome(1, { invocationId: "inv_gone", answer: "replayed" })];
    const m = buildLanes(record("x", details, { attempts: [], ledgerLinks: [] }).result);
    expect(m.lanes.map((l) => [l.kind, l.invocationId])).toEqual([
      ["none", null],
      ["unrecorded", "inv_gone"],
    ]);
  });

  it("draws the run's events, the expiry within the run, and ledger entries no recorded attempt made", () => {
    const m = buildLanes(retention().result);
    expect(m.events.map((e) => [e.kind, e.label])).toEqual([
      ["retention", "retention 5s"],
      ["expires", "idempotency-expires"],
      ["wait", "expired"],
      ["wait", "entry removed"],
    ]);
    expect(m.events[2]).toMatchObject({ atMs: 5409, spanMs: 5246 });
    expect(m.domainMs).toBeCloseTo(7166.3, 1);
    expect(m.lanes[0]!.requests.map((q) => q.label)).toEqual(["#0 first", "#1 inside", "#2 after-expiry", "#3 after-removal"]);
    expect(m.unlinked).toEqual([expect.objectContaining({ id: "ch_000002", trace: "unknown", short: "no recorded attempt" })]);
  });

  it("knows runs recorded before attempts were read, and finds one invocation's lane and events for the inspector", () => {
    expect(hasAttempts(record("old", burst(3)).result)).toBe(false);
    expect(laneOf(record("old", burst(3)).result, "inv_1")).toBeUndefined();
    const r = retention().result;
    const lane = laneOf(r, "inv_18sbn6VRsWJ04dk1GCVvUfoLUzmIjTe8e3")!;
    expect(lane.attempts).toHaveLength(1);
    expect(eventsOf(r, lane).map((e) => e.label)).toEqual(["expired", "entry removed"]);
  });

  it("says in its accessible name how many invocations, attempts and charges it draws", () => {
    expect(buildLanes(chargeOutsideRun().result).ariaLabel).toBe(
      "Attempts timeline over 2.77 s: 1 invocation, 2 attempts drawn; 2 charges, 2 in no journal entry. The list below the chart says the same in words.",
    );
  });
});
