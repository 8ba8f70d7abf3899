// Run records shaped after real runs against Restate 1.7.12 (their attempts, ledger links and
// events as the engine read them), for the attempts timeline, the inspector, the scope table, the
// retention countdown, the custom run's faults and predictions.
import type { RunRecord } from "../../../src/shared/protocol.js";
import { outcome, record, START } from "./fixtures.js";

const at = (ms: number) => new Date(Date.parse(START) + ms).toISOString();
const INV = "inv_1lCvmLJvONsa5O27trMBQAnGUqmzmZNzV8";

/** anti-pattern-charge-outside-run: the gateway's answer to the first charge was lost; the retry charged again. */
export function chargeOutsideRun(): RunRecord {
  const r = record(
    "anti1",
    [
      outcome(0, {
        answer: "executed",
        sentAtMs: 15.3,
        latencyMs: 2750.5,
        invocationId: INV,
        target: { service: "PaymentAntiPatterns", key: "pay-1", handler: "chargeOutsideRun" },
      }),
    ],
    {
      id: "anti-pattern-charge-outside-run",
      title: "Anti-pattern: charge outside ctx.run",
      kind: "anti-pattern",
      verdict: "unsafe",
      expectedVerdict: "unsafe",
      charges: 2,
      ledger: [
        { id: "ch_000001", type: "charge", paymentId: "pay-1", amount: 10000, currency: "USD", idempotencyKey: null, at: at(72), requestedAt: at(71) },
        { id: "ch_000002", type: "charge", paymentId: "pay-1", amount: 10000, currency: "USD", idempotencyKey: null, at: at(2737), requestedAt: at(2737) },
      ],
      invocations: [
        {
          id: INV,
          target: "PaymentAntiPatterns/pay-1/chargeOutsideRun",
          status: "completed",
          idempotency_key: "k",
          completion_result: "success",
          retry_count: null,
          created_at: at(20),
          userKey: true,
        },
      ],
      attempts: [
        {
          invocationId: INV,
          target: "PaymentAntiPatterns/pay-1/chargeOutsideRun",
          status: "completed",
          attempts: [
            {
              number: 1,
              startedAt: at(20),
              retryOf: null,
              endedAt: at(2084),
              outcome: "failed",
              error: {
                code: 500,
                message: "Payment gateway /charges did not answer within 2000 ms: The operation was aborted due to timeout",
                restateCode: "RT0007",
                command: null,
              },
              entries: { first: 0, last: 1 },
            },
            { number: 2, startedAt: null, retryOf: at(2084), endedAt: at(2762), outcome: "completed", error: null, entries: { first: 2, last: 7 } },
          ],
        },
      ],
      ledgerLinks: [
        { ledgerId: "ch_000001", invocationId: INV, attempt: 1, journal: null },
        {
          ledgerId: "ch_000002",
          invocationId: INV,
          attempt: 2,
          journal: { index: 5, type: "Notification: Run", name: "send receipt", inRun: false, appendedAt: at(2751) },
        },
      ],
      events: [],
    },
  );
  return { ...r, request: { scenario: "anti-pattern-charge-outside-run" }, conceptsSection: "anti-patterns" };
}

/** A custom run with a lost gateway answer: attempt 1 asked for the charge and failed, the retry got it back through ctx.run. */
export function customLostAnswer(): RunRecord {
  const inv = "inv_14XWh0W8cEZM185I4dKKtoV7zVVaoQslRN";
  const r = record("cust1", [outcome(0, { answer: "executed", sentAtMs: 8.3, latencyMs: 2568.4, invocationId: inv })], {
    id: "custom",
    title: "Custom request",
    ledger: [
      { id: "ch_000003", type: "charge", paymentId: "pay-1", amount: 10000, currency: "USD", idempotencyKey: "charge-pay-1", at: at(22), requestedAt: at(21) },
    ],
    invariants: [
      { name: "the customer is charged at most once (gateway ledger)", expected: "at most 1", observed: 1, ok: true, role: "safety" },
      { name: "the gateway's answer to a charge was lost once", expected: true, observed: true, ok: true, role: "sanity" },
    ],
    attempts: [
      {
        invocationId: inv,
        target: "PaymentService/pay-1/create",
        status: "completed",
        attempts: [
          {
            number: 1,
            startedAt: at(12),
            retryOf: null,
            endedAt: at(2036),
            outcome: "failed",
            error: {
              code: 500,
              message: "Payment gateway /charges did not answer within 2000 ms: The operation was aborted due to timeout",
              restateCode: "RT0007",
              command: { index: 2, name: "charge", type: "Run" },
            },
            entries: { first: 0, last: 2 },
          },
          { number: 2, startedAt: null, retryOf: at(2036), endedAt: at(2572), outcome: "completed", error: null, entries: { first: 3, last: 10 } },
        ],
      },
    ],
    ledgerLinks: [
      {
        ledgerId: "ch_000003",
        invocationId: inv,
        attempt: 1,
        journal: { index: 3, type: "Notification: Run", name: "charge", inRun: true, appendedAt: at(2557) },
      },
    ],
    events: [],
  });
  return { ...r, request: { scenario: "custom", count: 1, faults: { gatewayTimeoutAfterCharge: true } } };
}

/** key-scope: one key to four scopes; the repeat in the first scope is replayed. */
export function keyScope(): RunRecord {
  const t = (service: string, key: string, handler: string) => ({ service, key, handler });
  const [a, b, c, d] = ["inv_a", "inv_b", "inv_c", "inv_d"];
  return record(
    "scope1",
    [
      outcome(0, { label: "first", answer: "executed", invocationId: a, target: t("PaymentService", "pay-1", "create") }),
      outcome(1, { label: "same-scope", answer: "replayed", replayHeader: true, invocationId: a, target: t("PaymentService", "pay-1", "create") }),
      outcome(2, { label: "other-payment", answer: "executed", invocationId: b, target: t("PaymentService", "pay-1-other", "create") }),
      outcome(3, { label: "other-handler", answer: "executed", invocationId: c, target: t("PaymentService", "pay-1", "refund") }),
      outcome(4, { label: "other-service", answer: "executed", invocationId: d, target: t("PaymentAntiPatterns", "pay-1", "countOutsideJournal") }),
    ],
    { id: "key-scope", title: "The scope of a key" },
  );
}

/** retention-expiry: 5 s retention; a duplicate inside, one after the expiry (still replayed), one after the cleaner removed the entry. */
export function retention(): RunRecord {
  const inv = "inv_18sbn6VRsWJ04dk1GCVvUfoLUzmIjTe8e3";
  const expires = at(5114);
  const target = { service: "PaymentService", key: "pay-1", handler: "create" };
  return record(
    "ret1",
    [
      outcome(0, { label: "first", answer: "executed", sentAtMs: 33.5, latencyMs: 94.5, invocationId: inv, target }),
      outcome(1, { label: "inside", answer: "replayed", replayHeader: true, sentAtMs: 128.1, latencyMs: 33.7, invocationId: inv, target, expires }),
      outcome(2, { label: "after-expiry", answer: "replayed", replayHeader: true, sentAtMs: 5409.1, latencyMs: 3.4, invocationId: inv, target, expires }),
      outcome(3, { label: "after-removal", answer: "executed", sentAtMs: 7153.9, latencyMs: 12.4, invocationId: inv, target }),
    ],
    {
      id: "retention-expiry",
      title: "Retention: when a key is free again",
      attempts: [
        {
          invocationId: inv,
          target: "PaymentService/pay-1/create",
          status: "completed",
          attempts: [{ number: 1, startedAt: at(7156), retryOf: null, endedAt: at(7162), outcome: "completed", error: null, entries: { first: 0, last: 2 } }],
        },
      ],
      ledgerLinks: [{ ledgerId: "ch_000002", invocationId: null, attempt: null, journal: null }],
      events: [
        { kind: "retention", atMs: 33, service: "PaymentService", previous: "1d", set: "5s", restored: true },
        { kind: "wait", atMs: 5409, until: "expiry", reached: true, waitedMs: 5246, expires, invocationId: inv },
        { kind: "wait", atMs: 7154, until: "removal", reached: true, waitedMs: 1741, invocationId: inv },
      ],
    },
  );
}
