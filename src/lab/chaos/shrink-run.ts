// Shrinking a failing chaos run against the running lab: the search of shrink.ts with the real
// chaos run as its runner. The CLI's `chaos --shrink` and the panel's "Find the smallest failing
// run" both call shrinkChaos; none of its runs is kept in the history.
import type { ChaosResult } from "../../shared/chaos-result.js";
import type { ExistingRestate } from "../origins.js";
import { chaos } from "./chaos.js";
import { schedule } from "./plan.js";
import { reproduceCommand, shrink, type ShrinkConfig, type ShrinkTry } from "./shrink.js";

export interface Shrunk {
  smallest: ShrinkConfig;
  /** Of the first run's seed: every fault it plans. */
  scheduleLength: number;
  /** The invariants the first run broke. */
  invariants: string[];
  /** Runs tried, the first run not counted. */
  runs: number;
  cutShort: boolean;
  /** The command line that runs the smallest configuration again. */
  command: string;
  result: ChaosResult;
}

export interface ShrinkChaosOptions {
  /** Runs the search may make, the first run not counted. */
  maxRuns: number;
  /** The faults of the seed's schedule the first run applied (their indexes); every fault of its schedule when absent. */
  faults?: readonly number[];
  /** The lab folder as the command line should name it (the CLI's argument); the workspace when absent. */
  dir?: string;
  existingRestate?: ExistingRestate;
  signal?: AbortSignal;
  onTry?: (t: ShrinkTry, n: number) => void;
}

/** The configuration a finished run was made with. */
export function startConfig(first: ChaosResult, faults?: readonly number[]): ShrinkConfig {
  return {
    seed: first.seed,
    payments: first.options.payments,
    duplicates: first.options.duplicates,
    durationS: first.options.durationS,
    target: first.target,
    faults: faults ? [...faults] : first.schedule.map((f) => f.index),
  };
}

/** Runs the failing run again, smaller, from the same seed. */
export async function shrinkChaos(workspace: string, first: ChaosResult, o: ShrinkChaosOptions): Promise<Shrunk> {
  const start = startConfig(first, o.faults);
  const out = await shrink(
    start,
    first,
    (c) =>
      chaos(
        workspace,
        { seed: c.seed, payments: c.payments, duplicates: c.duplicates, durationS: c.durationS, target: c.target },
        { existingRestate: o.existingRestate, signal: o.signal, faults: c.faults },
      ),
    { maxRuns: o.maxRuns, signal: o.signal, onTry: o.onTry },
  );
  return {
    smallest: out.smallest,
    scheduleLength: schedule({ ...start, processFaults: true }).length,
    invariants: out.invariants,
    runs: out.tried.length,
    cutShort: out.cutShort,
    command: reproduceCommand(o.dir ?? workspace, out.smallest, first.schedule.length),
    result: out.smallestResult,
  };
}
