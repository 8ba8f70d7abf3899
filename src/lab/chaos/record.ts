// One path for every chaos run, from the panel, the CLI or the Test Explorer: the engine's run
// against the lab, the evidence read after it, and its record kept in the history, so any run
// can be reopened in the panel. Also the panel form's ranges and the run's exports.
import { randomBytes } from "node:crypto";
import type { ChaosRunRecord, ChaosRunRequest, ChaosSettings } from "../../shared/chaos-record.js";
import { saveRun } from "../history.js";
import { localTarget } from "../replay/target.js";
import { chaos, CHAOS_MINIMUMS, CHAOS_TARGETS, type ChaosRunOptions } from "./chaos.js";
import { chaosEvidence } from "./evidence.js";
import { chaosMarkdown } from "./markdown.js";
import { CHAOS_DEFAULTS, CHAOS_LIMITS } from "./plan.js";

/** The panel's chaos form: checkChaosOptions's own ranges and defaults. */
export function chaosSettings(): ChaosSettings {
  const range = (k: keyof typeof CHAOS_MINIMUMS) => ({ min: CHAOS_MINIMUMS[k], max: CHAOS_LIMITS[k], default: CHAOS_DEFAULTS[k] });
  return { targets: [...CHAOS_TARGETS], payments: range("payments"), duplicates: range("duplicates"), durationS: range("durationS") };
}

export interface KeptChaosRun {
  record: ChaosRunRecord;
  /** Set when the run happened but the history could not keep it: the caller says it where the learner sees the run. */
  historyError?: string;
}

/**
 * Runs a chaos request (chaos() refuses a value out of the engine's limits with a LabError that
 * says them), reads the ledger and Restate's attempts of its payments, and keeps the record.
 */
export async function runAndKeepChaos(workspace: string, request: ChaosRunRequest, o: ChaosRunOptions = {}): Promise<KeptChaosRun> {
  const result = await chaos(workspace, { ...request, seed: request.seed ?? undefined }, o);
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
    return { record };
  } catch (err) {
    return { record, historyError: `This chaos run could not be kept in the history (${(err as Error).message}); it is shown here only.` };
  }
}

/** The export of a chaos run: the report in Markdown, or the record's result and evidence as JSON. */
export function exportChaos(record: ChaosRunRecord, format: "markdown" | "json"): string {
  return format === "markdown"
    ? chaosMarkdown(record.chaos, record.evidence.ledger.length > 0 ? record.evidence.ledger : null, record.evidence.attempts)
    : JSON.stringify({ chaos: record.chaos, evidence: record.evidence }, null, 2);
}
