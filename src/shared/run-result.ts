// What a replay run observed: the result the engine returns, history keeps, the CLI prints
// as JSON and the panel draws. Plain data, shared by every side. The one import is a type: a
// ledger entry is what the gateway's contract says it is.
import type { LedgerEntry } from "../../lab-templates/payment-service/gateway/contract.js";

/** An idempotent handler (expected safe) or an anti-pattern (expected to show its flaw). */
export type ScenarioKind = "idempotent" | "anti-pattern";

export type AnswerKind = "executed" | "attached" | "replayed" | "accepted" | "previously-accepted" | "failed" | "timed-out";

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
  /** The `idempotency-expires` header's value (ISO), when the answer carried one. */
  expires?: string;
  /** The answer's `x-restate-id` header, when it carried one (absent in runs recorded before it was kept). */
  restateId?: string;
  /** Where the request went: the key's scope is service + object key + handler (+ the idempotency key). */
  target?: { service: string; key: string | null; handler: string };
  /** The label of the plan step that sent it, when the scenario names its steps. */
  label?: string;
}

/** One line of the gateway's ledger: the gateway's own contract (its one definition). */
export type { LedgerEntry };

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

/** One attempt of an invocation, as Restate recorded it. */
export interface AttemptRecord {
  /** 1 for the first attempt. */
  number: number;
  /** When it started (ISO): Restate records it for the first attempt only (running_at). */
  startedAt: string | null;
  /** For a retry: when the attempt before it failed (the retry came after a back-off from then). */
  retryOf: string | null;
  /** The failure Restate recorded, or the invocation's completion; null while it still runs. */
  endedAt: string | null;
  outcome: "failed" | "completed" | "running" | "paused";
  /** Why it failed (sys_journal_events), with the command it failed on when Restate names one. */
  error: { code: number | null; message: string; restateCode: string | null; command: { index: number; name: string; type: string } | null } | null;
  /** The journal entries this attempt appended (indexes, inclusive); null when it appended none. */
  entries: { first: number; last: number } | null;
}

export interface InvocationAttempts {
  invocationId: string;
  target: string;
  status: string;
  attempts: AttemptRecord[];
}

/** The journal entry (a ctx.run result) that holds a ledger entry, in the invocation that made it. */
export interface JournalTrace {
  index: number;
  type: string;
  /** The ctx.run step's name when the entry is a run's result. */
  name: string;
  /** True: a ctx.run step's result is this entry (the step made it, or a retry got it back). Runs recorded before that rule may say false (an entry only mentioned its id, which is no journal entry of it). */
  inRun: boolean;
  appendedAt: string | null;
}

/** A ledger entry tied to the invocation and attempt that made it, and to its journal trace. */
export interface LedgerLink {
  ledgerId: string;
  invocationId: string | null;
  attempt: number | null;
  /** Null: no journal entry holds this money movement (a charge made outside ctx.run), even if its id is mentioned elsewhere. */
  journal: JournalTrace | null;
}

export interface InvariantResult {
  name: string;
  expected: string | number | boolean;
  observed: string | number | boolean;
  ok: boolean;
  role: "safety" | "sanity";
}

export type AdminAction = "kill" | "cancel" | "purge" | "resume" | "restart-as-new";

/** Something the run did besides sending requests, as it happened. */
export type PlanEvent =
  | {
      kind: "retention";
      /** Milliseconds from the start of the scenario. */
      atMs: number;
      service: string;
      /** The service's idempotency retention before the run, and the one the run set. */
      previous: string;
      set: string;
      /** True once the previous value was put back after the run; false when that failed. */
      restored: boolean;
    }
  /** The lab killed its service process (SIGKILL) once the journal showed this ctx.run step; the supervisor started it again. */
  | { kind: "crash"; atMs: number; run: string; state: "started" | "completed" }
  /**
   * An action on an invocation through the admin API (kill, cancel, purge, resume, restart-as-new):
   * when it was sent, and the status the admin API answered; restart-as-new names the new invocation.
   */
  | { kind: "stop"; atMs: number; how: AdminAction; invocationId: string; status: number; newInvocationId?: string }
  | {
      kind: "wait";
      atMs: number;
      until: "expiry" | "removal" | "receipt" | "paused";
      /** Whether the awaited moment came before the deadline, and how long the wait took. */
      reached: boolean;
      waitedMs: number;
      /** The invocation whose record was watched (removal), or whose idempotency-expires was awaited (expiry). */
      invocationId?: string;
      /** For expiry: the idempotency-expires value awaited. */
      expires?: string;
      /** For receipt: when the gateway recorded it (ISO). */
      recordedAt?: string;
    };

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
  /** Every attempt of every invocation of the run, from Restate's records (absent in runs recorded before attempts were read). */
  attempts?: InvocationAttempts[];
  /** Each ledger entry tied to its invocation, attempt and journal trace. */
  ledgerLinks?: LedgerLink[];
  /** What the run did besides sending requests: admin calls, waits (absent when it did nothing else). */
  events?: PlanEvent[];
  /**
   * Present when the run ended before its plan did (the lab stopped during it): everything else in
   * the result covers only the requests sent until then, and the verdict is "unexpected".
   */
  incomplete?: RunIncomplete;
}

/** RunIncomplete.reason of a run the learner stopped (Stop in the panel, a cancelled notification or test run). */
export const STOPPED_BY_LEARNER = "you stopped the run";

/** Why a run ended early, and how far it got. */
export interface RunIncomplete {
  /** In words, e.g. "the lab stopped during the run". */
  reason: string;
  /** Requests the plan would have sent in full. */
  planned: number;
  /** Requests sent (the last of them may have been abandoned in flight). */
  sent: number;
  /** Requests that got an answer (any HTTP status). */
  answered: number;
}

/** How a request was answered, in the order the panel lists them. */
export const ANSWER_KINDS: readonly AnswerKind[] = ["executed", "attached", "replayed", "accepted", "previously-accepted", "failed", "timed-out"];
