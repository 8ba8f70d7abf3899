// A chaos run as the panel and the history keep it: what the learner asked for, the engine's
// ChaosResult, and the evidence read after the run for every payment (the result keeps Restate's
// attempts and the ledger only for a violation's history). Also the faults around a payment.
import type { ChaosResult, FaultEvent, ChaosRequest } from "./chaos-result.js";
import type { RunRecord } from "./protocol.js";
import type { InvocationAttempts, LedgerEntry } from "./run-result.js";

export type * from "./chaos-result.js";

/** What the panel's chaos form sends; seed null: a new random one, which the result then names. */
export interface ChaosRunRequest {
  seed: number | null;
  payments: number;
  duplicates: number;
  durationS: number;
  /** "PaymentService" or "PaymentAntiPatterns/<handler>": one of ChaosSettings.targets. */
  target: string;
}

/** One chaos run, kept in the history beside the scenario runs (RunRecord): `chaos` where they have `result`. */
export interface ChaosRunRecord {
  runId: string;
  kind: "chaos";
  request: ChaosRunRequest;
  finishedAt: string;
  chaos: ChaosResult;
  /** Every payment's ledger entries and Restate's attempts of its invocations, read once the run ended. */
  evidence: ChaosEvidence;
}

export interface ChaosEvidence {
  ledger: LedgerEntry[];
  attempts: InvocationAttempts[];
  /** Why some of it could not be read (the lab stopped, Restate did not answer): the rest is shown. */
  error?: string;
}

/** A record of the history: a scenario's run, or a chaos run. */
export type AnyRunRecord = RunRecord | ChaosRunRecord;

export const isChaosRecord = (r: AnyRunRecord): r is ChaosRunRecord => "chaos" in r;

/** What the chaos form offers, from the engine's own limits (sent with init). */
export interface ChaosSettings {
  targets: string[];
  payments: NumberRange;
  duplicates: NumberRange;
  durationS: NumberRange;
}

export interface NumberRange {
  min: number;
  max: number;
  default: number;
}

/** The catalog entry of the chaos run (no scenario may claim it). */
export const CHAOS_SCENARIO_ID = "chaos";

/** The largest seed the engine takes. */
export const MAX_CHAOS_SEED = 2 ** 31 - 1;

/** Before its first request and after its last answer, a fault can still touch a payment (a latency spans it, a restart delays it). */
const FAULT_MARGIN_MS = 2500;

/** The faults that could have touched a payment: applied from shortly before its first request to its last answer. */
export function faultsAround(requests: readonly ChaosRequest[], schedule: readonly FaultEvent[]): FaultEvent[] {
  if (requests.length === 0) return [];
  const from = Math.min(...requests.map((r) => r.sentAtMs)) - FAULT_MARGIN_MS;
  const to = Math.max(...requests.map((r) => r.answeredAtMs ?? r.sentAtMs));
  return schedule.filter((f) => f.applied && f.applied.atMs + f.durationMs >= from && f.applied.atMs <= to);
}
