// The panel's chaos run: the engine's run against the lab, the evidence read after it, the record
// kept in the history; the form's settings from the engine's own limits; and the run's exports.
import { randomBytes } from "node:crypto";
import { chaos, CHAOS_TARGETS } from "../../lab/chaos/chaos.js";
import { chaosMarkdown } from "../../lab/chaos/markdown.js";
import { CHAOS_DEFAULTS, CHAOS_LIMITS } from "../../lab/chaos/plan.js";
import { chaosEvidence } from "../../lab/chaos-evidence.js";
import { saveRun } from "../../lab/history.js";
import { localTarget } from "../../lab/replay/target.js";
import type { ExistingRestate } from "../../lab/supervisor.js";
import type { ChaosRunRecord, ChaosRunRequest, ChaosSettings } from "../../shared/protocol.js";

/**
 * The lowest values checkChaosOptions takes (a keyed create and one duplicate; five seconds for a
 * schedule); tests/unit/chaos-panel.test.ts holds the two together.
 */
export const CHAOS_MINIMUMS = { payments: 1, duplicates: 2, durationS: 5 } as const;

export function chaosSettings(): ChaosSettings {
  const range = (k: keyof typeof CHAOS_MINIMUMS) => ({ min: CHAOS_MINIMUMS[k], max: CHAOS_LIMITS[k], default: CHAOS_DEFAULTS[k] });
  return { targets: [...CHAOS_TARGETS], payments: range("payments"), duplicates: range("duplicates"), durationS: range("durationS") };
}

export interface ChaosPanelRun {
  existingRestate?: ExistingRestate;
  signal: AbortSignal;
  onProgress: (done: number, total: number) => void;
  /** The run happened but the history could not keep it: said where the learner sees the run. */
  onHistoryError: (message: string) => void;
}

/** Runs the learner's chaos request (chaos() refuses a value out of the engine's limits with a LabError that says them) and keeps its record. */
export async function runChaosRecord(workspace: string, request: ChaosRunRequest, o: ChaosPanelRun): Promise<ChaosRunRecord> {
  const result = await chaos(
    workspace,
    { ...request, seed: request.seed ?? undefined },
    { existingRestate: o.existingRestate, signal: o.signal, onProgress: o.onProgress },
  );
  const target = await localTarget(workspace, o.existingRestate).catch(() => null);
  const evidence = target
    ? await chaosEvidence(target, result)
    : { ledger: [], attempts: [], error: "The lab stopped before its ledger and Restate's attempts could be read." };
  const record: ChaosRunRecord = {
    runId: randomBytes(6).toString("hex"),
    kind: "chaos",
    request,
    finishedAt: new Date().toISOString(),
    chaos: result,
    evidence,
  };
  try {
    saveRun(workspace, record);
  } catch (err) {
    o.onHistoryError(`This chaos run could not be kept in the history (${(err as Error).message}); it is shown here only.`);
  }
  return record;
}

/** The export of a chaos run: the report in Markdown, or the record's result and evidence as JSON. */
export function exportChaos(record: ChaosRunRecord, format: "markdown" | "json"): string {
  return format === "markdown" ? chaosMarkdown(record.chaos) : JSON.stringify({ chaos: record.chaos, evidence: record.evidence }, null, 2);
}
