// What a chaos run did and what its checker found: the fault schedule, every request, the
// verdict per invariant and, for each violation, the slice of history that shows it. Plain
// data, shared by the CLI's JSON, the history and the panel (no imports but types).
import type { InvocationAttempts, LedgerEntry } from "./run-result.js";

export type FaultKind = "gateway-latency" | "lost-answer" | "failing-calls" | "service-kill" | "restate-kill";

/** One fault of the schedule: planned from the seed, then stamped with what happened when it was applied. */
export interface FaultEvent {
  index: number;
  kind: FaultKind;
  /** Milliseconds from the start of the run. */
  atMs: number;
  /** How long it lasts (latency); 0 for one-shot faults. */
  durationMs: number;
  /** The fault's size: latency ms, calls to fail, answers to lose. */
  amount: number;
  applied: { atMs: number; ok: boolean; note?: string } | null;
}

/** One request of the workload, with every try of the chaos client (it retries a lost answer with the same key). */
export interface ChaosRequest {
  index: number;
  paymentId: string;
  handler: "create" | "refund";
  idempotencyKey: string | null;
  sentAtMs: number;
  answeredAtMs: number | null;
  tries: number;
  status: number | null;
  response: unknown;
  invocationId: string | null;
  /** Why the last try failed, when no answer came. */
  error: string | null;
}

export interface ChaosPayment {
  paymentId: string;
  requests: number[];
  charges: number;
  chargedAmount: number;
  refundedAmount: number;
  /** Names of the invariants this payment broke. */
  broken: string[];
}

export interface ChaosInvariant {
  name: string;
  /** What it promises, in one line. */
  promise: string;
  holds: boolean;
  /** How many payments (or requests) broke it. */
  violations: number;
}

export interface ChaosViolation {
  invariant: string;
  paymentId: string;
  /** What the evidence shows, in words. */
  summary: string;
  /** The slice of the run that shows it: this payment's requests, the faults around them, Restate's attempts, the ledger. */
  history: { requests: ChaosRequest[]; faults: FaultEvent[]; attempts: InvocationAttempts[]; ledger: LedgerEntry[] };
}

export interface ChaosResult {
  kind: "chaos";
  seed: number;
  /** "PaymentService" or "PaymentAntiPatterns/<handler>". */
  target: string;
  options: { payments: number; duplicates: number; durationS: number };
  startedAt: string;
  durationMs: number;
  schedule: FaultEvent[];
  requests: ChaosRequest[];
  payments: ChaosPayment[];
  invariants: ChaosInvariant[];
  violations: ChaosViolation[];
  verdict: "safe" | "unsafe";
  /** Safe for PaymentService; unsafe (a violation found) for an anti-pattern. */
  expectedVerdict: "safe" | "unsafe";
  /** The run was stopped before its schedule ended. */
  stopped: boolean;
}
