// The run's timeline. A run with Restate's records of its attempts draws one lane per invocation
// (lanes.ts); an older run, one row per request (or per bucket of requests in a big run), from its
// send to its answer, coloured by how it was answered, and the ledger's entries as markers.
import "../ui/chart.css";
import "./timeline.css";
import { ANSWER_KINDS } from "../../shared/protocol.js";
import { ChartHost, el, section, svg } from "../ui/dom.js";
import { answerLabel, formatCount, formatMs } from "../ui/format.js";
import { renderLaneList, renderLanesLegend } from "./lanes-list.js";
import { buildLanes, hasAttempts } from "./lanes-model.js";
import { PER_REQUEST_ROWS } from "./request-groups-model.js";
import { renderLanesSvg } from "./lanes.js";
import type { Result } from "./run-model.js";
import { buildTimeline, timelineGeometry } from "./timeline-model.js";
import type { TimelineModel } from "./timeline-model.js";

/** The run view's Timeline section: the chart is drawn to the section's width, again when it changes. */
export class TimelineSection {
  readonly element: HTMLElement;
  private readonly draw: (width: number) => SVGSVGElement;
  private readonly chart = new ChartHost("timeline-host", (width) => this.draw(width));

  constructor(result: Result, requestCount: number, inspect: (invocationId: string) => void) {
    if (hasAttempts(result)) {
      const lanes = buildLanes(result);
      this.draw = (width) => renderLanesSvg(lanes, width);
      const note =
        "One lane per invocation, from Restate's own records: its attempts (a retry begins at the failure before it: Restate records no start for a retry), why each failed, the ledger entries each attempt made, and the requests it answered" +
        (lanes.lanes.some((l) => l.requests.some((q) => q.count > 1))
          ? `; a lane with more than ${PER_REQUEST_ROWS} requests shows one row per answer kind.`
          : ".");
      this.element = section(
        "Timeline",
        { testid: "timeline-section", actions: [el("span", { class: "section-note", text: "attempts from sys_invocation and sys_journal_events" })] },
        [
          el("p", { class: "muted small", text: note }),
          el("div", { class: "timeline", testid: "timeline", attrs: { "data-kind": "lanes" } }, [this.chart.host, renderLanesLegend(lanes)]),
          renderLaneList(lanes, inspect),
        ],
      );
    } else {
      const t = buildTimeline(result);
      this.draw = (width) => renderTimelineSvg(t, width);
      const note = t.aggregated
        ? `${formatCount(requestCount)} requests in ${t.rows.length} rows of ${t.bucketSize}: each bar runs from the first send to the last answer, coloured by its most common answer (hover for the counts).`
        : "Each bar is one request, from its send to its answer. Markers are the gateway ledger's entries for the payment.";
      this.element = section("Timeline", { testid: "timeline-section" }, [
        el("p", { class: "muted small", text: note }),
        requestCount === 0 && t.markers.length === 0
          ? el("p", { class: "muted", text: "No requests were sent in this run.", testid: "timeline" })
          : el("div", { class: "timeline", testid: "timeline" }, [this.chart.host, renderLegend(t)]),
      ]);
    }
  }

  dispose(): void {
    this.chart.dispose();
  }
}

export function renderTimelineSvg(model: TimelineModel, width: number): SVGSVGElement {
  const g = timelineGeometry(model, width);
  const plotBottom = g.y(model.rows.length);
  const root = svg("svg", {
    class: "timeline-svg",
    role: "img",
    "aria-label": model.ariaLabel,
    width: g.width,
    height: g.height,
    viewBox: `0 0 ${g.width} ${g.height}`,
  });

  // Grid and time axis.
  const axis = svg("g", { class: "tl-axis", "aria-hidden": "true" });
  for (const t of model.ticks) {
    const x = round(g.x(t));
    axis.appendChild(svg("line", { class: "tl-grid", x1: x, x2: x, y1: g.plotTop - 4, y2: plotBottom }));
    axis.appendChild(svg("text", { class: "tl-tick", x, y: plotBottom + 14, "text-anchor": "middle" }, [formatTick(t, model.domainMs)]));
  }
  axis.appendChild(svg("line", { class: "tl-baseline", x1: g.plotLeft, x2: g.plotRight, y1: plotBottom, y2: plotBottom }));
  axis.appendChild(
    svg("text", { class: "tl-axis-title", x: g.plotLeft - 8, y: plotBottom + 14, "text-anchor": "end" }, [model.domainMs >= 10_000 ? "time" : "ms"]),
  );
  root.appendChild(axis);

  // Lanes: one bar per row, at least 2 px wide so an instant answer still shows.
  const lanes = svg("g", { class: "tl-lanes" });
  model.rows.forEach((row, i) => {
    const x1 = g.x(row.startMs);
    const x2 = Math.max(x1 + 2, g.x(row.endMs));
    const y = g.y(i) + (g.rowHeight - g.barHeight) / 2;
    lanes.appendChild(
      svg("rect", { class: `tl-bar answer-${row.kind}`, x: round(x1), y: round(y), width: round(x2 - x1), height: g.barHeight, rx: g.barHeight >= 6 ? 2 : 0 }, [
        svg("title", {}, [row.title]),
      ]),
    );
    if (i % g.labelEvery === 0) {
      lanes.appendChild(
        svg("text", { class: "tl-label", x: g.plotLeft - 8, y: round(g.y(i) + g.rowHeight / 2), "text-anchor": "end", "dominant-baseline": "central" }, [
          row.label,
        ]),
      );
    }
  });
  root.appendChild(lanes);

  // Ledger markers, with labels where they do not overlap the previous one.
  const markers = svg("g", { class: "tl-markers" });
  let lastLabelEnd = -Infinity;
  for (const m of model.markers.slice(0, 200)) {
    const x = round(g.x(m.atMs));
    markers.appendChild(
      svg("line", { class: `tl-marker marker-${m.type}`, x1: x, x2: x, y1: g.plotTop - 6, y2: plotBottom }, [
        svg("title", {}, [`${m.label} at ${formatMs(m.atMs)}`]),
      ]),
    );
    markers.appendChild(svg("path", { class: `tl-marker-head marker-${m.type}`, d: `M${x - 4} ${g.plotTop - 12} h8 l-4 6 z` }));
    const labelWidth = m.label.length * 6.2;
    const anchorEnd = x + 6 + labelWidth > g.plotRight;
    const start = anchorEnd ? x - 6 - labelWidth : x + 6;
    if (start > lastLabelEnd + 6 && model.markers.length <= 50) {
      markers.appendChild(
        svg("text", { class: `tl-marker-label marker-${m.type}`, x: anchorEnd ? x - 6 : x + 6, y: g.plotTop - 7, "text-anchor": anchorEnd ? "end" : "start" }, [
          m.label,
        ]),
      );
      lastLabelEnd = start + labelWidth;
    }
  }
  root.appendChild(markers);
  return root;
}

export function renderLegend(model: TimelineModel): HTMLElement {
  const items = ANSWER_KINDS.map((k) => {
    const n = model.counts[k];
    return el("li", { class: `legend-item ${n === 0 ? "zero" : ""}`.trim(), testid: `legend-${k}` }, [
      el("span", { class: `swatch answer-${k}`, attrs: { "aria-hidden": "true" } }),
      el("span", { class: "legend-label", text: answerLabel(k) }),
      el("span", { class: "legend-count", text: formatCount(n) }),
    ]);
  });
  const charges = model.markers.filter((m) => m.type === "charge").length;
  const refunds = model.markers.length - charges;
  items.push(
    el("li", { class: `legend-item ${charges === 0 ? "zero" : ""}`.trim() }, [
      el("span", { class: "swatch-line marker-charge", attrs: { "aria-hidden": "true" } }),
      el("span", { class: "legend-label", text: "ledger charge" }),
      el("span", { class: "legend-count", text: formatCount(charges) }),
    ]),
  );
  if (refunds > 0) {
    items.push(
      el("li", { class: "legend-item" }, [
        el("span", { class: "swatch-line marker-refund", attrs: { "aria-hidden": "true" } }),
        el("span", { class: "legend-label", text: "ledger refund" }),
        el("span", { class: "legend-count", text: formatCount(refunds) }),
      ]),
    );
  }
  return el("ul", { class: "legend", attrs: { "aria-label": "Answer kinds" } }, items);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function formatTick(ms: number, domain: number): string {
  if (domain >= 10_000) return `${Math.round(ms / 100) / 10} s`;
  return formatCount(Math.round(ms));
}
