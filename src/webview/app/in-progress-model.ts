// What the main column says while a run is in progress (the run on screen before it is put aside
// until the new one's record comes): how far it got, from the extension's progress events.
import { formatCount } from "../ui/format.js";

export interface InProgressView {
  title: string;
  /** "4,567 of 10,000 answered", or that the first answer has not come yet. */
  progress: string;
  hint: string;
}

export function inProgressView(progress: { done: number; total: number } | null): InProgressView {
  return {
    title: "A run is in progress",
    progress:
      progress === null || progress.total <= 0
        ? "Starting: no answer yet."
        : `${formatCount(Math.min(progress.done, progress.total))} of ${formatCount(progress.total)} answered`,
    hint: "Its verdict, timeline, requests and ledger show here when it ends. Stop ends it early: what it sent until then is kept as a partial run, with no verdict.",
  };
}
