// The causal chain of a chaos violation: every ledger row tied to the attempt that made it (or
// "attempt unknown" when the records cannot tell), only the faults that touched the payment's
// attempts, and each retry between them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chainLine, naturalCompare, violationChains } from "../../src/shared/chaos-chain.js";
import type { ChaosResult, FaultEvent } from "../../src/shared/chaos-result.js";
import type { InvocationAttempts, LedgerEntry } from "../../src/shared/run-result.js";

const START = "2026-11-30T19:26:39.000Z";
const at = (ms: number) => new Date(Date.parse(START) + ms).toISOString();
const fault = (index: number, kind: FaultEvent["kind"], atMs: number, amount = 1, durationMs = 0): FaultEvent => ({
  index,
  kind,
  atMs,
  durationMs,
  amount,
  applied: { atMs, ok: true },
});
const charge = (id: string, paymentId: string, ms: number): LedgerEntry => ({
  id,
  type: "charge",
  paymentId,
  amount: 2500,
  currency: "EUR",
  idempotencyKey: null,
  at: at(ms),
  requestedAt: at(ms),
});

// chargeOutsideRun, as Restate records it: attempt 1 charges, the gateway loses its answer, the
// attempt fails, Restate retries, attempt 2 charges again.
const INV = "inv_17XcMZv2LL7E4DKDsK99UiTzXSBh4pMcnY";
const retried: InvocationAttempts = {
  invocationId: INV,
  target: "PaymentAntiPatterns/chaos-7-ab-2/chargeOutsideRun",
  status: "completed",
  attempts: [
    {
      number: 1,
      startedAt: at(3000),
      retryOf: null,
      endedAt: at(3300),
      outcome: "failed",
      error: { code: 500, message: "fetch failed: other side closed", restateCode: null, command: null },
      entries: { first: 0, last: 1 },
    },
    { number: 2, startedAt: null, retryOf: at(3300), endedAt: at(3600), outcome: "completed", error: null, entries: { first: 2, last: 5 } },
  ],
};

function result(faults: FaultEvent[], ledger: LedgerEntry[], attempts: InvocationAttempts[], paymentId = "chaos-7-ab-2"): ChaosResult {
  const charges = ledger.filter((e) => e.paymentId === paymentId);
  return {
    kind: "chaos",
    seed: 7,
    target: "PaymentAntiPatterns/chargeOutsideRun",
    options: { payments: 12, duplicates: 3, durationS: 10 },
    startedAt: START,
    durationMs: 9000,
    schedule: faults,
    requests: [],
    payments: [],
    invariants: [],
    violations: [
      {
        invariant: "charged exactly once",
        paymentId,
        summary: `${charges.length} charges in the ledger (${charges.map((c) => c.id).join(", ")})`,
        history: {
          requests: [
            {
              index: 4,
              paymentId,
              handler: "create",
              idempotencyKey: "ab-create-2",
              sentAtMs: 2990,
              answeredAtMs: 3610,
              tries: 1,
              status: 200,
              response: { chargeId: "ch_000009" },
              invocationId: INV,
              error: null,
            },
          ],
          faults,
          attempts,
          ledger: charges,
        },
      },
    ],
    verdict: "unsafe",
    expectedVerdict: "unsafe",
    stopped: false,
  };
}

describe("violationChains", () => {
  it("ties each charge to its attempt, names the fault that lost the first answer, and the retry between", () => {
    const faults = [fault(0, "lost-answer", 1000), fault(2, "lost-answer", 3050), fault(3, "service-kill", 8000)];
    // ch_000005 (another payment's) took fault #0; fault #2 took this payment's first charge.
    const ledger = [charge("ch_000005", "chaos-7-ab-1", 1500), charge("ch_000007", "chaos-7-ab-2", 3100), charge("ch_000009", "chaos-7-ab-2", 3400)];
    const [chain, ...more] = violationChains(result(faults, ledger, [retried]), ledger);
    expect(more).toEqual([]);
    const texts = chain!.steps.map((s) => s.text);
    expect(texts.find((t) => t.startsWith("ch_000007"))).toBe(
      "ch_000007 charged 25.00 EUR by attempt 1 of inv_17Xc…McnY, its answer lost by fault #2 (the gateway charges, then loses its answer) at 3.05 s",
    );
    expect(texts.find((t) => t.startsWith("ch_000009"))).toBe("ch_000009 charged 25.00 EUR by attempt 2 of inv_17Xc…McnY");
    // In time order: the charge, the failure and retry, the second charge.
    const line = chainLine(chain!);
    expect(line.indexOf("ch_000007")).toBeLessThan(line.indexOf("Restate retried: attempt 2"));
    expect(line.indexOf("Restate retried: attempt 2")).toBeLessThan(line.indexOf("ch_000009"));
    // Fault #0 hit another payment's charge, fault #3 came after every attempt ended: neither is in this chain.
    expect(line).not.toContain("fault #0");
    expect(line).not.toContain("fault #3");
    expect(chain!.broken).toEqual([{ invariant: "charged exactly once", summary: "2 charges in the ledger (ch_000007, ch_000009)" }]);
  });

  it("says the attempt is unknown when no recorded attempt, or more than one, held the charge", () => {
    const ledger = [charge("ch_000007", "chaos-7-ab-2", 3100), charge("ch_000011", "chaos-7-ab-2", 7000)];
    const second: InvocationAttempts = {
      invocationId: "inv_1eJ5NBkpfRmm5JIGpQtG3mjWgBqO3ClAfm",
      target: retried.target,
      status: "completed",
      attempts: [{ number: 1, startedAt: at(2900), retryOf: null, endedAt: at(3200), outcome: "completed", error: null, entries: null }],
    };
    const [chain] = violationChains(result([], ledger, [retried, second]), ledger);
    const texts = chain!.steps.map((s) => s.text);
    expect(texts).toContain("ch_000007 charged 25.00 EUR by an attempt unknown (attempt 1 of inv_17Xc…McnY and attempt 1 of inv_1eJ5…lAfm were running then)");
    expect(texts).toContain("ch_000011 charged 25.00 EUR by an attempt unknown (no recorded attempt of this payment was running then)");
  });

  it("names a failing-calls fault on the attempt its 503 failed, and a latency only while an attempt ran", () => {
    const failed: InvocationAttempts = {
      ...retried,
      attempts: [
        { ...retried.attempts[0]!, error: { code: 503, message: "The gateway is unavailable (injected fault)", restateCode: null, command: null } },
        retried.attempts[1]!,
      ],
    };
    const faults = [fault(1, "gateway-latency", 500, 800, 1000), fault(2, "failing-calls", 3050, 2), fault(4, "gateway-latency", 3500, 900, 2000)];
    const ledger = [charge("ch_000009", "chaos-7-ab-2", 3400)];
    const [chain] = violationChains(result(faults, ledger, [failed]), ledger);
    const line = chainLine(chain!);
    expect(line).toContain("fault #2 (the gateway fails the next 2 calls (503)): its 503 failed attempt 1 of inv_17Xc…McnY");
    expect(line).toContain("fault #4 (gateway latency 900 ms for 2.0 s) while attempt 2 of inv_17Xc…McnY ran");
    expect(line).not.toContain("fault #1");
  });

  it("tells a real chargeOutsideRun run: two charges in one recorded attempt across the restart of restate-server", () => {
    const real = JSON.parse(readFileSync(join(import.meta.dirname, "webview", "chaos-anti.fixture.json"), "utf8")) as ChaosResult;
    const chains = violationChains(real, null);
    expect(chains.map((c) => c.paymentId)).toEqual(["chaos-7-c1cdd9-1", "chaos-7-c1cdd9-2"]);
    const line = chainLine(chains[0]!);
    expect(line).toContain("ch_000007 charged 25.00 EUR by attempt 1 of inv_17Xc…McnY");
    expect(line).toContain("ch_000009 charged 25.00 EUR by attempt 1 of inv_17Xc…McnY");
    expect(line).toContain("Restate's records show no failed attempt between them");
    // Every ledger row of the payment is in its chain.
    for (const c of chains) {
      const v = real.violations.find((x) => x.paymentId === c.paymentId)!;
      for (const e of v.history.ledger) expect(chainLine(c)).toContain(e.id);
    }
  });
});

describe("a violation whose history kept no attempts", () => {
  it("takes the payment's attempts from the evidence read after the run", () => {
    const ledger = [charge("ch_000007", "chaos-7-ab-2", 3100), charge("ch_000009", "chaos-7-ab-2", 3400)];
    const r = result([], ledger, []);
    expect(chainLine(violationChains(r, ledger)[0]!)).toContain("ch_000007 charged 25.00 EUR by an attempt unknown (no recorded attempt");
    const other: InvocationAttempts = {
      ...retried,
      invocationId: "inv_1eJ5NBkpfRmm5JIGpQtG3mjWgBqO3ClAfm",
      target: "PaymentAntiPatterns/chaos-7-ab-3/chargeOutsideRun",
    };
    const line = chainLine(violationChains(r, ledger, [other, retried])[0]!);
    expect(line).toContain("ch_000007 charged 25.00 EUR by attempt 1 of inv_17Xc…McnY");
    expect(line).toContain("ch_000009 charged 25.00 EUR by attempt 2 of inv_17Xc…McnY");
    expect(line).not.toContain("inv_1eJ5");
  });
});

describe("naturalCompare", () => {
  it("puts p2 before p10", () => {
    expect(["chaos-7-ab-10", "chaos-7-ab-2", "chaos-7-ab-1"].sort(naturalCompare)).toEqual(["chaos-7-ab-1", "chaos-7-ab-2", "chaos-7-ab-10"]);
  });
});

describe("a lost answer armed long before the payment's first request", () => {
  it("is told on the charge it hit, from the whole schedule; a run of one payment is its own whole ledger", () => {
    const early = fault(0, "lost-answer", 200);
    const ledger = [charge("ch_000007", "chaos-7-ab-2", 3100), charge("ch_000009", "chaos-7-ab-2", 3400)];
    const r = result([], ledger, [retried]);
    const alone = {
      ...r,
      schedule: [early],
      payments: [{ paymentId: "chaos-7-ab-2", requests: [4], charges: 2, chargedAmount: 5000, refundedAmount: 0, broken: ["charged exactly once"] }],
    };
    expect(chainLine(violationChains(alone)[0]!)).toContain("ch_000007 charged 25.00 EUR by attempt 1 of inv_17Xc…McnY, its answer lost by fault #0");
    // With another payment's charge first after the fault, the fault took that one.
    const other = [charge("ch_000006", "chaos-7-ab-1", 1000), ...ledger];
    expect(chainLine(violationChains({ ...r, schedule: [early] }, other)[0]!)).not.toContain("fault #0");
  });
});
