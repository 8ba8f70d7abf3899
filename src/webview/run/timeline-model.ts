// The timeline's model: one row per request (or per bucket of requests in a big run), the ledger's
// entries as markers, round ticks, and the geometry timeline.ts draws with.
import { ANSWER_KINDS } from "../../shared/protocol.js";
import type { AnswerKind, LedgerEntry } from "../../shared/protocol.js";
import { answerLabel, formatCount, formatMs } from "../ui/format.js";
import { answerCounts, describeCounts, ledgerForPayments } from "./run-model.js";
import type { Result } from "./run-model.js";

export interface TimelineRow {
  /** First and last request index of the row (equal when the row is one request). */
  first: number;
  last: number;
  startMs: number;
  endMs: number;
  kind: AnswerKind;
  counts: Partial<Record<AnswerKind, number>>;
  label: string;
  title: string;
}

export interface TimelineMarker {
  id: string;
  type: LedgerEntry["type"];
  atMs: number;
  label: string;
}

export interface TimelineModel {
  rows: TimelineRow[];
  markers: TimelineMarker[];
  domainMs: number;
  ticks: number[];
  aggregated: boolean;
  bucketSize: number;
  counts: Record<AnswerKind, number>;
  ariaLabel: string;
}

export interface TimelineOptions {
  /** Above this many requests, rows are buckets of consecutive requests. */
  aggregateAbove?: number;
  /** At most this many bucket rows. */
  maxRows?: number;
}

/** The answer kind with the most requests; ties go to the kind listed first in ANSWER_KINDS. */
export function dominantKind(counts: Partial<Record<AnswerKind, number>>): AnswerKind {
  let best: AnswerKind = "executed";
  let bestCount = -1;
  for (const k of ANSWER_KINDS) {
    const n = counts[k] ?? 0;
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  return best;
}

export function ledgerMarkers(result: Pick<Result, "ledger" | "paymentIds" | "startedAt">): TimelineMarker[] {
  const start = Date.parse(result.startedAt);
  return ledgerForPayments(result)
    .map((e) => {
      const at = Date.parse(e.at);
      return { id: e.id, type: e.type, atMs: Number.isFinite(at) && Number.isFinite(start) ? at - start : 0, label: `${e.type} ${e.id}` };
    })
    .sort((a, b) => a.atMs - b.atMs);
}

/** About `target` round tick values (1, 2 or 5 times a power of ten) from 0 to at least max. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step * 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

export function buildTimeline(result: Result, options: TimelineOptions = {}): TimelineModel {
  const aggregateAbove = options.aggregateAbove ?? 200;
  const maxRows = options.maxRows ?? 100;
  const details = [...result.requestsDetail].sort((a, b) => a.index - b.index);
  const counts = answerCounts(details);
  const aggregated = details.length > aggregateAbove;
  const bucketSize = aggregated ? Math.ceil(details.length / maxRows) : 1;
  const rows: TimelineRow[] = [];
  for (let i = 0; i < details.length; i += bucketSize) {
    const bucket = details.slice(i, i + bucketSize);
    const first = bucket[0]!;
    const last = bucket[bucket.length - 1]!;
    let startMs = Infinity;
    let endMs = -Infinity;
    const c: Partial<Record<AnswerKind, number>> = {};
    for (const d of bucket) {
      startMs = Math.min(startMs, d.sentAtMs);
      endMs = Math.max(endMs, d.sentAtMs + Math.max(0, d.latencyMs));
      c[d.answer] = (c[d.answer] ?? 0) + 1;
    }
    const kind = dominantKind(c);
    if (bucket.length === 1) {
      rows.push({
        first: first.index,
        last: first.index,
        startMs,
        endMs,
        kind,
        counts: c,
        label: `#${first.index}`,
        title: `#${first.index} ${answerLabel(first.answer)}: sent at ${formatMs(first.sentAtMs)}, answered after ${formatMs(first.latencyMs)}${first.status !== null ? `, status ${first.status}` : ""}${first.error ? ` (${first.error})` : ""}`,
      });
    } else {
      rows.push({
        first: first.index,
        last: last.index,
        startMs,
        endMs,
        kind,
        counts: c,
        label: `#${first.index}–${last.index}`,
        title: `Requests #${first.index}–${last.index} (${bucket.length}): ${describeCounts(c)}; sent from ${formatMs(startMs)}, last answer at ${formatMs(endMs)}`,
      });
    }
  }
  const markers = ledgerMarkers(result);
  const domainMs = Math.max(1, ...rows.map((r) => r.endMs), ...markers.map((m) => m.atMs));
  const charges = markers.filter((m) => m.type === "charge").length;
  const refunds = markers.length - charges;
  const ariaLabel =
    `Timeline of ${formatCount(details.length)} request${details.length === 1 ? "" : "s"} over ${formatMs(domainMs)}` +
    (aggregated ? `, in ${rows.length} groups of ${bucketSize}` : "") +
    `: ${describeCounts(counts)}. Ledger: ${charges} charge${charges === 1 ? "" : "s"}, ${refunds} refund${refunds === 1 ? "" : "s"}` +
    (markers.length > 0 && markers.length <= 5 ? ` (${markers.map((m) => `${m.label} at ${formatMs(m.atMs)}`).join("; ")})` : "") +
    ".";
  return { rows, markers, domainMs, ticks: niceTicks(domainMs), aggregated, bucketSize, counts, ariaLabel };
}

export interface TimelineGeometry {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  rowHeight: number;
  barHeight: number;
  /** Labels every this many rows (0: none). */
  labelEvery: number;
  x: (ms: number) => number;
  y: (row: number) => number;
}

export function timelineGeometry(model: Pick<TimelineModel, "rows" | "domainMs">, width: number): TimelineGeometry {
  const plotLeft = 72;
  const plotRight = Math.max(plotLeft + 40, width - 16);
  const plotTop = 22;
  const n = Math.max(1, model.rows.length);
  const rowHeight = Math.max(3, Math.min(18, Math.floor(320 / n)));
  const barHeight = Math.max(2, rowHeight - (rowHeight >= 8 ? 4 : 1));
  const labelEvery = rowHeight >= 12 ? 1 : Math.ceil(36 / rowHeight);
  const height = plotTop + n * rowHeight + 26;
  const scale = (plotRight - plotLeft) / Math.max(1, model.domainMs);
  return {
    width,
    height,
    plotLeft,
    plotRight,
    plotTop,
    rowHeight,
    barHeight,
    labelEvery,
    x: (ms) => plotLeft + Math.min(model.domainMs, Math.max(0, ms)) * scale,
    y: (row) => plotTop + row * rowHeight,
  };
}
