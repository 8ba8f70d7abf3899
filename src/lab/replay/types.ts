// The replay engine's vocabulary: scenarios as data. What a run observed (its result) is a
// wire type, shared with the webview: src/shared/run-result.ts.
import type { RequestOutcome, ScenarioKind } from "../../shared/run-result.js";

export type { AnswerKind, InvariantResult, InvocationRow, LedgerEntry, RequestOutcome, ScenarioResult, Verdict } from "../../shared/run-result.js";

export type ServiceName = "PaymentService" | "PaymentAntiPatterns";

/** Gateway faults, as the mock gateway's POST /faults takes them. */
export interface Faults {
  failNext?: number;
  latencyMs?: number;
  timeoutAfterCharge?: number;
  receiptLatencyMs?: number;
}

/** Which idempotency key each request of a step carries. */
export type KeyPlan = "shared" | "none" | "per-request";

export interface RequestStep {
  kind: "requests";
  service: ServiceName;
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
}

export type PlanStep =
  | { kind: "faults"; faults: Faults }
  | RequestStep
  /** Attach to the invocation the previous /send created and wait for its result. */
  | { kind: "attach" };

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
  | "bodiesIgnored";

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
}

export interface Scenario {
  id: string;
  title: string;
  /** One line: what the learner should take away. */
  lesson: string;
  kind: ScenarioKind;
  defaults: { count: number; concurrency: number };
  /** Needs the lab's own service process (to crash it): not possible against a remote Restate. */
  needsLocalService?: boolean;
  plan: PlanStep[];
  invariants: InvariantSpec[];
  explanation: {
    asExpected: string;
    /** When set, the explanation of a run that went as expected, told from that run's answers (asExpected is the fallback). */
    fromRun?: (requests: readonly RequestOutcome[]) => string;
    otherwise?: string;
  };
  /** The section of 01-concepts.md this scenario illustrates. */
  conceptsSection: string;
}

