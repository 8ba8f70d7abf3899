// Scenarios about how long a key holds: its retention and what happens after it (Restate's
// cleaner decides when a key is really free), and what a killed or cancelled invocation
// leaves behind for a retry. Scenarios as data; each explanation is told from the run.
import { namedRequest, oneCharge } from "./scenario-parts.js";
import type { InvariantSpec, PlanEvent, PlanStep, RequestOutcome, RunFacts, Scenario, ServiceName } from "./types.js";

/** The lab's restate-server cleans every 5 s (supervisor.ts); the run also changes a service's setting. */
const LAB_RESTATE =
  "needs the lab's own restate-server: it shortens a service's idempotency retention for the run and waits for Restate's cleaner, which runs every 5 s there (a Restate elsewhere keeps its own schedule: once an hour by default)";
const RETENTION = "5s";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const chargeIds = (facts: RunFacts) => facts.ledger.filter((e) => e.type === "charge").map((e) => e.id);
const eventOf = <K extends PlanEvent["kind"]>(facts: RunFacts, kind: K, until?: string) =>
  facts.events.find((e): e is Extract<PlanEvent, { kind: K }> => e.kind === kind && (until === undefined || (e as { until?: string }).until === until));

const replayedInside: InvariantSpec = {
  name: "the duplicate inside the retention was replayed",
  metric: "replayHeaders",
  of: "inside",
  expected: 1,
  role: "sanity",
};
const removed: InvariantSpec = { name: "Restate's cleaner removed the expired entry (sys_invocation)", metric: "entryRemoved", expected: true, role: "sanity" };
const ranAgain: InvariantSpec = {
  name: "after the removal, the same key ran the handler again",
  metric: "executed",
  of: "after-removal",
  expected: 1,
  role: "sanity",
};
const sameId: InvariantSpec = {
  name: "...under the same invocation id",
  metric: "sameInvocation",
  of: "after-removal",
  like: "first",
  expected: true,
  role: "sanity",
};

/**
 * Both retention lessons: a short retention, a request and its duplicate inside it, then the same
 * key once Restate's cleaner removed the entry; `afterExpiry` also sends it between expiry and removal.
 */
const retentionPlan = (service: ServiceName, handler: string, { afterExpiry }: { afterExpiry: boolean }): PlanStep[] => [
  { kind: "retention", service, retention: RETENTION },
  namedRequest("first", service, handler),
  namedRequest("inside", service, handler),
  ...(afterExpiry ? ([{ kind: "wait", until: "expiry" }, namedRequest("after-expiry", service, handler)] satisfies PlanStep[]) : []),
  { kind: "wait", until: "removal" },
  namedRequest("after-removal", service, handler),
];

/** The first sentences of both retention stories: the setting, the replay, the expiry and the cleaner. */
function retentionOpening(facts: RunFacts): { text: string; again: RequestOutcome | undefined } {
  const retention = eventOf(facts, "retention");
  const removal = eventOf(facts, "wait", "removal");
  const [first] = facts.of("first");
  const [inside] = facts.of("inside");
  const [late] = facts.of("after-expiry");
  const [again] = facts.of("after-removal");
  const expiresAtMs = inside?.expires ? Date.parse(inside.expires) - facts.startedAtMs : NaN;
  const parts = [
    retention
      ? `For this run ${retention.service} kept keys for ${retention.set} (set through the admin API; it was ${retention.previous}, and ${retention.restored ? "was put back afterwards" : "putting it back failed: see the notes"}).`
      : "",
    `The first request ran ${first?.target?.handler} (${first?.invocationId}); the duplicate right after it was replayed from Restate's store, with idempotency-expires ${inside?.expires}.`,
  ];
  if (late?.replayHeader) {
    const same = late.invocationId === first?.invocationId && late.expires === inside?.expires;
    parts.push(
      `${seconds(late.sentAtMs - expiresAtMs)} after that time had passed, a duplicate was still replayed` +
        (same ? ", with the same x-restate-id and the same, now past, idempotency-expires" : "") +
        ": expiry ends Restate's promise, it does not remove the entry.",
    );
  } else if (late) {
    parts.push("A duplicate sent just after that time ran the handler again: Restate's cleaner had already removed the entry.");
  }
  if (removal?.reached && Number.isFinite(expiresAtMs)) {
    parts.push(
      `Restate's cleaner removed the entry from sys_invocation within ${seconds(removal.atMs - expiresAtMs)} of its expiry (the lab's restate-server cleans every 5 s; one with the default settings, once an hour).`,
    );
  }
  if (again) {
    parts.push(
      `The next duplicate ran the handler again (no idempotency-expires), under the same x-restate-id ${again.invocationId}: the id of an invocation with a key derives from the key and its scope, so only the header tells a replay from a new run.`,
    );
  }
  return { text: parts.filter((p) => p !== "").join(" "), again };
}

function stopStory(facts: RunFacts): string {
  const stop = eventOf(facts, "stop");
  const receipt = eventOf(facts, "wait", "receipt");
  const [caller] = facts.of("in-flight");
  const [duplicate] = facts.of("duplicate");
  const [fresh] = facts.of("new-key");
  if (!stop || !caller) return "";
  const how = stop.how;
  const charges = chargeIds(facts);
  const answeredAfter = Math.round(caller.sentAtMs + caller.latencyMs - stop.atMs);
  const parts = [
    `The ${how} (PATCH /invocations/${stop.invocationId}/${how} on the admin API, answered ${stop.status}) came while create waited for its receipt, after the charge.`,
    `The caller waiting on create got ${caller.status} ${JSON.stringify(caller.response)}, ${answeredAfter} ms after the ${how} was sent.`,
    `A duplicate with the same key got the same answer, replayed from the same invocation (idempotency-expires ${duplicate?.expires}): a ${how === "kill" ? "killed" : "cancelled"} invocation keeps its key, so the key is not free again while Restate remembers it.`,
    `What create did before the ${how} stayed done: ${charges.length} charge in the ledger (${charges.join(", ")}), and the payment it had written to the object's state answered the request with a new key (receipt "${String((fresh?.response as { receipt?: unknown } | null)?.receipt)}"), without another charge.`,
  ];
  const stoppedAt = facts.startedAtMs + stop.atMs;
  if (receipt?.reached && receipt.recordedAt && Date.parse(receipt.recordedAt) > stoppedAt) {
    parts.push(
      `The receipt step that was in flight when the ${how} came still sent its receipt, ${seconds(Date.parse(receipt.recordedAt) - stoppedAt)} later: a ${how} ends the invocation, not the code already running in the service.`,
    );
  }
  return parts.join(" ");
}

/** A create held in its receipt step, killed or cancelled there, then sent again with its key and with a new one. */
const stopThenRetry = (how: "kill" | "cancel"): Scenario => ({
  id: `${how}-then-retry`,
  title: how === "kill" ? "Kill, then retry" : "Cancel, then retry",
  lesson:
    how === "kill"
      ? "A killed invocation answers 409 killed, and so does a keyed duplicate: the key is not free again. A kill stops the handler where it is and runs no compensation: what it did before the kill stays done."
      : "A cancelled invocation answers 409 Cancelled, and so does a keyed duplicate: the key is not free again. A cancel reaches the handler as an error at its next await, where it could undo its steps; create undoes nothing, so the charge stays done.",
  kind: "idempotent",
  group: "failures",
  defaults: { count: 1, concurrency: 1 },
  plan: [
    // Holds create in its receipt step, after the charge, long enough to stop it there.
    { kind: "faults", faults: { receiptLatencyMs: 1500 } },
    namedRequest("in-flight", "PaymentService", "create", { inFlight: true }),
    { kind: "stop", how, when: { run: "send receipt", state: "started" } },
    { kind: "settle" },
    namedRequest("duplicate", "PaymentService", "create"),
    namedRequest("new-key", "PaymentService", "create", { key: "second" }),
    { kind: "wait", until: "receipt" },
  ],
  invariants: [
    { name: `the admin API accepted the ${how}`, metric: "stopped", expected: true, role: "sanity" },
    { name: "the waiting caller got 409", metric: "status", of: "in-flight", expected: 409, role: "sanity" },
    { name: "a duplicate with the same key got the same answer", metric: "sameAnswer", of: "duplicate", like: "in-flight", expected: true, role: "sanity" },
    { name: "...from the same invocation", metric: "sameInvocation", of: "duplicate", like: "in-flight", expected: true, role: "sanity" },
    { name: "...replayed from Restate's store: the key is not free", metric: "replayHeaders", of: "duplicate", expected: 1, role: "sanity" },
    oneCharge,
    { name: "a new key got the payment from the object's state", metric: "answeredOk", of: "new-key", expected: 1, role: "sanity" },
  ],
  explanation: {
    asExpected:
      how === "kill"
        ? "The kill ended the invocation with a 409; a keyed duplicate got the same 409 back. A kill runs no compensation: what create had done before it (the charge, the payment in state) stayed done."
        : "The cancel ended the invocation with a 409; a keyed duplicate got the same 409 back. create let the cancellation through without compensating, so what it had done before (the charge, the payment in state) stayed done; a handler that catches it can undo its steps first.",
    fromRun: (_requests, facts) => stopStory(facts),
  },
  conceptsSection: "kill-and-cancel-then-retry",
});

export const LIFECYCLE_SCENARIOS: readonly Scenario[] = [
  stopThenRetry("kill"),
  stopThenRetry("cancel"),
  {
    id: "retention-expiry",
    title: "Retention: when a key is free again",
    lesson:
      "A key is replayed within its retention and may still be after idempotency-expires; once Restate's cleaner removed it the handler runs again, and the object's state stops a second charge.",
    kind: "idempotent",
    group: "keys-and-retention",
    needsLabRestate: LAB_RESTATE,
    defaults: { count: 1, concurrency: 1 },
    plan: retentionPlan("PaymentService", "create", { afterExpiry: true }),
    invariants: [
      oneCharge,
      { name: "every answer is the same payment", metric: "distinctResponses", expected: 1, role: "safety" },
      replayedInside,
      removed,
      ranAgain,
      sameId,
    ],
    explanation: {
      asExpected:
        "Within the retention the duplicate was replayed. Once Restate's cleaner had removed the expired entry, the same key ran create again, under the same invocation id, and the payment in the object's state answered it: one charge.",
      fromRun: (_requests, facts) => {
        const { text, again } = retentionOpening(facts);
        return `${text} ${again?.status === 200 ? "create found the payment in the object's state and answered with it: " : ""}${chargeIds(facts).length} charge in the ledger.`;
      },
    },
    conceptsSection: "when-a-key-is-free-again",
  },
  {
    id: "anti-pattern-key-alone-after-expiry",
    title: "Anti-pattern: relying on the key alone",
    lesson:
      "A handler with no state guard and a new gateway key per run is safe only while Restate remembers the key: after the cleaner removed it, a duplicate charges again.",
    kind: "anti-pattern",
    group: "anti-patterns",
    needsLabRestate: LAB_RESTATE,
    defaults: { count: 1, concurrency: 1 },
    plan: retentionPlan("PaymentAntiPatterns", "relyOnGatewayIdempotency", { afterExpiry: false }),
    invariants: [replayedInside, removed, ranAgain, sameId, oneCharge],
    explanation: {
      asExpected:
        "While Restate remembered the key, the duplicate was replayed. Once its cleaner had removed the entry, the duplicate ran the handler again; with no state to check and a new gateway key, it charged again.",
      fromRun: (_requests, facts) => {
        const { text } = retentionOpening(facts);
        const keys = facts.ledger.filter((e) => e.type === "charge").map((e) => e.idempotencyKey ?? "(none)");
        return `${text} relyOnGatewayIdempotency keeps no state and makes a new gateway key on every run (${keys.join(", ")}), so the gateway charged again: ${chargeIds(facts).join(", ")} for one payment. The key is remembered for a while, not for ever; the object's state is what PaymentService.create checks.`;
      },
      otherwise: "The anti-pattern did not show its flaw in this run: see the invariants (did the cleaner remove the entry?) and the notes.",
    },
    conceptsSection: "when-a-key-is-free-again",
  },
];
