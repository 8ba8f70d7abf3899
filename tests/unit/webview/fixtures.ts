// Run records, history entries and request outcomes for the webview's unit tests.
import type { LabStatus, RequestOutcome, RunRecord, RunSummary } from "../../../src/shared/protocol.js";

export const START = "2026-01-01T10:00:00.000Z";

/** A lab that is up, on the default ports. */
export const readyLab: LabStatus = { state: "ready", ingress: "http://127.0.0.1:8080", admin: "http://127.0.0.1:9070", gateway: "http://127.0.0.1:9081" };

/** The history's entry of a concurrent burst: one charge for its three requests. */
export const burstSummary = (runId: string, finishedAt = START): RunSummary => ({
  runId,
  scenario: "concurrent-burst",
  title: "Concurrent burst",
  verdict: "safe",
  requests: 3,
  charges: 1,
  finishedAt,
});

export function outcome(index: number, o: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    index,
    step: 0,
    method: "POST",
    path: "/PaymentService/pay-1/create",
    paymentId: "pay-1",
    idempotencyKey: "k",
    body: { amount: 10000, currency: "USD" },
    sentAtMs: index,
    latencyMs: 10,
    status: 200,
    response: { paymentId: "pay-1", amount: 10000, currency: "USD", status: "charged" },
    invocationId: "inv_1",
    replayHeader: false,
    answer: "attached",
    ...o,
  };
}

export function record(runId: string, details: RequestOutcome[], over: Partial<RunRecord["result"]> = {}): RunRecord {
  return {
    runId,
    request: { scenario: "concurrent-burst", count: details.length, concurrency: 100 },
    finishedAt: "2026-01-01T10:00:02.000Z",
    conceptsSection: "idempotency-keys",
    result: {
      id: "concurrent-burst",
      title: "Concurrent burst",
      lesson: "lesson",
      kind: "idempotent",
      verdict: "safe",
      expectedVerdict: "safe",
      requests: details.length,
      distinctResponses: 1,
      distinctInvocations: 1,
      charges: 1,
      refunds: 0,
      invariants: [
        { name: "the customer is charged once (gateway ledger)", expected: 1, observed: 1, ok: true, role: "safety" },
        { name: "no request failed", expected: 0, observed: 0, ok: true, role: "sanity" },
      ],
      explanation: "explained",
      notes: [],
      paymentIds: ["pay-1"],
      startedAt: START,
      durationMs: 600,
      ledger: [
        { id: "ch_000002", type: "charge", paymentId: "pay-1", amount: 10000, currency: "USD", idempotencyKey: "charge-pay-1", at: "2026-01-01T10:00:00.250Z" },
        { id: "ch_000001", type: "charge", paymentId: "other", amount: 1, currency: "USD", idempotencyKey: null, at: "2026-01-01T10:00:00.100Z" },
      ],
      invocations: [],
      requestsDetail: details,
      ...over,
    },
  };
}

/** A concurrent burst: request 0 executes, the rest attach; `n` requests. */
export function burst(n: number): RequestOutcome[] {
  return Array.from({ length: n }, (_, i) =>
    outcome(i, { answer: i === 0 ? "executed" : i < n / 2 ? "attached" : "replayed", sentAtMs: i * 0.1, latencyMs: 500 - (i % 7) }),
  );
}
