// What a replay run observed: the result the engine returns, history keeps, the CLI prints
// as JSON and the panel draws. Plain data, shared by every side (no imports).

/** An idempotent handler (expected safe) or an anti-pattern (expected to show its flaw). */
export type ScenarioKind = "idempotent" | "anti-pattern";

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
  kind: ScenarioKind;
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

/** How a request was answered, in the order the panel lists them. */
export const ANSWER_KINDS: readonly AnswerKind[] = ["executed", "attached", "replayed", "accepted", "previously-accepted", "failed", "timed-out"];
