// What the "Find the smallest failing run" part of a chaos result says: the button, the search's
// progress, and its answer. No DOM here (the unit tests run it in Node); chaos-shrink.ts draws it.
import type { ChaosRunRecord, ShrinkSummary } from "../../shared/protocol.js";
import { counted } from "../ui/format.js";

/** The panel's shrink: the run it is about, its request, and its answer once it came. */
export interface ShrinkState {
  runId: string;
  requestId: string;
  summary: ShrinkSummary | null;
}

export type ShrinkDisplay =
  { state: "offer"; canStart: boolean } | { state: "shrinking"; progress: { done: number; total: number } | null } | { state: "done"; summary: ShrinkSummary };

/** What a chaos result shows of the shrink: nothing for a run that broke no invariant or was stopped. */
export function shrinkDisplay(
  record: ChaosRunRecord,
  s: { running: string | null; progress: { done: number; total: number } | null; shrink: ShrinkState | null },
): ShrinkDisplay | null {
  if (record.chaos.stopped || record.chaos.violations.length === 0) return null;
  const mine = s.shrink?.runId === record.runId ? s.shrink : null;
  if (mine?.summary) return { state: "done", summary: mine.summary };
  if (mine && s.running === mine.requestId) return { state: "shrinking", progress: s.progress };
  return { state: "offer", canStart: s.running === null };
}

/** "Shrinking: run 3 of at most 8…" (the run under way: one more than those tried). */
export function shrinkingText(progress: { done: number; total: number } | null): string {
  if (progress === null || progress.total <= 0) return "Shrinking: starting…";
  return `Shrinking: run ${Math.min(progress.done + 1, progress.total)} of at most ${progress.total}…`;
}

export function faultsText(faults: readonly number[]): string {
  if (faults.length === 0) return "no fault";
  return `${faults.length === 1 ? "fault" : "faults"} ${faults.map((i) => `#${i}`).join(", ")}`;
}

/** "Smallest failing run: seed 7, 3 payments, faults #1, #4 (8 runs tried)". */
export function shrunkHeadline(s: ShrinkSummary): string {
  return `Smallest failing run: seed ${s.seed}, ${counted(s.payments, "payment")}, ${faultsText(s.faults)} (${counted(s.runs, "run")} tried)`;
}

/** What the answer means, honestly: whether it is smaller at all, and whether the search was cut short. */
export function shrunkNotes(s: ShrinkSummary, original: ChaosRunRecord): string[] {
  const notes: string[] = [];
  const originalFaults = original.chaos.schedule.map((f) => f.index);
  const same = s.payments === original.chaos.options.payments && s.faults.length === originalFaults.length;
  if (same) notes.push("No smaller run broke it in the runs tried: the smallest failing run found is this run itself.");
  if (s.cutShort) {
    notes.push(
      s.runs >= s.budget
        ? `The search stopped at its budget of ${counted(s.budget, "run")} before it tried every cut: a larger budget may find a smaller run (the CLI's --shrink-runs).`
        : `The search was stopped after ${counted(s.runs, "run")}, before it tried every cut: a larger budget may find a smaller run.`,
    );
  } else notes.push("The search tried every cut it makes (fewer payments, then fewer faults) within its budget.");
  notes.push("The same seed plans the same payments and faults, but a run's timing varies: run again, it may not break the invariant every time.");
  return notes;
}
