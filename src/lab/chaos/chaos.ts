// The lab's final exam from one call: check the options, find the running lab, run the chaos
// run against it. record.ts keeps its record in the history for every caller.
import type { ChaosResult, FaultEvent } from "../../shared/chaos-result.js";
import { formatCount } from "../../shared/wording.js";
import { LabError } from "../errors.js";
import { localTarget } from "../replay/target.js";
import type { ExistingRestate } from "../origins.js";
import { CHAOS_DEFAULTS, CHAOS_LIMITS } from "./plan.js";
import { runChaos } from "./run-chaos.js";

/** What a chaos run can target: the idempotent create, or an anti-pattern whose flaw it should find. */
export const CHAOS_TARGETS = ["PaymentService", "PaymentAntiPatterns/chargeOutsideRun", "PaymentAntiPatterns/relyOnGatewayIdempotency"] as const;

/** The final exam's runs in the Test Explorer: the idempotent create must keep every promise; an anti-pattern must be caught. */
export const EXAM_TARGETS = [
  {
    id: "payment-service",
    target: "PaymentService",
    label: "Chaos run: PaymentService keeps its promises",
    description: "Many payments and duplicates under random faults, judged from the ledger",
  },
  {
    id: "charge-outside-run",
    target: "PaymentAntiPatterns/chargeOutsideRun",
    label: "Chaos run: the checker catches charge outside ctx.run",
    description: "The same run against an anti-pattern: a double charge must be found",
  },
] as const satisfies ReadonlyArray<{ id: string; target: (typeof CHAOS_TARGETS)[number]; label: string; description: string }>;

export interface ChaosRequestOptions {
  seed?: number;
  payments?: number;
  duplicates?: number;
  durationS?: number;
  target?: string;
}

export interface ChaosRunOptions {
  existingRestate?: ExistingRestate;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onFault?: (event: FaultEvent) => void;
  /** Apply only these faults of the seed's schedule (their indexes): a shrunk run's. */
  faults?: readonly number[];
}

/**
 * The lowest value of each option: a keyed create and one duplicate (fewer would test nothing), and
 * five seconds for a fault schedule. The highest are CHAOS_LIMITS, beside the plan they bound.
 */
export const CHAOS_MINIMUMS = { payments: 1, duplicates: 2, durationS: 5 } as const;

/** The options with their defaults, or a LabError saying what is wrong and what is allowed. */
export function checkChaosOptions(o: ChaosRequestOptions): Required<ChaosRequestOptions> {
  const whole = (value: number | undefined, fallback: number, min: number, max: number, name: string) => {
    const n = value ?? fallback;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new LabError(
        `${name} must be a whole number from ${min} to ${formatCount(max)}, got ${value}`,
        `Pass ${name} between ${min} and ${formatCount(max)}.`,
      );
    return n;
  };
  const target = o.target ?? "PaymentService";
  if (!(CHAOS_TARGETS as readonly string[]).includes(target)) throw new LabError(`Unknown chaos target "${target}"`, `Use one of: ${CHAOS_TARGETS.join(", ")}`);
  return {
    seed: whole(o.seed, Math.floor(Math.random() * 1_000_000), 0, 2 ** 31 - 1, "seed"),
    payments: whole(o.payments, CHAOS_DEFAULTS.payments, CHAOS_MINIMUMS.payments, CHAOS_LIMITS.payments, "payments"),
    duplicates: whole(o.duplicates, CHAOS_DEFAULTS.duplicates, CHAOS_MINIMUMS.duplicates, CHAOS_LIMITS.duplicates, "duplicates"),
    durationS: whole(o.durationS, CHAOS_DEFAULTS.durationS, CHAOS_MINIMUMS.durationS, CHAOS_LIMITS.durationS, "duration"),
    target,
  };
}

export async function chaos(workspace: string, request: ChaosRequestOptions, options: ChaosRunOptions = {}): Promise<ChaosResult> {
  const o = checkChaosOptions(request);
  const target = await localTarget(workspace, options.existingRestate);
  return runChaos(target, { ...o, signal: options.signal, onProgress: options.onProgress, onFault: options.onFault, faults: options.faults });
}
