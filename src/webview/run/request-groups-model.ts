// A lane's requests as rows of the attempts timeline: one row per request in a small lane, one
// per answer kind in a big one (and in the folded lane of the rest).
import type { AnswerKind, RequestOutcome } from "../../shared/protocol.js";
import { ANSWER_KINDS } from "../../shared/protocol.js";
import { answerLabel, counted, formatCount, formatMs } from "../ui/format.js";

/** A lane with more requests than this shows one row per answer kind instead of one per request. */
export const PER_REQUEST_ROWS = 6;

export interface RequestGroup {
  label: string;
  kind: AnswerKind;
  count: number;
  startMs: number;
  endMs: number;
  text: string;
}

/** One row per request in a small lane; one row per answer kind in a big one, so one executed request shows as plainly as 999 attached. */
export function requestGroups(requests: readonly RequestOutcome[]): RequestGroup[] {
  const sorted = [...requests].sort((a, b) => a.index - b.index);
  if (sorted.length <= PER_REQUEST_ROWS) {
    return sorted.map((r) => ({
      label: `#${r.index}${r.label ? ` ${r.label}` : ""}`,
      kind: r.answer,
      count: 1,
      startMs: r.sentAtMs,
      endMs: r.sentAtMs + Math.max(0, r.latencyMs),
      text: `Request #${r.index}${r.label ? ` (${r.label})` : ""}: ${answerLabel(r.answer)}${r.status !== null ? `, status ${r.status}` : ""}; sent at +${formatMs(r.sentAtMs)}, answered after ${formatMs(r.latencyMs)}.`,
    }));
  }
  return ANSWER_KINDS.flatMap((kind) => {
    const of = sorted.filter((r) => r.answer === kind);
    if (of.length === 0) return [];
    const startMs = Math.min(...of.map((r) => r.sentAtMs));
    const endMs = Math.max(...of.map((r) => r.sentAtMs + Math.max(0, r.latencyMs)));
    const first = of[0]!;
    return [
      {
        label: `${answerLabel(kind)} ${formatCount(of.length)}`,
        kind,
        count: of.length,
        startMs,
        endMs,
        text: `${counted(of.length, "request")} ${answerLabel(kind)}${of.length === 1 ? ` (#${first.index})` : ""}: sent from +${formatMs(startMs)}, the last answered at +${formatMs(endMs)}.`,
      },
    ];
  });
}

/** The folded lanes' requests, one row per answer kind. */
export function requestGroupsOf(lanes: ReadonlyArray<{ requests: readonly RequestGroup[] }>): RequestGroup[] {
  return ANSWER_KINDS.flatMap((kind) => {
    const of = lanes.flatMap((l) => l.requests.filter((r) => r.kind === kind));
    if (of.length === 0) return [];
    const count = of.reduce((n, r) => n + r.count, 0);
    const startMs = Math.min(...of.map((r) => r.startMs));
    const endMs = Math.max(...of.map((r) => r.endMs));
    return [
      {
        label: `${answerLabel(kind)} ${formatCount(count)}`,
        kind,
        count,
        startMs,
        endMs,
        text: `${counted(count, "request")} ${answerLabel(kind)}: sent from +${formatMs(startMs)}, the last answered at +${formatMs(endMs)}.`,
      },
    ];
  });
}
