// The panel's "Find the smallest failing run": a chaos run of the history that broke an invariant,
// run again smaller from the same seed by the lab engine (shrinkChaos, as `idempotency-lab chaos
// --shrink` does). It is the panel's one run (Stop aborts it); none of its runs is kept in the history.
import { chaosRecordProblem } from "../../shared/chaos-record-check.js";
import { counted } from "../../shared/wording.js";
import { isChaosRecord, PANEL_SHRINK_RUNS, type ShrinkSummary, type ToWebview } from "../../shared/protocol.js";
import { loadRecord } from "../../lab/history.js";
import { shrinkChaos } from "../../lab/chaos/shrink-run.js";
import type { ExistingRestate } from "../../lab/origins.js";

/** What the panel lends the shrink: its one-run guard, its lab folder and Restate, its channel and log. */
export interface ShrinkHost {
  workspace(): string;
  existingRestate(): Promise<ExistingRestate | undefined>;
  asTheRun(requestId: string, work: (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<void>): Promise<void>;
  post(message: ToWebview): void;
  log(line: string): void;
}

export async function shrinkPanelRun(host: ShrinkHost, requestId: string, runId: string): Promise<void> {
  const workspace = host.workspace();
  const record = loadRecord(workspace, runId);
  if (!record) throw new Error(`Run ${runId} is no longer in this workspace's history`);
  if (!isChaosRecord(record)) throw new Error(`Run ${runId} is not a chaos run: only a chaos run can be shrunk`);
  const problem = chaosRecordProblem(record);
  if (problem !== null) throw new Error(`Run ${runId} cannot be shrunk: ${problem}`);
  const first = record.chaos;
  if (first.stopped) throw new Error(`Run ${runId} was stopped before its end: it proves nothing to shrink. Run the chaos run again to its end first.`);
  if (first.violations.length === 0) throw new Error(`Run ${runId} broke no invariant: there is nothing to shrink.`);
  await host.asTheRun(requestId, async (signal, onProgress) => {
    onProgress(0, PANEL_SHRINK_RUNS);
    const out = await shrinkChaos(workspace, first, {
      maxRuns: PANEL_SHRINK_RUNS,
      existingRestate: await host.existingRestate(),
      signal,
      onTry: (_, n) => onProgress(n, PANEL_SHRINK_RUNS),
    });
    const s = out.smallest;
    const broken = out.invariants.filter((i) => out.result.violations.some((v) => v.invariant === i));
    const shrink: ShrinkSummary = {
      seed: s.seed,
      target: s.target,
      payments: s.payments,
      duplicates: s.duplicates,
      durationS: s.durationS,
      faults: s.faults,
      invariants: broken,
      runs: out.runs,
      budget: PANEL_SHRINK_RUNS,
      cutShort: out.cutShort,
      command: out.command,
      result: out.result,
    };
    host.log(
      `Panel shrink of chaos run ${runId} (seed ${s.seed}): ${counted(s.payments, "payment")}, ${s.faults.length === 0 ? "no fault" : `faults ${s.faults.map((i) => `#${i}`).join(", ")}`} still break ${broken.join(", ")} (${counted(out.runs, "run")} tried${out.cutShort ? ", cut short" : ""})`,
    );
    host.post({ type: "shrunk", requestId, runId, shrink });
  });
}
