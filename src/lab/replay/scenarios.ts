// The scenario catalog. Each scenario is data: a plan of requests and faults, the
// invariants it expects, and what it teaches. run.ts carries a plan out against a live lab.
import { KEY_SCENARIOS } from "./scenarios-keys.js";
import { LIFECYCLE_SCENARIOS } from "./scenarios-lifecycle.js";
import { REAL_WORLD_SCENARIOS } from "./scenarios-real-world.js";
import { allOk, answered, copies, lostAnswer, money, noFailures, oneCharge, oneInvocation, oneRequest, oneResponse } from "./scenario-parts.js";
import type { ScenarioInfo } from "../../shared/protocol.js";
import type { InvariantSpec, PlanStep, RequestStep, Scenario, ServiceName } from "./types.js";

/** One request of the payment to PaymentService.create; `more` changes any of it (see oneRequest). */
const createPayment = (more: Partial<RequestStep> = {}) => oneRequest("PaymentService", "create", more);

/** One request whose charge the gateway records and never answers: the attempt fails and Restate retries the invocation. */
const chargeAnswerLost = (service: ServiceName, handler: string): PlanStep[] => [
  { kind: "faults", faults: { timeoutAfterCharge: 1 } },
  oneRequest(service, handler),
];

/** A handler of PaymentAntiPatterns whose flaw a lost answer to its charge shows. */
const antiPattern = (id: string, handler: string, title: string, lesson: string, invariants: InvariantSpec[], explanation: string): Scenario => ({
  id,
  title,
  lesson,
  kind: "anti-pattern",
  group: "anti-patterns",
  defaults: { count: 1, concurrency: 1 },
  plan: chargeAnswerLost("PaymentAntiPatterns", handler),
  invariants: [lostAnswer, allOk(1), ...invariants],
  explanation: {
    asExpected: explanation,
    otherwise: "The anti-pattern did not show its flaw in this run: check that the gateway fault fired (see the invariants) and the log.",
  },
  conceptsSection: "anti-patterns",
});

export const SCENARIOS: readonly Scenario[] = [
  {
    id: "duplicates-in-a-row",
    title: "Duplicates in a row",
    lesson: "The same idempotency key N times: one execution, one charge, the stored answer replayed.",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 5, concurrency: 1 },
    plan: [createPayment({ count: "options" })],
    invariants: [
      oneCharge,
      oneInvocation,
      oneResponse,
      noFailures,
      { name: "every request after the first is replayed from the stored result", metric: "replayed", expected: { countMinus: 1 }, role: "sanity" },
    ],
    explanation: {
      asExpected:
        "Restate ran the handler once. Every later request with the same key got the stored response back, marked by the idempotency-expires header, without running the handler again.",
    },
    conceptsSection: "idempotency-keys",
  },
  {
    id: "concurrent-burst",
    title: "Concurrent burst",
    lesson: "Many copies at once with one key: one invocation; copies that arrive while it runs attach to it, later ones get its stored answer.",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 100, concurrency: 100 },
    plan: [
      // A slow gateway keeps the first invocation running while the copies arrive.
      { kind: "faults", faults: { latencyMs: 500 } },
      createPayment({ count: "options", concurrency: "options" }),
    ],
    invariants: [
      oneCharge,
      oneInvocation,
      oneResponse,
      noFailures,
      { name: "copies attached to the running invocation", metric: "attached", expected: { atLeast: 1 }, role: "sanity" },
    ],
    explanation: {
      asExpected:
        "Restate did not start a second invocation: copies that arrived while the first was still charging attached to it and got its answer when it finished; any that came later got the stored answer.",
      fromRun: (requests) => {
        const attached = answered(requests, "attached");
        const replayed = answered(requests, "replayed");
        return (
          `Restate ran one invocation for the ${requests.length} copies. ${copies(attached)} arrived while it was still charging, ` +
          `attached to it and got its answer when it finished` +
          (replayed > 0 ? `; ${copies(replayed)} arrived after it had finished and got the stored answer (replayed)` : "") +
          ". None started a second invocation."
        );
      },
    },
    conceptsSection: "idempotency-keys",
  },
  {
    id: "retry-after-timeout",
    title: "Retry after a client timeout",
    lesson: "The client gives up and retries with the same key: the retry gets the one invocation's result.",
    kind: "idempotent",
    group: "failures",
    defaults: { count: 1, concurrency: 1 },
    plan: [{ kind: "faults", faults: { latencyMs: 1500 } }, createPayment({ clientTimeoutMs: 300 }), createPayment()],
    invariants: [
      oneCharge,
      { name: "Restate has one invocation for the key (admin SQL)", metric: "restateInvocations", expected: 1, role: "safety" },
      { name: "the first attempt timed out at the client", metric: "requestsTimedOut", expected: 1, role: "sanity" },
      allOk(1),
    ],
    explanation: {
      asExpected:
        "The client's timeout did not stop the invocation: Restate kept running it. The retry carried the same key, so it attached to that invocation (or got its stored result) instead of starting a second charge.",
      fromRun: (requests) =>
        "The client's timeout did not stop the invocation: Restate kept running it. The retry carried the same key, so " +
        (answered(requests, "replayed") > 0
          ? "it found the invocation finished and got its stored result (replayed)"
          : "it attached to the invocation, still running, and got its answer when it finished") +
        ", instead of starting a second charge.",
    },
    conceptsSection: "idempotency-keys",
  },
  {
    id: "no-key-same-payment",
    title: "No key, same payment id",
    lesson: "Without an idempotency key each request is a new invocation; the object's state still prevents a second charge.",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 3, concurrency: 1 },
    plan: [createPayment({ key: "none", count: "options" })],
    invariants: [
      oneCharge,
      oneResponse,
      { name: "each request was its own invocation", metric: "distinctInvocations", expected: "count", role: "sanity" },
      noFailures,
    ],
    explanation: {
      asExpected:
        "No key, so Restate ran the handler for every request. The payment id is the virtual object's key: the handler found the stored payment and returned it without charging. State-based deduplication did the work.",
    },
    conceptsSection: "virtual-object-state",
  },
  {
    id: "same-key-different-body",
    title: "Same key, different body",
    lesson: "Restate returns the first result for a reused key and ignores the new body, without an error.",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 1, concurrency: 1 },
    plan: [createPayment(), createPayment({ body: { amount: 55_000, currency: "EUR" } })],
    invariants: [
      oneCharge,
      oneInvocation,
      oneResponse,
      { name: "the second body was ignored (its answer is the first payment)", metric: "bodiesIgnored", expected: true, role: "sanity" },
    ],
    explanation: {
      asExpected:
        "Restate does not compare bodies: within the key's scope (service, payment id, handler) the key alone found the stored answer, and the second request got the first payment, with status 200. A client bug that reuses keys goes unnoticed. A fingerprint check (store a hash of the body with the key, answer 422 when it differs) would catch it, as the IETF Idempotency-Key draft and Stripe do.",
      fromRun: ([first, second]) =>
        `Restate does not compare bodies: within the key's scope (service, payment id, handler) the key alone found the stored answer. ` +
        `The second request asked for ${money(second?.body)} and got ${money(second?.response)}, the payment the first request asked for (${money(first?.body)}), with status ${second?.status}. ` +
        "A client bug that reuses keys goes unnoticed. A fingerprint check (store a hash of the body with the key, answer 422 when it differs) would catch it, as the IETF Idempotency-Key draft and Stripe do.",
    },
    conceptsSection: "idempotency-keys",
  },
  {
    id: "gateway-timeout-after-charge",
    title: "Gateway times out after charging",
    lesson:
      "The charge happened but its answer was lost: the attempt failed, Restate retried the invocation and ran the ctx.run step again, and the gateway key stopped a second charge.",
    kind: "idempotent",
    group: "failures",
    defaults: { count: 1, concurrency: 1 },
    plan: chargeAnswerLost("PaymentService", "create"),
    invariants: [lostAnswer, oneCharge, allOk(1)],
    explanation: {
      asExpected:
        "ctx.run journals a result only when the action returns. The gateway's answer never came, so Restate retried the step. The retry sent the same gateway idempotency key (derived from the payment id), and the gateway answered with the charge it already had.",
    },
    conceptsSection: "journaling",
  },
  {
    id: "crash-after-charge-journaled",
    title: "Crash after the charge was journaled",
    lesson: "The service dies mid-handler; Restate retries on the restarted service and the journaled charge is not repeated.",
    kind: "idempotent",
    group: "failures",
    needsLocalService: true,
    defaults: { count: 1, concurrency: 1 },
    plan: [
      // A slow receipt holds the handler after the charge: long enough to crash it, shorter than
      // the service's 2 s gateway timeout (which would otherwise cause a retry of its own).
      { kind: "faults", faults: { receiptLatencyMs: 1500 } },
      createPayment({ crashServiceAfter: { run: "charge", state: "completed" } }),
    ],
    invariants: [
      { name: "the service was killed mid-handler", metric: "serviceCrashed", expected: true, role: "sanity" },
      oneCharge,
      { name: "one receipt sent", metric: "receipts", expected: 1, role: "safety" },
      allOk(1),
    ],
    explanation: {
      asExpected:
        "The charge's result was in Restate's journal when the process died. On the restarted service Restate replayed the journal: ctx.run returned the recorded charge without calling the gateway, and only the unfinished receipt step ran again.",
    },
    conceptsSection: "journaling",
  },
  antiPattern(
    "anti-pattern-charge-outside-run",
    "chargeOutsideRun",
    "Anti-pattern: charge outside ctx.run",
    "A side effect outside ctx.run runs again on every retry: the customer is charged twice.",
    [oneCharge],
    "The gateway's answer was lost, so the handler failed and Restate retried it from the top. The charge was not journaled and no state was written yet, so the retry charged again: two charges in the ledger for one payment.",
  ),
  antiPattern(
    "anti-pattern-counter",
    "countOutsideJournal",
    "Anti-pattern: counter outside the journal",
    "Process memory changed by a handler is not journaled: a retry counts the same order twice.",
    [oneCharge, { name: "the order is counted once", metric: "timesCounted", expected: 1, role: "safety" }],
    "The charge was safe (in ctx.run, with a gateway key), but the in-memory counter was bumped on both attempts: the service now believes it processed two orders. Keep such counts in Restate's state, and count by order id (an order already counted is not counted again), since a duplicate request without a key is a new invocation that would count once more.",
  ),
  antiPattern(
    "anti-pattern-rely-on-gateway",
    "relyOnGatewayIdempotency",
    "Anti-pattern: relying on the gateway's idempotency",
    "A new gateway key on every attempt makes the gateway's idempotency useless: two charges.",
    [oneCharge],
    "The handler trusted the gateway to deduplicate, but made a fresh gateway key on each attempt. To the gateway the retry was a new charge. The key must be the same on every attempt (derived from the payment id, or drawn with ctx.rand.uuidv4() outside ctx.run), and the handler should keep its own state.",
  ),
  {
    id: "send-with-key",
    title: "/send with an idempotency key",
    lesson: "A one-way send with a key: Accepted, then PreviouslyAccepted with the same invocation id; attach for the result.",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 2, concurrency: 1 },
    plan: [createPayment({ count: "options", via: "send" }), { kind: "attach" }],
    invariants: [
      oneCharge,
      oneInvocation,
      { name: "later sends answered PreviouslyAccepted", metric: "previouslyAccepted", expected: { countMinus: 1 }, role: "sanity" },
      { name: "attaching returned the payment", metric: "answeredOk", expected: 1, role: "sanity" },
    ],
    explanation: {
      asExpected:
        "The first /send was accepted and got an invocation id. The duplicates were recognised by their key: PreviouslyAccepted, same id, nothing new started. Attaching by that id waited for the one invocation and returned its result.",
    },
    conceptsSection: "idempotency-keys",
  },
  ...KEY_SCENARIOS,
  ...LIFECYCLE_SCENARIOS,
  ...REAL_WORLD_SCENARIOS,
];

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/** What the panel's catalog is told of a scenario: its words and defaults, not its plan or invariants. */
export function scenarioInfo(s: Scenario): ScenarioInfo {
  return {
    id: s.id,
    title: s.title,
    lesson: s.lesson,
    kind: s.kind,
    group: s.group,
    defaults: s.defaults,
    conceptsSection: s.conceptsSection,
    needsLocalService: s.needsLocalService === true,
    ...(s.needsLabRestate !== undefined ? { needsLabRestate: s.needsLabRestate } : {}),
  };
}
