// Scenarios from production beyond the idempotency key: a saga that undoes its charge on cancel
// (and a kill that does not), webhooks delivered more than once and out of order, the admin
// API's purge and restart-as-new, and a charge whose outcome stays unknown until an operator
// looks it up. Scenarios as data (docs/05-real-world.md); each explanation is told from the run.
import { namedRequest, oneCharge } from "./scenario-parts.js";
import type { InvariantSpec, PlanEvent, RequestOutcome, RequestStep, RunFacts, Scenario } from "./types.js";

const eventsOf = <K extends PlanEvent["kind"]>(facts: RunFacts, kind: K) => facts.events.filter((e): e is Extract<PlanEvent, { kind: K }> => e.kind === kind);
const entriesOf = (facts: RunFacts, requests: readonly RequestOutcome[], type: "charge" | "refund") =>
  facts.ledger.filter((e) => e.type === type && requests.some((r) => r.paymentId === e.paymentId));
const ids = (entries: ReadonlyArray<{ id: string }>) => (entries.length === 0 ? "none" : entries.map((e) => e.id).join(", "));
const answerOf = (r: RequestOutcome | undefined) => `${r?.status} ${JSON.stringify(r?.response)}`;

/** Counts the ledger entries of the payment a label's requests went to. */
const ledgerCount = (name: string, metric: "charges" | "refunds", of: string, expected: number, role: InvariantSpec["role"]): InvariantSpec => ({
  name,
  metric,
  of,
  expected,
  role,
});

// ---- 1. Compensation: cancel runs the saga's undo, kill does not ----

/** A checkout held in its receipt step (after the charge), long enough to stop it there. */
const heldCheckout = (label: string, object: "main" | "other") =>
  [{ kind: "faults", faults: { receiptLatencyMs: 1500 } }, namedRequest(label, "OrderSaga", "checkout", { object, inFlight: true })] as const;

const compensation: Scenario = {
  id: "compensation-cancel-vs-kill",
  title: "Compensation: cancel versus kill",
  lesson: "A cancelled checkout runs its compensations (the charge is refunded); a killed one runs no code at all (the charge stays).",
  kind: "idempotent",
  group: "failures",
  defaults: { count: 1, concurrency: 1 },
  plan: [
    ...heldCheckout("cancelled", "main"),
    { kind: "stop", how: "cancel", when: { run: "send receipt", state: "started" } },
    { kind: "settle" },
    ...heldCheckout("killed", "other"),
    { kind: "stop", how: "kill", when: { run: "send receipt", state: "started" }, object: "other" },
    { kind: "settle" },
  ],
  invariants: [
    { name: "the admin API accepted the cancel and the kill", metric: "stopped", expected: true, role: "sanity" },
    { name: "the cancelled checkout's caller got 409", metric: "status", of: "cancelled", expected: 409, role: "sanity" },
    { name: "the killed checkout's caller got 409", metric: "status", of: "killed", expected: 409, role: "sanity" },
    ledgerCount("the cancelled checkout had charged", "charges", "cancelled", 1, "sanity"),
    ledgerCount("the cancelled checkout refunded its charge (its compensation ran)", "refunds", "cancelled", 1, "safety"),
    ledgerCount("the killed checkout had charged", "charges", "killed", 1, "sanity"),
    ledgerCount("the killed checkout refunded nothing (a kill runs no compensation)", "refunds", "killed", 0, "sanity"),
    { name: "no payment charged twice", metric: "maxChargesPerPayment", expected: 1, role: "safety" },
  ],
  explanation: {
    asExpected:
      "The cancel reached the handler as a TerminalError at its next await; the catch block ran the registered compensation, a refund in ctx.run, and the ledger shows the charge and its refund. The kill ended the other invocation without running any more of its code: its charge stays alone in the ledger.",
    fromRun: (_requests, facts) => {
      const [cancelled] = facts.of("cancelled");
      const [killed] = facts.of("killed");
      const [cancel, kill] = eventsOf(facts, "stop");
      return [
        `Both checkouts were stopped in their receipt step, after the charge. The cancel (PATCH /invocations/${cancel?.invocationId}/cancel, answered ${cancel?.status}) reached the handler as a TerminalError at its next await: the catch block ran the compensation it had registered after the charge, a refund in ctx.run with its own gateway key. Its caller got ${answerOf(cancelled)}.`,
        `Ledger of ${cancelled?.paymentId}: charge ${ids(entriesOf(facts, facts.of("cancelled"), "charge"))}, refund ${ids(entriesOf(facts, facts.of("cancelled"), "refund"))}.`,
        `The kill (PATCH /invocations/${kill?.invocationId}/kill, answered ${kill?.status}) ended the other invocation without running another line of it; its caller got ${answerOf(killed)}.`,
        `Ledger of ${killed?.paymentId}: charge ${ids(entriesOf(facts, facts.of("killed"), "charge"))}, refund ${ids(entriesOf(facts, facts.of("killed"), "refund"))}: someone must refund it by hand.`,
      ].join(" ");
    },
    otherwise: "The run did not show the contrast: see the invariants (was the cancel accepted, did the refund reach the ledger?) and the notes.",
  },
  conceptsSection: "compensation",
};

// ---- 2. Webhooks: at least once, out of order; deduplicated by the event id ----

const delivery = (label: string, id: string, type: string, created: number, more: Partial<RequestStep> = {}): RequestStep =>
  // A provider sends no Restate idempotency key: each delivery is a new invocation.
  namedRequest(label, "PaymentWebhooks", "onEvent", { body: { id, type, created }, key: "none", ...more });

const webhooks: Scenario = {
  id: "webhook-duplicates",
  title: "Webhooks: duplicated, out of order",
  lesson:
    "A provider delivers each event at least once and in any order: the handler applies each event id once and never lets an older event replace a newer one.",
  kind: "idempotent",
  group: "failures",
  defaults: { count: 1, concurrency: 1 },
  plan: [
    // The later event (a refund, created 2) arrives first.
    delivery("refunded-first", "evt_2", "charge.refunded", 2),
    // Three copies of the earlier event at once, as a provider's retries can overlap.
    delivery("succeeded-copies", "evt_1", "charge.succeeded", 1, { count: 3, concurrency: 3 }),
    delivery("refunded-again", "evt_2", "charge.refunded", 2),
    namedRequest("view", "PaymentWebhooks", "view", { body: null, key: "none" }),
  ],
  invariants: [
    { name: "every delivery was answered 200", metric: "answeredOk", expected: 6, role: "sanity" },
    { name: "five deliveries reached the handler", metric: "answerField", field: "deliveries", of: "view", expected: 5, role: "sanity" },
    { name: "two distinct events were applied", metric: "answerField", field: "eventsApplied", of: "view", expected: 2, role: "safety" },
    { name: "the newest event (created 2) stayed the latest", metric: "answerField", field: "latestCreated", of: "view", expected: 2, role: "safety" },
    { name: "charge.succeeded sent one receipt", metric: "receipts", expected: 1, role: "safety" },
  ],
  explanation: {
    asExpected:
      "Each delivery was a new invocation (no Restate key), so the handler itself deduplicated: it keeps the event ids it has applied in the object's state and answers a known id as a duplicate. The older event that arrived after the newer one was applied but did not replace it as the latest.",
    fromRun: (requests, facts) => {
      const deliveries = requests.filter((r) => r.label !== "view");
      const fresh = deliveries.filter((r) => (r.response as { duplicate?: boolean } | null)?.duplicate === false).length;
      const invocations = new Set(deliveries.map((r) => r.invocationId)).size;
      const [view] = facts.of("view");
      return (
        `${deliveries.length} deliveries, ${invocations} invocations (a provider sends no Restate key, so Restate deduplicated nothing): the handler applied ${fresh} and answered the other ${deliveries.length - fresh} as duplicates, by the event ids kept in the object's state. ` +
        `The refund (evt_2, created 2) arrived before the charge (evt_1, created 1); the object still names the newest as its latest: ${JSON.stringify(view?.response)}. ` +
        "The charge event's side effect, the receipt, was sent once."
      );
    },
    otherwise: "The handler did not deduplicate as expected: see the invariants and the answers of the deliveries.",
  },
  conceptsSection: "webhooks",
};

// ---- 3. Purge frees a key; restart-as-new is a new invocation ----

const purge: Scenario = {
  id: "purge-frees-key",
  title: "Purge frees a key",
  lesson: "Purging a completed invocation (admin API) makes Restate forget its key at once: a duplicate runs the handler again, under the same invocation id.",
  kind: "idempotent",
  group: "keys-and-retention",
  defaults: { count: 1, concurrency: 1 },
  plan: [
    namedRequest("first", "Fees", "charge"),
    namedRequest("replayed", "Fees", "charge"),
    { kind: "admin", action: "purge", of: "first" },
    namedRequest("after-purge", "Fees", "charge"),
  ],
  invariants: [
    { name: "before the purge the duplicate was replayed", metric: "replayHeaders", of: "replayed", expected: 1, role: "sanity" },
    { name: "the admin API accepted the purge", metric: "stopped", expected: true, role: "sanity" },
    { name: "after the purge the same key ran the handler again", metric: "executed", of: "after-purge", expected: 1, role: "sanity" },
    { name: "...under the same invocation id", metric: "sameInvocation", of: "after-purge", like: "first", expected: true, role: "sanity" },
    oneCharge,
  ],
  explanation: {
    asExpected:
      "The purge removed the invocation and its key: the next request with that key ran Fees.charge again. Its invocation id derives from the key, so it was the same id, ctx.rand drew the same gateway key, and the gateway answered with the fee it had already charged.",
    fromRun: (_requests, facts) => {
      const [first] = facts.of("first");
      const [again] = facts.of("after-purge");
      const [purged] = eventsOf(facts, "stop");
      const keys = [first, again].map((r) => (r?.response as { gatewayKey?: string } | null)?.gatewayKey);
      return (
        `The duplicate before the purge was replayed (idempotency-expires). PATCH /invocations/${purged?.invocationId}/purge answered ${purged?.status}, and the same key then ran Fees.charge again: no idempotency-expires, the same x-restate-id ${again?.invocationId}. ` +
        `An invocation id with a key derives from the key, and ctx.rand is seeded with the id, so the rerun drew the same gateway key (${keys[0]} then ${keys[1]}) and the gateway answered with the charge it had: ${ids(facts.ledger.filter((e) => e.type === "charge"))}. ` +
        "Fees has no state check: only that repeated gateway key stopped a second charge."
      );
    },
    otherwise: "The purge did not free the key as expected: see the invariants and the notes.",
  },
  conceptsSection: "purge-and-restart-as-new",
};

const restartAsNew: Scenario = {
  id: "anti-pattern-restart-as-new",
  title: "Anti-pattern: restart-as-new on a random key",
  lesson: "restart-as-new starts a new invocation with a new id: ctx.rand draws a new gateway key, and Fees charges the customer again.",
  kind: "anti-pattern",
  group: "anti-patterns",
  defaults: { count: 1, concurrency: 1 },
  plan: [namedRequest("first", "Fees", "charge"), { kind: "admin", action: "restart-as-new", of: "first" }],
  invariants: [{ name: "the admin API accepted the restart-as-new", metric: "stopped", expected: true, role: "sanity" }, oneCharge],
  explanation: {
    asExpected: "restart-as-new ran Fees.charge again as a new invocation: a new id, so ctx.rand drew a new gateway key and the gateway made a second charge.",
    fromRun: (_requests, facts) => {
      const [restart] = eventsOf(facts, "stop");
      const charges = facts.ledger.filter((e) => e.type === "charge");
      return (
        `PATCH /invocations/${restart?.invocationId}/restart-as-new answered ${restart?.status} with a new invocation, ${restart?.newInvocationId}, which ran Fees.charge from the top. ` +
        `ctx.rand is seeded with the invocation id, so it drew a new gateway key: ${charges.map((e) => `${e.id} (key ${e.idempotencyKey})`).join(", ")}. ` +
        "Before restarting an invocation that has side effects, check what it already did (the ledger). PaymentService.create, restarted the same way, charges nothing more: it finds the payment in its state, and its gateway key comes from the payment id."
      );
    },
    otherwise: "The restart did not charge again: see the invariants and the notes.",
  },
  conceptsSection: "purge-and-restart-as-new",
};

// ---- 4. An unknown outcome: the invocation pauses, the operator reconciles, then resumes ----

const unknownOutcome: Scenario = {
  id: "unknown-outcome-pause",
  title: "Unknown outcome: pause, reconcile, resume",
  lesson:
    'When the gateway\'s answers stop coming, a retry policy with onMaxAttempts "pause" stops the retries; the ledger, looked up by the key, tells the operator the charge happened; resume gets it without a second charge.',
  kind: "idempotent",
  group: "failures",
  defaults: { count: 1, concurrency: 1 },
  plan: [
    // More lost answers than CarefulPayments' three attempts: every attempt times out.
    { kind: "faults", faults: { loseChargeAnswers: 10 } },
    namedRequest("waiting", "CarefulPayments", "create", { inFlight: true }),
    { kind: "wait", until: "paused" },
    // The outage is over (and the ledger says the charge is there): resume.
    { kind: "faults", faults: { loseChargeAnswers: 0 } },
    { kind: "admin", action: "resume" },
    { kind: "settle" },
    namedRequest("duplicate", "CarefulPayments", "create"),
  ],
  invariants: [
    { name: "Restate paused the invocation after its attempts", metric: "paused", expected: true, role: "sanity" },
    { name: "the admin API accepted the resume", metric: "stopped", expected: true, role: "sanity" },
    { name: "the waiting caller got 200 after the resume", metric: "status", of: "waiting", expected: 200, role: "sanity" },
    { name: "a duplicate got the same payment", metric: "sameAnswer", of: "duplicate", like: "waiting", expected: true, role: "sanity" },
    oneCharge,
  ],
  explanation: {
    asExpected:
      "Every attempt's answer was lost, so after three attempts Restate paused the invocation instead of retrying for ever. The gateway's ledger held the charge under its key; the resumed attempt sent the same key and got that charge back.",
    fromRun: (_requests, facts) => {
      const paused = eventsOf(facts, "wait").find((e) => e.until === "paused");
      const [resume] = eventsOf(facts, "stop");
      const [waiting] = facts.of("waiting");
      const charges = facts.ledger.filter((e) => e.type === "charge");
      const before = charges.filter((e) => resume && Date.parse(e.at) < facts.startedAtMs + resume.atMs);
      return (
        `Every answer to the charge was lost; after CarefulPayments' three attempts (retryPolicy maxAttempts 3, onMaxAttempts "pause") Restate paused ${paused?.invocationId}, ${((paused?.atMs ?? 0) / 1000).toFixed(1)} s into the run. The caller kept waiting. ` +
        (before.length > 0
          ? `Before the resume the gateway's ledger already held ${ids(before)} under the key ${before[0]!.idempotencyKey}: the charge had happened, only its answer was lost. `
          : "Before the resume the gateway's ledger held no charge for the payment yet. ") +
        `The resume (answered ${resume?.status}) ran one more attempt with the same key; the gateway answered with that charge, and the waiting caller got ${waiting?.status}. Ledger: ${ids(charges)}.`
      );
    },
    otherwise: "The run did not pause, or the resume did not end well: see the invariants and the notes.",
  },
  conceptsSection: "an-unknown-outcome",
};

// ---- 5. A provider with no keys: at most once, or at least once ----

const emails: Scenario = {
  id: "email-at-most-or-at-least-once",
  title: "An email provider with no keys",
  lesson:
    "With no key at the provider, a lost answer forces a choice: one attempt and an unknown outcome (at most once), or retries and maybe a second email (at least once).",
  kind: "idempotent",
  group: "failures",
  defaults: { count: 1, concurrency: 1 },
  plan: [
    { kind: "faults", faults: { loseReceiptAnswers: 1 } },
    namedRequest("at-most-once", "OrderEmails", "sendAtMostOnce", { body: null }),
    { kind: "faults", faults: { loseReceiptAnswers: 1 } },
    namedRequest("at-least-once", "OrderEmails", "sendAtLeastOnce", { body: null, object: "other" }),
  ],
  invariants: [
    { name: "both handlers answered 200", metric: "answeredOk", expected: 2, role: "sanity" },
    { name: "at most once: one email, never retried", metric: "receipts", of: "at-most-once", expected: 1, role: "safety" },
    {
      name: "...and its outcome recorded as unknown (not confirmed)",
      metric: "answerField",
      field: "confirmed",
      of: "at-most-once",
      expected: 0,
      role: "sanity",
    },
    { name: "at least once: the lost answer was retried, a second email went out", metric: "receipts", of: "at-least-once", expected: 2, role: "sanity" },
    { name: "...and the second attempt was confirmed", metric: "answerField", field: "confirmed", of: "at-least-once", expected: 1, role: "sanity" },
  ],
  explanation: {
    asExpected:
      "The provider sent both first emails and lost both answers. sendAtMostOnce had one attempt: it recorded the outcome as unknown and sent nothing more. sendAtLeastOnce let Restate retry: the retry sent a second email, and its answer came.",
    fromRun: (_requests, facts) => {
      const [once] = facts.of("at-most-once");
      const [least] = facts.of("at-least-once");
      return (
        `The provider takes no key, so each attempt is a new email, and the first answer to each handler was lost. sendAtMostOnce (ctx.run with maxRetryAttempts 1) answered ${answerOf(once)}: one email went out, but the handler cannot know it. ` +
        `sendAtLeastOnce (Restate's default retries) answered ${answerOf(least)}: the retry sent a second email to the same customer. ` +
        "Which to choose depends on the message: a duplicate order confirmation annoys, a missing password reset blocks."
      );
    },
    otherwise: "The run did not show both behaviours: see the invariants (did the fault fire twice?) and the notes.",
  },
  conceptsSection: "a-provider-with-no-keys",
};

export const REAL_WORLD_SCENARIOS: readonly Scenario[] = [compensation, webhooks, purge, restartAsNew, unknownOutcome, emails];
