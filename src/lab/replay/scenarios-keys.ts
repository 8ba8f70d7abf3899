// Scenarios about what a key covers: its scope (service, object key, handler), a downstream key
// drawn from the journal or not, a read-modify-write that only a key protects, and a workflow,
// whose id is its key. Scenarios as data; each explanation is told from the run it explains.
import { allOk, money, namedRequest, oneCharge } from "./scenario-parts.js";
import type { InvariantSpec, RequestOutcome, RunFacts, Scenario } from "./types.js";

const ORDER = { orderId: "order-1" };

const where = (r: RequestOutcome | undefined) => (r?.target ? `${r.target.service}/${r.target.key}/${r.target.handler}` : (r?.path ?? "?"));
const chargesOf = (facts: RunFacts) => facts.ledger.filter((e) => e.type === "charge");
const field = (value: unknown, name: string): unknown => (value as Record<string, unknown> | null)?.[name];
const messageOf = (value: unknown) => String(field(value, "message") ?? JSON.stringify(value));
/** How many attempts Restate recorded for the invocation behind a request, when it did. */
function attemptsBehind(facts: RunFacts, request: RequestOutcome | undefined): number | null {
  const invocation = facts.attempts.find((a) => a.invocationId === request?.invocationId);
  return invocation ? invocation.attempts.length : null;
}

const crashed: InvariantSpec = {
  name: "the service was killed while the gateway worked on the charge",
  metric: "serviceCrashed",
  expected: true,
  role: "sanity",
};

function crashStory(facts: RunFacts, drawn: boolean): string {
  const [request] = facts.of("fee");
  const attempts = attemptsBehind(facts, request);
  const charges = chargesOf(facts);
  const keys = charges.map((c) => c.idempotencyKey ?? "(none)");
  const crash = facts.events.find((e) => e.kind === "crash");
  const killedAt = crash ? facts.startedAtMs + crash.atMs : NaN;
  // The first charge asked for: recorded after the kill, its result cannot have reached the journal before it.
  const firstAsked = [...charges].sort((a, b) => (a.requestedAt ?? a.at).localeCompare(b.requestedAt ?? b.at))[0];
  const recordedAfter = firstAsked ? Date.parse(firstAsked.at) - killedAt : NaN;
  const start =
    'The service was killed as soon as Restate\'s journal showed ctx.run "charge" started' +
    (recordedAfter > 0
      ? `; the gateway, slowed down for this run, recorded that charge ${(recordedAfter / 1000).toFixed(1)} s after the kill: the attempt that asked for it died before its result could reach the journal. `
      : ". ") +
    `Restate retried on the restarted service${attempts !== null && attempts > 1 ? ` (${attempts} attempts in its records)` : ""}, and the handler ran again from the top. `;
  if (drawn) {
    const answered = field(request?.response, "gatewayKey") === keys[0] && field(request?.response, "chargeId") === charges[0]?.id;
    return (
      start +
      `The ledger has one charge (${charges[0]?.id}), under one gateway key, ${keys[0]}` +
      (answered
        ? ", and the answer carries that key and that charge: the retry drew the same key from ctx.rand.uuidv4(), and the gateway answered it with the charge it had made. "
        : ". ") +
      "Restate seeds ctx.rand with the invocation id, so every attempt of one invocation draws the same values."
    );
  }
  return (
    start +
    `It made its gateway key with crypto.randomUUID() again, and got a new one: the ledger has ${charges.length} charges for one fee (${charges.map((c) => c.id).join(", ")}), under the keys ${keys.join(" and ")}. ` +
    "To the gateway the retry was a new charge. Drawn with ctx.rand.uuidv4() at the same place, the key would have been the same on every attempt."
  );
}

function scopeStory(facts: RunFacts): string {
  const [firstRun] = facts.of("first");
  const [again] = facts.of("same-scope");
  const [otherPayment] = facts.of("other-payment");
  const [otherHandler] = facts.of("other-handler");
  const [otherService] = facts.of("other-service");
  const refund = facts.ledger.find((e) => e.type === "refund");
  const created = field(firstRun?.response, "chargeId");
  const otherCharge = field(otherService?.response, "chargeId");
  return (
    `One key, ${firstRun?.idempotencyKey}, five requests. On ${where(firstRun)} it ran the handler (${firstRun?.invocationId}), which charged ${String(created)}; ` +
    `the same request again, in the same scope, was ${again?.replayHeader ? "replayed from that invocation" : `answered by ${again?.invocationId}`}. ` +
    `On ${where(otherPayment)}, another payment id: a new invocation (${otherPayment?.invocationId}), a new payment. ` +
    `On ${where(otherHandler)}, another handler: a new invocation (${otherHandler?.invocationId})${refund ? ` that refunded ${money(refund)}` : ""}. ` +
    `On ${where(otherService)}, another service: a new invocation too (${otherService?.invocationId}), and its handler ran` +
    (otherCharge !== undefined && otherCharge === created
      ? `; its charge came back as ${String(otherCharge)}, the charge create had made, because both handlers send the gateway key charge-${firstRun?.target?.key}: that key, not Restate's, stopped a second charge. `
      : ". ") +
    "A key's scope is service + object key + handler: outside it, the same key is a new request."
  );
}

function countStory(facts: RunFacts): string {
  const keyless = facts.of("keyless");
  const keylessCount = field(facts.of("keyless-count")[0]?.response, "orders");
  const keyed = facts.of("keyed");
  const keyedCount = field(facts.of("keyed-count")[0]?.response, "orders");
  return (
    `Two requests for ${ORDER.orderId} without a key were two invocations (${keyless.map((r) => r.invocationId).join(", ")}): each read the count, added one and wrote it back, one after the other. ` +
    `The stored count is ${String(keylessCount)} for one order. ` +
    `The same two requests with one idempotency key, on another account: the second was ${keyed[1]?.replayHeader ? "replayed from the first (idempotency-expires)" : "answered by the first invocation"}, and the stored count is ${String(keyedCount)}. ` +
    "The state is journaled and each invocation ran once: the flaw is that nothing says which order a call counts. Store the ids of the orders counted and skip one already there, or require a key."
  );
}

/**
 * The two lessons of a gateway key made in a fee handler: the service is killed while the gateway
 * works on the charge, and the retry asks again with whatever key it makes. `drawn`: the handler
 * draws it from ctx.rand (the same on every attempt), not from crypto.randomUUID().
 */
const crashMidCharge = (
  fee: { service: "Fees" | "PaymentAntiPatterns"; handler: string; drawn: boolean },
  about: Pick<Scenario, "id" | "title" | "lesson" | "kind" | "group">,
  explanation: Omit<Scenario["explanation"], "fromRun">,
): Scenario => ({
  ...about,
  needsLocalService: true,
  defaults: { count: 1, concurrency: 1 },
  plan: [
    // Slow enough to kill the service in, quicker than the service's 2 s gateway timeout.
    { kind: "faults", faults: { latencyMs: 1500 } },
    namedRequest("fee", fee.service, fee.handler, { crashServiceAfter: { run: "charge", state: "started" } }),
  ],
  invariants: [crashed, oneCharge, allOk(1)],
  explanation: { ...explanation, fromRun: (_requests, facts) => crashStory(facts, fee.drawn) },
  conceptsSection: "keys-drawn-from-the-journal",
});

function workflowStory(facts: RunFacts): string {
  const [keyed] = facts.of("keyed");
  const [run] = facts.of("first");
  const [again] = facts.of("again");
  const [attached] = facts.of("attach");
  const key = run?.target?.key;
  const call = facts.invocations.find((i) => i.target === `PaymentService/${key}/create`);
  const charge = chargesOf(facts)[0];
  return (
    `Restate refused an idempotency key on ${where(keyed)} with ${keyed?.status}: "${messageOf(keyed?.response)}" ` +
    `Without a key, the first submit ran the workflow (${run?.invocationId})` +
    (call ? `, which paid through ${call.target}${call.idempotency_key ? ` with the key ${call.idempotency_key}` : ""}` : "") +
    `${charge ? ` (${charge.id})` : ""}. ` +
    `A second submit of the same workflow id did not run it again: ${again?.status} "${messageOf(again?.response)}", under ${again?.invocationId === run?.invocationId ? "the first submit's" : "another"} x-restate-id. ` +
    `Attaching to the workflow by its id (${attached?.path}) returned the first submit's result. The workflow id is the key: one run per id, one charge.`
  );
}

export const KEY_SCENARIOS: readonly Scenario[] = [
  {
    id: "key-scope",
    title: "The scope of a key",
    lesson: "A key is scoped to service + object key + handler: the same key on another payment id, handler or service is a new invocation.",
    kind: "idempotent",
    group: "keys-and-retention",
    defaults: { count: 1, concurrency: 1 },
    plan: [
      namedRequest("first", "PaymentService", "create"),
      namedRequest("same-scope", "PaymentService", "create"),
      namedRequest("other-payment", "PaymentService", "create", { object: "other" }),
      namedRequest("other-handler", "PaymentService", "refund", { body: { refundId: "refund-1", amount: 1000 } }),
      namedRequest("other-service", "PaymentAntiPatterns", "countOutsideJournal"),
    ],
    invariants: [
      { name: "no payment is charged twice (gateway ledger)", metric: "maxChargesPerPayment", expected: 1, role: "safety" },
      { name: "the repeat in the same scope was replayed", metric: "replayHeaders", of: "same-scope", expected: 1, role: "sanity" },
      { name: "the repeat had the first request's invocation", metric: "sameInvocation", of: "same-scope", like: "first", expected: true, role: "sanity" },
      { name: "each other scope got an invocation of its own (4 in all)", metric: "distinctInvocations", expected: 4, role: "sanity" },
      allOk(5),
    ],
    explanation: {
      asExpected:
        "The key was replayed only in its own scope. On another payment id, another handler and another service, the same key started a new invocation each time.",
      fromRun: (_requests, facts) => scopeStory(facts),
    },
    conceptsSection: "the-scope-of-a-key",
  },
  crashMidCharge(
    { service: "Fees", handler: "charge", drawn: true },
    {
      id: "key-from-journal",
      title: "A gateway key drawn from the journal",
      lesson: "A gateway key from ctx.rand.uuidv4(), drawn outside ctx.run, is the same on every attempt: a crash mid-charge still charges once.",
      kind: "idempotent",
      group: "keys-and-retention",
    },
    {
      asExpected:
        "The service died while the gateway was charging. On the retry the handler drew the same gateway key from ctx.rand, and the gateway answered with the charge it had made: one charge.",
    },
  ),
  crashMidCharge(
    { service: "PaymentAntiPatterns", handler: "feeWithRandomKey", drawn: false },
    {
      id: "anti-pattern-random-key",
      title: "Anti-pattern: a gateway key from crypto.randomUUID()",
      lesson: "A key made with crypto.randomUUID() in the handler is new on every attempt: a crash mid-charge charges twice.",
      kind: "anti-pattern",
      group: "anti-patterns",
    },
    {
      asExpected:
        "The service died while the gateway was charging. The retry made a new gateway key with crypto.randomUUID(), and the gateway charged again: two charges for one fee.",
      otherwise: "The anti-pattern did not show its flaw in this run: check that the service was killed in time (see the invariants) and the log.",
    },
  ),
  {
    id: "anti-pattern-keyless-read-modify-write",
    title: "Anti-pattern: a keyless read-modify-write of state",
    lesson: "A counter in object state counts a duplicate sent without a key twice; with one idempotency key it counts once.",
    kind: "anti-pattern",
    group: "anti-patterns",
    defaults: { count: 1, concurrency: 1 },
    plan: [
      namedRequest("keyless", "PaymentAntiPatterns", "countOrder", { body: ORDER, key: "none", count: 2 }),
      namedRequest("keyless-count", "PaymentAntiPatterns", "orders", { body: null, key: "none" }),
      namedRequest("keyed", "PaymentAntiPatterns", "countOrder", { object: "other", body: ORDER, count: 2 }),
      namedRequest("keyed-count", "PaymentAntiPatterns", "orders", { object: "other", body: null, key: "none" }),
    ],
    invariants: [
      {
        name: "a duplicate without a key counts the order once (object state)",
        metric: "answerField",
        field: "orders",
        of: "keyless-count",
        expected: 1,
        role: "safety",
      },
      { name: "the two keyless requests were two invocations", metric: "distinctInvocations", of: "keyless", expected: 2, role: "sanity" },
      { name: "with one key the duplicate was replayed", metric: "replayHeaders", of: "keyed", expected: 1, role: "sanity" },
      { name: "with one key the order is counted once (object state)", metric: "answerField", field: "orders", of: "keyed-count", expected: 1, role: "sanity" },
    ],
    explanation: {
      asExpected:
        "Without a key the duplicate was a second invocation, which read the count the first had written and added one more: one order counted twice. With a key the duplicate was replayed and the order counted once.",
      fromRun: (_requests, facts) => countStory(facts),
      otherwise: "The anti-pattern did not show its flaw in this run: see the invariants.",
    },
    conceptsSection: "anti-patterns",
  },
  {
    id: "workflow-run-once",
    title: "A workflow's id is its key",
    lesson:
      "While a workflow is retained (one day by default), its id runs once: a second submit is refused as already invoked, attach returns the result, and an idempotency key on run is refused. Once the retention is over and the cleaner passed, the same id runs again, like a key past its retention.",
    kind: "idempotent",
    group: "keys-and-retention",
    defaults: { count: 1, concurrency: 1 },
    plan: [
      namedRequest("keyed", "CheckoutWorkflow", "run"),
      namedRequest("first", "CheckoutWorkflow", "run", { key: "none" }),
      namedRequest("again", "CheckoutWorkflow", "run", { key: "none" }),
      { kind: "attach", label: "attach", workflow: "CheckoutWorkflow" },
    ],
    invariants: [
      oneCharge,
      { name: "run ran once", metric: "executed", expected: 1, role: "safety" },
      { name: "an idempotency key on run was refused with 400", metric: "status", of: "keyed", expected: 400, role: "sanity" },
      { name: "the first submit ran the workflow", metric: "status", of: "first", expected: 200, role: "sanity" },
      { name: "a second submit was refused with 409", metric: "status", of: "again", expected: 409, role: "sanity" },
      { name: "...under the first submit's invocation", metric: "sameInvocation", of: "again", like: "first", expected: true, role: "sanity" },
      { name: "attaching by the workflow id returned the first result", metric: "sameAnswer", of: "attach", like: "first", expected: true, role: "sanity" },
    ],
    explanation: {
      asExpected:
        "Restate refused the idempotency key on run. The first submit ran the workflow and paid; a second submit of the same id was refused as already invoked, and attaching returned the first result.",
      fromRun: (_requests, facts) => workflowStory(facts),
    },
    conceptsSection: "workflows",
  },
];
