// The attempts timeline as SVG: per invocation a lane with its attempts (a retry begins at the
// failure it followed: Restate records no start for it), each failure and why, the ledger entries
// each attempt made (a charge in no journal entry marked apart), and its requests; the run's events
// across every lane. lanes-model.ts computes it; lanes-list.ts says the same in words.
import "./lanes.css";
import { svg } from "../ui/dom.js";
import { formatCount, formatMs } from "../ui/format.js";
import { traceApart } from "./lanes-model.js";
import type { Lane, LanesModel, LedgerMark } from "./lanes-model.js";

const CHAR = 6.3;
const ROW = { title: 16, marks: 14, bar: 18, failure: 18, request: 14, gap: 12 };

interface LaneRows {
  top: number;
  marksY: number | null;
  barY: number;
  failureY: number | null;
  requestY: number;
  bottom: number;
}

function laneRows(lane: Lane, top: number): LaneRows {
  let y = top + ROW.title;
  const marksY = lane.marks.length > 0 || lane.stops.length > 0 ? y : null;
  if (marksY !== null) y += ROW.marks;
  const barY = y;
  y += lane.attempts.length > 0 ? ROW.bar : 0;
  const failureY = lane.attempts.some((a) => a.outcome === "failed" && a.error) ? y : null;
  if (failureY !== null) y += ROW.failure;
  const requestY = y;
  y += lane.requests.length * ROW.request;
  return { top, marksY, barY, failureY, requestY, bottom: y + ROW.gap };
}

export function renderLanesSvg(model: LanesModel, width: number): SVGSVGElement {
  const gutter = width < 560 ? 96 : 124;
  const plotLeft = gutter;
  const plotRight = Math.max(plotLeft + 60, width - 14);
  const scale = (plotRight - plotLeft) / Math.max(1, model.domainMs);
  const x = (ms: number) => round(plotLeft + Math.min(model.domainMs, Math.max(0, ms)) * scale);
  const band = model.events.length > 0 ? 32 : 6;
  const unlinkedRow = model.unlinked.length > 0 ? 24 : 0;
  let y = band + unlinkedRow;
  const rows = model.lanes.map((lane) => {
    const r = laneRows(lane, y);
    y = r.bottom;
    return r;
  });
  const plotBottom = y - ROW.gap + 4;
  const height = plotBottom + 22;
  const root = svg("svg", { class: "lanes-svg", role: "img", "aria-label": model.ariaLabel, width, height, viewBox: `0 0 ${width} ${height}` });

  // Axis and grid.
  const axis = svg("g", { class: "ln-axis", "aria-hidden": "true" });
  for (const t of model.ticks) {
    axis.appendChild(svg("line", { class: "ln-grid", x1: x(t), x2: x(t), y1: band, y2: plotBottom }));
    axis.appendChild(svg("text", { class: "ln-tick", x: x(t), y: plotBottom + 14, "text-anchor": "middle" }, [formatTick(t, model.domainMs)]));
  }
  axis.appendChild(svg("line", { class: "ln-baseline", x1: plotLeft, x2: plotRight, y1: plotBottom, y2: plotBottom }));
  axis.appendChild(
    svg("text", { class: "ln-axis-title", x: plotLeft - 8, y: plotBottom + 14, "text-anchor": "end" }, [model.domainMs >= 10_000 ? "time" : "ms"]),
  );
  root.appendChild(axis);

  // The run's events: a line across every lane, labels on two lines above them.
  const events = svg("g", { class: "ln-events" });
  const labelEnds = [-Infinity, -Infinity];
  for (const e of model.events) {
    const ex = x(e.atMs);
    if (e.spanMs > 0) {
      events.appendChild(
        svg("rect", { class: "ln-wait", x: x(e.atMs - e.spanMs), y: band - 4, width: Math.max(1, ex - x(e.atMs - e.spanMs)), height: 3 }, [
          svg("title", {}, [e.text]),
        ]),
      );
    }
    events.appendChild(svg("line", { class: `ln-event ev-${e.kind}`, x1: ex, x2: ex, y1: band - 4, y2: plotBottom }, [svg("title", {}, [e.text])]));
    const w = e.label.length * CHAR;
    const line = labelEnds.findIndex((end) => ex - 3 > end + 4);
    if (line >= 0) {
      const anchorEnd = ex + 3 + w > plotRight;
      events.appendChild(
        svg("text", { class: `ln-event-label ev-${e.kind}`, x: anchorEnd ? ex - 3 : ex + 3, y: 11 + line * 12, "text-anchor": anchorEnd ? "end" : "start" }, [
          e.label,
        ]),
      );
      labelEnds[line] = anchorEnd ? ex : ex + 3 + w;
    }
  }
  root.appendChild(events);

  if (unlinkedRow > 0) {
    const g = svg("g", { class: "ln-unlinked" });
    g.appendChild(svg("text", { class: "ln-gutter", x: plotLeft - 8, y: band + 14, "text-anchor": "end" }, ["ledger, no attempt"]));
    drawMarks(g, model.unlinked, band + 14, null, x, plotRight);
    root.appendChild(g);
  }

  model.lanes.forEach((lane, i) => drawLane(root, lane, rows[i]!, { x, plotLeft, plotRight, first: i === 0 }));
  return root;
}

interface Scale {
  x: (ms: number) => number;
  plotLeft: number;
  plotRight: number;
  first: boolean;
}

function drawLane(root: SVGSVGElement, lane: Lane, r: LaneRows, s: Scale): void {
  const g = svg("g", { class: `ln-lane lane-${lane.kind}`, "data-lane": lane.key });
  if (!s.first) g.appendChild(svg("line", { class: "ln-separator", x1: 4, x2: s.plotRight, y1: r.top - 4, y2: r.top - 4 }));
  g.appendChild(svg("text", { class: "ln-heading", x: s.plotLeft - 8, y: r.top + 11, "text-anchor": "end" }, [lane.heading]));
  g.appendChild(svg("text", { class: "ln-title", x: s.plotLeft, y: r.top + 11 }, [fit(lane.title, s.plotRight - s.plotLeft)]));

  // Attempts: a retry's bar begins at the failure before it (dashed: its start is not recorded).
  const barTop = r.barY + 3;
  if (lane.attempts.length > 0)
    g.appendChild(
      svg("text", { class: "ln-gutter", x: s.plotLeft - 8, y: barTop + 9, "text-anchor": "end" }, [lane.kind === "others" ? "attempts (all)" : "attempts"]),
    );
  for (const a of lane.attempts) {
    const x1 = s.x(a.fromMs);
    const x2 = Math.max(x1 + 3, s.x(a.endMs));
    const cls = `ln-attempt outcome-${a.outcome}${a.startKnown ? "" : " retry"}${a.endKnown ? "" : " open"}`;
    g.appendChild(svg("rect", { class: cls, x: x1, y: barTop, width: round(x2 - x1), height: 12, rx: 2 }, [svg("title", {}, [a.text])]));
    if (a.number > 0 && x2 - x1 >= 14)
      g.appendChild(
        svg("text", { class: "ln-attempt-label", x: round((x1 + x2) / 2), y: barTop + 9.5, "text-anchor": "middle", "aria-hidden": "true" }, [
          String(a.number),
        ]),
      );
    if (a.outcome === "failed" && a.number > 0) {
      const cx = x2;
      const cy = barTop + 6;
      g.appendChild(
        svg("path", { class: "ln-fail", d: `M${cx - 4} ${cy - 4} L${cx + 4} ${cy + 4} M${cx - 4} ${cy + 4} L${cx + 4} ${cy - 4}` }, [
          svg("title", {}, [a.text]),
        ]),
      );
    }
  }

  // Why each attempt failed, under its bar; from the charge it made before, when it made one.
  if (r.failureY !== null) {
    let lastEnd = -Infinity;
    for (const a of lane.attempts.filter((x) => x.outcome === "failed" && x.error)) {
      const failX = s.x(a.endMs);
      const before = lane.marks.find((m) => m.failedAfter !== null && m.failedAfter.atMs === a.endMs);
      const ty = r.failureY + 15;
      const fromX = before ? s.x(before.askedMs) : failX;
      if (before) {
        // From the charge, under the bar, to the failure: the time the attempt waited for an answer.
        g.appendChild(
          svg("path", { class: "ln-lost", d: `M${fromX} ${r.barY + 15} V${r.failureY + 4} H${failX} V${r.barY + 15}` }, [
            svg("title", {}, [
              `${before.id} was asked for at +${formatMs(before.askedMs)}; attempt ${a.number} failed ${formatMs(a.endMs - before.askedMs)} later: ${a.error!.message}`,
            ]),
          ]),
        );
      }
      const text = `${before ? `${formatMs(a.endMs - before.askedMs)} later ` : ""}✗ ${a.error!.restateCode ?? ""} ${a.error!.message}`.replace(/\s+/g, " ");
      const start = Math.max(fromX + (before ? 4 : 6), lastEnd + 8);
      const room = s.plotRight - start;
      if (room > 60) {
        const shown = fit(text, room);
        g.appendChild(svg("text", { class: "ln-fail-label", x: start, y: ty }, [shown]));
        lastEnd = start + shown.length * CHAR;
      }
    }
  }

  if (r.marksY !== null) {
    // A kill or cancel first: its label wins the line over a ledger entry's.
    const taken: Array<[number, number]> = [];
    for (const stop of lane.stops) {
      const sx = s.x(stop.atMs);
      const label = `${stop.how} ${stop.status}`;
      g.appendChild(
        svg("line", { class: "ln-stop", x1: sx, x2: sx, y1: r.marksY + 2, y2: r.bottom - ROW.gap }, [
          svg("title", {}, [`${stop.how} through the admin API at +${formatMs(stop.atMs)}, answered ${stop.status}`]),
        ]),
      );
      g.appendChild(svg("text", { class: "ln-stop-label", x: sx + 3, y: r.marksY + 10 }, [label]));
      taken.push([sx, sx + 3 + label.length * CHAR]);
    }
    drawMarks(g, lane.marks, r.marksY + 10, barTop, s.x, s.plotRight, taken);
  }

  lane.requests.forEach((q, i) => {
    const ry = r.requestY + i * ROW.request;
    const x1 = s.x(q.startMs);
    const x2 = Math.max(x1 + 3, s.x(q.endMs));
    g.appendChild(svg("text", { class: "ln-gutter", x: s.plotLeft - 8, y: ry + 10, "text-anchor": "end" }, [fit(q.label, s.plotLeft - 12)]));
    g.appendChild(
      svg("rect", { class: `tl-bar ln-request answer-${q.kind}`, x: x1, y: ry + 3, width: round(x2 - x1), height: 8, rx: 1 }, [svg("title", {}, [q.text])]),
    );
  });
  root.appendChild(g);
}

/** Ledger marks: a diamond above the attempt (hollow when no journal records it), a line down through the bar, a label where it fits. */
function drawMarks(
  g: SVGGElement,
  marks: readonly LedgerMark[],
  y: number,
  barTop: number | null,
  x: (ms: number) => number,
  plotRight: number,
  taken: Array<[number, number]> = [],
): void {
  let lastEnd = -Infinity;
  const free = (from: number, to: number) => taken.every(([a, b]) => to + 6 < a || from > b + 6);
  for (const m of [...marks].sort((a, b) => a.askedMs - b.askedMs).slice(0, 100)) {
    const mx = x(m.askedMs);
    const cls = `ln-mark trace-${m.trace} mark-${m.type}`;
    if (barTop !== null) g.appendChild(svg("line", { class: `ln-mark-line trace-${m.trace}`, x1: mx, x2: mx, y1: y + 1, y2: barTop + 12 }));
    if (Math.abs(x(m.recordedMs) - mx) >= 4)
      g.appendChild(
        svg("line", { class: "ln-recorded", x1: mx, x2: x(m.recordedMs), y1: y - 3, y2: y - 3 }, [
          svg("title", {}, [`recorded by the gateway at +${formatMs(m.recordedMs)}`]),
        ]),
      );
    if (barTop !== null && traceApart(m)) {
      // Along the top of the bars, to when a later attempt's journal recorded it.
      const tx = x(m.traceMs);
      g.appendChild(svg("path", { class: "ln-trace", d: `M${mx} ${barTop - 2} H${tx}` }));
      g.appendChild(
        svg("rect", { class: "ln-trace-dot", x: tx - 3, y: barTop - 5, width: 6, height: 6 }, [
          svg("title", {}, [`the journal recorded ${m.id} at +${formatMs(m.traceMs)} (${m.short})`]),
        ]),
      );
    }
    g.appendChild(svg("path", { class: cls, d: `M${mx} ${y - 8} l5 5 l-5 5 l-5 -5 z` }, [svg("title", {}, [m.text])]));
    const label = `${m.id} · ${m.short}`;
    const w = label.length * CHAR;
    const anchorEnd = mx + 8 + w > plotRight;
    const start = anchorEnd ? mx - 8 - w : mx + 8;
    if (start > lastEnd + 6 && start >= 0 && free(start, start + w)) {
      g.appendChild(
        svg("text", { class: `ln-mark-label trace-${m.trace}`, x: anchorEnd ? mx - 8 : mx + 8, y: y + 1, "text-anchor": anchorEnd ? "end" : "start" }, [label]),
      );
      lastEnd = start + w;
    }
  }
}

function fit(text: string, px: number): string {
  const max = Math.floor(px / CHAR);
  return text.length <= max ? text : max < 4 ? "" : `${text.slice(0, max - 1)}…`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function formatTick(ms: number, domain: number): string {
  return domain >= 10_000 ? `${Math.round(ms / 100) / 10} s` : formatCount(Math.round(ms));
}
