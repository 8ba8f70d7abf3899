// What the panel shows of a shrunk chaos run (the lab engine's shrinkChaos, src/lab/chaos/shrink-run.ts):
// the smallest configuration that still broke an invariant, the command line that runs it again,
// and that run's ChaosResult, whose causal chains the panel draws. Checked before it is drawn.
import type { ChaosResult } from "./chaos-result.js";
import { MAX_CHAOS_SEED } from "./chaos-record.js";
import { CHAOS_TARGET_PATTERN, chaosResultProblem } from "./chaos-record-check.js";
import { depthProblem } from "./run-record-check.js";

/** The runs the panel's shrink may make, the first run not counted. */
export const PANEL_SHRINK_RUNS = 8;

/** A chaos run's configuration: the seed's plan, cut to `payments` (the first ones of the seed's workload) and the schedule's faults `faults` (their indexes). */
export interface ShrinkConfig {
  seed: number;
  target: string;
  payments: number;
  duplicates: number;
  durationS: number;
  /** The indexes of the seed's schedule that are applied, in order. */
  faults: number[];
}

/** The smallest configuration that still failed, and what the search knows of it. */
export interface ShrinkSummary extends ShrinkConfig {
  /** The invariants the smallest run still breaks (of those the first run broke). */
  invariants: string[];
  /** Runs tried, the first run not counted, and the most the search could make. */
  runs: number;
  budget: number;
  /** The search stopped (its budget, or Stop) before it had tried every cut. */
  cutShort: boolean;
  /** `idempotency-lab chaos …`: runs the smallest run again. */
  command: string;
  result: ChaosResult;
}

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The CLI's command line for a chaos run: one line of printable characters, as the copy message takes it. */
export function isChaosCommandLine(text: unknown): text is string {
  return typeof text === "string" && text.length <= 8000 && /^idempotency-lab chaos [ -~\u00a0-\uffff]+$/.test(text);
}

/** What is wrong with a shrink summary, or null when the panel can show it. */
export function shrinkSummaryProblem(s: unknown): string | null {
  if (!isObject(s)) return "is not an object";
  if (!isInt(s.seed, 0, MAX_CHAOS_SEED) || typeof s.target !== "string" || !CHAOS_TARGET_PATTERN.test(s.target)) return "has no seed or target";
  if (!isInt(s.payments, 1, 10_000) || !isInt(s.duplicates, 1, 1_000) || !isInt(s.durationS, 1, 3_600)) return "has no payments, duplicates or duration";
  if (!Array.isArray(s.faults) || s.faults.length > 1_000 || !s.faults.every((i) => isInt(i, 0, 1_000_000))) return "has malformed faults";
  if (
    !Array.isArray(s.invariants) ||
    s.invariants.length === 0 ||
    s.invariants.length > 50 ||
    !s.invariants.every((i) => typeof i === "string" && i.length > 0 && i.length <= 200)
  )
    return "names no invariant it breaks";
  if (!isInt(s.budget, 1, 1_000) || !isInt(s.runs, 0, s.budget) || typeof s.cutShort !== "boolean") return "has no runs, budget or cut-short flag";
  if (!isChaosCommandLine(s.command)) return "has no idempotency-lab chaos command line";
  const problem = depthProblem(s.result) ?? chaosResultProblem(s.result);
  return problem === null ? null : `its result ${problem}`;
}
