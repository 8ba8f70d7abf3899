// The replay engine's vocabulary: scenarios as data. What a run observed (its result) is a
// wire type, shared with the webview: src/shared/run-result.ts.
import type { InvocationAttempts, InvocationRow, LedgerEntry, PlanEvent, RequestOutcome, ScenarioKind } from "../../shared/run-result.js";
import type { ScenarioGroup } from "../../shared/protocol.js";
import type { Faults as GatewayFaults } from "../../../lab-templates/payment-service/gateway/contract.js";

export type { AnswerKind, InvariantResult, InvocationRow, LedgerEntry, PlanEvent, RequestOutcome, ScenarioResult, Verdict } from "../../shared/run-result.js";

export type ServiceName =
  "PaymentService" | "PaymentAntiPatterns" | "Fees" | "CheckoutWorkflow" | "OrderSaga" | "PaymentWebhooks" | "CarefulPayments" | "OrderEmails";

/** The object a request goes to: the run's payment id, or a second one of the same run. */
export type ObjectRef = "main" | "other";

/** Gateway faults, as the mock gateway's POST /faults takes them. */
/** The gateway faults a plan step sets (any of the gateway's own, POST /faults). */
export type Faults = Partial<GatewayFaults>;

/** Which idempotency key each request of a step carries; "second" is one more key of the run, shared like "shared". */
export type KeyPlan = "shared" | "none" | "per-request" | "second";

export interface RequestStep {
  kind: "requests";
  /** Names the step's requests, for invariants (InvariantSpec.of) and explanations. */
  label?: string;
  service: ServiceName;
  /** Default: the run's payment id. */
  object?: ObjectRef;
  handler: string;
  /** The request body; the payment id is the object key, not part of the body. */
  body: unknown;
  key: KeyPlan;
  /** "options" takes the count and concurrency the user asked for (or the scenario's defaults). */
  count: number | "options";
  concurrency: number | "options";
  /** Call the handler and wait for its result, or /send it and get an invocation id back. */
  via?: "call" | "send";
  /** The client gives up after this long (it may then retry in a later step). */
  clientTimeoutMs?: number;
  /** Kill the service process while this step's requests are in flight, once the journal shows the step. */
  crashServiceAfter?: { run: string; state: "started" | "completed" };
  /** Send without waiting: the next steps run while these requests are in flight; a "settle" step collects their answers. */
  inFlight?: boolean;
}

export type PlanStep =
  | { kind: "faults"; faults: Faults }
  | RequestStep
  /** Attach and wait for the result: of the invocation the first /send created, or of the run's workflow (by its id). */
  | { kind: "attach"; label?: string; workflow?: ServiceName }
  /** Sets the service's idempotency retention through the admin API for this run; the old value is put back after it. */
  | { kind: "retention"; service: ServiceName; retention: string }
  /** Kills or cancels (admin API) the invocation of the payment (default "main") whose journal shows this ctx.run step. */
  | { kind: "stop"; how: "kill" | "cancel"; when: { run: string; state: "started" }; object?: ObjectRef }
  /**
   * An admin API action on an invocation: purge or restart-as-new the invocation that answered the
   * requests labelled `of`; resume the invocation the last "paused" wait found.
   */
  | { kind: "admin"; action: "purge" | "restart-as-new"; of: string }
  | { kind: "admin"; action: "resume" }
  /** Waits for the answers of the requests sent "inFlight". */
  | { kind: "settle" }
  /**
   * Waits until: the idempotency-expires of the last replayed answer has passed ("expiry"); Restate's
   * record of the run's first keyed invocation is gone ("removal": its cleaner ran); the gateway
   * recorded a receipt for the payment ("receipt"); Restate paused the payment's invocation ("paused").
   * Each with a deadline; the event says whether it came.
   */
  | { kind: "wait"; until: "expiry" | "removal" | "receipt" | "paused" };

export type Metric =
  | "charges"
  | "refunds"
  | "receipts"
  | "distinctResponses"
  | "distinctInvocations"
  | "restateInvocations"
  | "requestsFailed"
  | "requestsTimedOut"
  | "answeredOk"
  | "replayed"
  | "attached"
  | "previouslyAccepted"
  | "timesCounted"
  | "lostAnswerInjected"
  | "serviceCrashed"
  | "bodiesIgnored"
  /** Answers marked executed: the handler ran for them (a new run under an old invocation id counts too). */
  | "executed"
  /** Answers that carried idempotency-expires, failures included. */
  | "replayHeaders"
  /** The HTTP status of the first request of the selection (0 when it got none). */
  | "status"
  /** Every answered request of the selection names the invocation of the first answered request of `like`. */
  | "sameInvocation"
  /** Every answered request of the selection got the status and body of the first answered request of `like`. */
  | "sameAnswer"
  /** The admin API accepted the kill or cancel (or the purge, resume, restart-as-new). */
  | "stopped"
  /** Restate's cleaner removed the entry the run waited for. */
  | "entryRemoved"
  /** Restate paused the invocation the run waited for. */
  | "paused"
  /** A number field (InvariantSpec.field) of the last answer with status 200 in the selection. */
  | "answerField"
  /** The most charges any one of the run's payments got. */
  | "maxChargesPerPayment";

export type Expectation = number | boolean | { atLeast: number } | { atMost: number } | { countMinus: number } | "count";

export interface InvariantSpec {
  name: string;
  metric: Metric;
  expected: Expectation;
  /**
   * safety: what idempotency protects (charges, invocations, responses); its failure is the lesson
   * of an anti-pattern and a bug anywhere else. sanity: the run did what the scenario planned.
   */
  role: "safety" | "sanity";
  /** Measure only the requests of the steps with this label (charges and refunds: the ledger of their payment). */
  of?: string;
  /** For sameInvocation and sameAnswer: the label of the requests compared with (default: the first request). */
  like?: string;
  /** For answerField: the field's name. */
  field?: string;
}

/** What an explanation is told from: everything the run observed. */
export interface RunFacts {
  requests: readonly RequestOutcome[];
  ledger: readonly LedgerEntry[];
  events: readonly PlanEvent[];
  attempts: readonly InvocationAttempts[];
  invocations: readonly InvocationRow[];
  /** Epoch milliseconds of the scenario's start: sentAtMs and atMs count from here. */
  startedAtMs: number;
  /** The requests of the steps with this label. */
  of(label: string): RequestOutcome[];
}

export interface Scenario {
  id: string;
  title: string;
  /** One line: what the learner should take away. */
  lesson: string;
  kind: ScenarioKind;
  /** The catalog's heading it is listed under. */
  group: ScenarioGroup;
  defaults: { count: number; concurrency: number };
  /** Needs the lab's own service process (to crash it): not possible against a remote Restate. */
  needsLocalService?: boolean;
  /** Needs the lab's own restate-server (its cleaner runs every 5 s, and the run changes its settings): skipped elsewhere, with this reason. */
  needsLabRestate?: string;
  plan: PlanStep[];
  invariants: InvariantSpec[];
  explanation: {
    asExpected: string;
    /** When set, the explanation of a run that went as expected, told from that run's answers (asExpected is the fallback). */
    fromRun?: (requests: readonly RequestOutcome[], facts: RunFacts) => string;
    otherwise?: string;
  };
  /** The docs section this scenario illustrates, by its heading id (on any numbered page: pageForSection finds it). */
  conceptsSection: string;
}
