// The replay engine's vocabulary: scenarios as data, and what a run observed.

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
  kind: "idempotent" | "anti-pattern";
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

export type AnswerKind =
  | "executed"
  | "attached"
  | "replayed"
  | "accepted"
  | "previously-accepted"
  | "failed"
  | "timed-out";

export interface RequestOutcome {
  index: number;
  step: number;
  method: "POST" | "GET";
  path: string;
  paymentId: string;
  idempotencyKey: string | null;
  body: unknown;
  /** Milliseconds from the start of the scenario. */
  sentAtMs: number;
  latencyMs: number;
  status: number | null;
  response: unknown;
  invocationId: string | null;
  /** True when the answer carried `idempotency-expires`: Restate replayed a stored result. */
  replayHeader: boolean;
  answer: AnswerKind;
  error?: string;
}

export interface LedgerEntry {
  id: string;
  type: "charge" | "refund";
  paymentId: string;
  amount: number;
  currency: string;
  idempotencyKey: string | null;
  at: string;
}

export interface InvocationRow {
  id: string;
  target: string;
  status: string;
  idempotency_key: string | null;
  completion_result: string | null;
  retry_count: number | null;
  created_at: string;
  /** True when the key is one this run sent; Restate 1.7 also gives keyless calls a key of its own. */
  userKey: boolean;
}

export interface InvariantResult {
  name: string;
  expected: string | number | boolean;
  observed: string | number | boolean;
  ok: boolean;
  role: "safety" | "sanity";
}

export type Verdict = "safe" | "unsafe" | "unexpected" | "skipped";

export interface ScenarioResult {
  id: string;
  title: string;
  lesson: string;
  kind: Scenario["kind"];
  verdict: Verdict;
  /** What a correct lab shows for this scenario: "safe" for idempotent handlers, "unsafe" for anti-patterns. */
  expectedVerdict: "safe" | "unsafe";
  requests: number;
  distinctResponses: number;
  distinctInvocations: number;
  charges: number;
  refunds: number;
  invariants: InvariantResult[];
  explanation: string;
  notes: string[];
  paymentIds: string[];
  startedAt: string;
  durationMs: number;
  ledger: LedgerEntry[];
  invocations: InvocationRow[];
  requestsDetail: RequestOutcome[];
}
