import { describe, expect, it } from "vitest";
import { canonical, distinctInvocations, distinctResponses, evaluate, verdictOf, type Observations } from "../../src/lab/replay/invariants.js";
import { checkRunOptions, runFacts } from "../../src/lab/replay/run.js";
import { SCENARIOS, findScenario } from "../../src/lab/replay/scenarios.js";
import { classify, pool } from "../../src/lab/replay/send.js";
import type { InvariantResult, RequestOutcome } from "../../src/lab/replay/types.js";

function outcome(index: number, o: Partial<RequestOutcome>): RequestOutcome {
  return {
    index,
    step: 0,
    method: "POST",
    path: "/PaymentService/p/create",
    paymentId: "p",
    idempotencyKey: "k",
    body: { amount: 1, currency: "USD" },
    sentAtMs: index,
    latencyMs: 1,
    status: 200,
    response: { ok: true },
    invocationId: "inv_1",
    replayHeader: false,
    answer: "executed",
    ...o,
  };
}

describe("classify", () => {
  it("counts the first live answer of an invocation as executed and the others as attached", () => {
    const settled = classify([
      outcome(0, { sentAtMs: 5, latencyMs: 10 }),
      outcome(1, { sentAtMs: 1, latencyMs: 10 }),
      outcome(2, { sentAtMs: 20, answer: "replayed", replayHeader: true }),
    ]);
    expect(settled.map((o) => o.answer)).toEqual(["attached", "executed", "replayed"]);
  });

  it("counts a live answer sent after the invocation had answered as a new run under the same id", () => {
    // The key's entry was removed by Restate's cleaner: the same key runs the handler again, with the same invocation id.
    const settled = classify([
      outcome(0, { sentAtMs: 0, latencyMs: 50 }),
      outcome(1, { sentAtMs: 60, latencyMs: 2, answer: "replayed", replayHeader: true }),
      outcome(2, { sentAtMs: 9000, latencyMs: 40 }),
      outcome(3, { sentAtMs: 9010, latencyMs: 30 }),
    ]);
    expect(settled.map((o) => o.answer)).toEqual(["executed", "replayed", "executed", "attached"]);
  });

  it("keeps separate invocations separate", () => {
    const settled = classify([outcome(0, { invocationId: "a" }), outcome(1, { invocationId: "b" })]);
    expect(settled.map((o) => o.answer)).toEqual(["executed", "executed"]);
  });
});

describe("distinct responses and invocations", () => {
  it("compares bodies whatever their key order, and ignores unanswered requests", () => {
    const requests = [
      outcome(0, { response: { a: 1, b: 2 } }),
      outcome(1, { response: { b: 2, a: 1 }, invocationId: "inv_2" }),
      outcome(2, { status: null, response: null, invocationId: null, answer: "timed-out" }),
    ];
    expect(distinctResponses(requests)).toBe(1);
    expect(distinctInvocations(requests)).toBe(2);
    expect(canonical({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});

describe("invariants and verdicts", () => {
  const obs = (o: Partial<Observations>): Observations => ({
    requests: [],
    charges: 1,
    refunds: 0,
    receipts: 1,
    restateInvocations: 1,
    lostAnswerInjected: false,
    serviceCrashed: false,
    count: 5,
    ...o,
  });

  it("evaluates exact, at-least and count-relative expectations", () => {
    expect(evaluate({ name: "c", metric: "charges", expected: 1, role: "safety" }, obs({ charges: 2 }))).toMatchObject({ ok: false, observed: 2, expected: 1 });
    const replayed = [outcome(0, {}), ...[1, 2, 3, 4].map((i) => outcome(i, { answer: "replayed" }))];
    expect(evaluate({ name: "r", metric: "replayed", expected: { countMinus: 1 }, role: "sanity" }, obs({ requests: replayed }))).toMatchObject({
      ok: true,
      expected: 4,
    });
    expect(evaluate({ name: "a", metric: "attached", expected: { atLeast: 1 }, role: "sanity" }, obs({ requests: replayed }))).toMatchObject({
      ok: false,
      expected: ">= 1",
      observed: 0,
    });
  });

  const inv = (role: "safety" | "sanity", ok: boolean): InvariantResult => ({ name: role, expected: 1, observed: ok ? 1 : 2, ok, role });
  it.each([
    ["idempotent", [inv("safety", true), inv("sanity", true)], "safe"],
    ["idempotent", [inv("safety", false), inv("sanity", true)], "unexpected"],
    ["anti-pattern", [inv("safety", false), inv("sanity", true)], "unsafe"],
    ["anti-pattern", [inv("safety", true), inv("sanity", true)], "unexpected"],
    ["anti-pattern", [inv("safety", false), inv("sanity", false)], "unexpected"],
  ] as const)("%s with %j is %s", (kind, invariants, verdict) => {
    expect(verdictOf(kind, [...invariants])).toBe(verdict);
  });
});

describe("the catalog", () => {
  it("has unique ids, a one-line lesson each, and an anti-pattern's kind for every anti-pattern id", () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SCENARIOS) expect(s.lesson).not.toMatch(/\n/);
    for (const s of SCENARIOS) expect(s.kind === "anti-pattern", s.id).toBe(s.id.startsWith("anti-pattern-"));
    expect(ids.filter((id) => id.startsWith("anti-pattern-"))).toHaveLength(7);
    expect(ids.length).toBeGreaterThanOrEqual(20);
  });

  it("lists every anti-pattern, and only those, under the catalog's Anti-patterns heading; the final exam is the chaos run's alone", () => {
    for (const s of SCENARIOS) expect(s.group === "anti-patterns", s.id).toBe(s.kind === "anti-pattern");
    expect(SCENARIOS.filter((s) => s.group === "final-exam")).toEqual([]);
    for (const group of ["basics", "failures", "keys-and-retention"] as const)
      expect(
        SCENARIOS.some((s) => s.group === group),
        group,
      ).toBe(true);
  });

  it("tells a run's explanation from what it observed, not from a fixed sentence", () => {
    const burst = findScenario("concurrent-burst")!.explanation.fromRun!;
    const onlyAttached = [outcome(0, {}), outcome(1, { answer: "attached" }), outcome(2, { answer: "attached" })];
    expect(burst(onlyAttached, runFacts(onlyAttached))).toMatch(/one invocation for the 3 copies\. 2 copies arrived while it was still charging/);
    expect(burst(onlyAttached, runFacts(onlyAttached))).not.toMatch(/replayed/);
    const someLate = [outcome(0, {}), outcome(1, { answer: "attached" }), outcome(2, { answer: "replayed" }), outcome(3, { answer: "replayed" })];
    expect(burst(someLate, runFacts(someLate))).toMatch(
      /1 copy arrived while it was still charging.*; 2 copies arrived after it had finished and got the stored answer \(replayed\)/,
    );

    const retry = findScenario("retry-after-timeout")!.explanation.fromRun!;
    const attachedRetry = [outcome(0, { answer: "timed-out", status: null }), outcome(1, {})];
    expect(retry(attachedRetry, runFacts(attachedRetry))).toMatch(/attached to the invocation, still running/);
    const replayedRetry = [outcome(0, { answer: "timed-out", status: null }), outcome(1, { answer: "replayed" })];
    expect(retry(replayedRetry, runFacts(replayedRetry))).toMatch(/found the invocation finished/);

    const body = findScenario("same-key-different-body")!.explanation.fromRun!;
    const bodies = [
      outcome(0, { body: { amount: 10_000, currency: "USD" }, response: { amount: 10_000, currency: "USD" } }),
      outcome(1, { body: { amount: 55_000, currency: "EUR" }, response: { amount: 10_000, currency: "USD" }, answer: "replayed" }),
    ];
    expect(body(bodies, runFacts(bodies))).toMatch(/does not compare bodies.*asked for 550\.00 EUR and got 100\.00 USD.*status 200/);
  });

  it("caps count and concurrency", () => {
    const s = findScenario("concurrent-burst")!;
    expect(checkRunOptions(s, {})).toEqual({ count: 100, concurrency: 100 });
    expect(() => checkRunOptions(s, { count: 0 })).toThrow(/count must be a whole number from 1 to 10,000, got 0/);
    expect(() => checkRunOptions(s, { count: 10_001 })).toThrow(/count/);
    expect(() => checkRunOptions(s, { concurrency: 1001 })).toThrow(/concurrency must be a whole number from 1 to 1,000/);
  });
});

describe("pool", () => {
  it("never runs more than `concurrency` tasks at once and keeps the order", async () => {
    let running = 0;
    let peak = 0;
    const results = await pool(20, 3, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      return i * 2;
    });
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });
});
