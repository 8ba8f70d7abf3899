// Shrinking a failing chaos run, as property-based testers do: from a run that broke an invariant,
// run again from the same seed with fewer payments, then with fewer of its faults, and keep the
// smallest run that still breaks one of the same invariants. The search is pure: it calls a
// runner (the real chaos run in production, a function in the unit tests) and counts its runs.
import type { ChaosResult } from "../../shared/chaos-result.js";

import type { ShrinkConfig } from "../../shared/shrink-summary.js";

export type { ShrinkConfig };

export type ShrinkRunner = (config: ShrinkConfig) => Promise<ChaosResult>;

export interface ShrinkTry {
  config: ShrinkConfig;
  /** It broke one of the invariants the first run broke. */
  failed: boolean;
  broken: string[];
}

export interface ShrinkOutcome {
  /** The smallest configuration that still failed (the first one when no smaller did). */
  smallest: ShrinkConfig;
  smallestResult: ChaosResult;
  /** The invariants the first run broke, which a smaller run must break too. */
  invariants: string[];
  tried: ShrinkTry[];
  /** The search stopped at its budget of runs (or was stopped) before it had tried every cut. */
  cutShort: boolean;
}

export interface ShrinkOptions {
  /** Runs the search may make, the first run not counted. */
  maxRuns: number;
  signal?: AbortSignal;
  onTry?: (t: ShrinkTry, n: number) => void;
}

/** Does a run break one of these invariants? A stopped run proves nothing either way: it counts as not failing. */
export function stillFails(r: ChaosResult, invariants: readonly string[]): boolean {
  return !r.stopped && r.violations.some((v) => invariants.includes(v.invariant));
}

/** Fewer payments first (a binary search over the seed's first N), then fewer faults (halves, then quarters, … then one at a time). */
export async function shrink(start: ShrinkConfig, first: ChaosResult, run: ShrinkRunner, o: ShrinkOptions): Promise<ShrinkOutcome> {
  const invariants = [...new Set(first.violations.map((v) => v.invariant))];
  if (invariants.length === 0) throw new Error("The run broke no invariant: there is nothing to shrink.");
  let best = { config: start, result: first };
  const tried: ShrinkTry[] = [];
  const budgetLeft = () => tried.length < o.maxRuns && o.signal?.aborted !== true;
  const attempt = async (config: ShrinkConfig): Promise<boolean> => {
    const result = await run(config);
    const failed = stillFails(result, invariants);
    const t = { config, failed, broken: [...new Set(result.violations.map((v) => v.invariant))] };
    tried.push(t);
    o.onTry?.(t, tried.length);
    if (failed) best = { config, result };
    return failed;
  };

  // Payments: the smallest count from 1 that still fails, assuming fewer fail less often.
  let lo = 1;
  let hi = start.payments;
  while (lo < hi && budgetLeft()) {
    const mid = Math.floor((lo + hi) / 2);
    if (await attempt({ ...best.config, payments: mid })) hi = mid;
    else lo = mid + 1;
  }
  let complete = lo >= hi;

  // Faults: drop a chunk at a time while the run still fails; halve the chunk when none can go.
  let chunk = Math.ceil(best.config.faults.length / 2);
  let faultsDone = best.config.faults.length === 0;
  while (!faultsDone && budgetLeft()) {
    let i = 0;
    while (i < best.config.faults.length && budgetLeft()) {
      const faults = best.config.faults.filter((_, j) => j < i || j >= i + chunk);
      if (!(await attempt({ ...best.config, faults }))) i += chunk;
    }
    if (i < best.config.faults.length) break; // the budget ran out mid-pass
    if (chunk === 1 || best.config.faults.length === 0) faultsDone = true;
    chunk = Math.max(1, Math.ceil(chunk / 2));
  }
  complete = complete && faultsDone;
  return { smallest: best.config, smallestResult: best.result, invariants, tried, cutShort: !complete };
}

/** The command line that runs a configuration again. */
export function reproduceCommand(dir: string, c: ShrinkConfig, scheduleLength: number): string {
  const quoted = /^[\w./:-]+$/.test(dir) ? dir : `'${dir.replace(/'/g, "'\\''")}'`;
  const faults = c.faults.length === scheduleLength ? "" : ` --faults ${c.faults.length === 0 ? "none" : c.faults.join(",")}`;
  return `idempotency-lab chaos ${quoted} --seed ${c.seed} --payments ${c.payments} --duplicates ${c.duplicates} --duration ${c.durationS} --target ${c.target}${faults}`;
}
