// The chaos run's timeline: the fault schedule on its own lane (each marker says what it was and
// whether it was applied), then a lane per payment with its requests from send to answer and its
// ledger entries; under it, the schedule as a list (what a screen reader reads).
import "../ui/chart.css";
import "./chaos-timeline.css";
import type { ChaosRunRecord } from "../../shared/protocol.js";
import { faultStateText, faultText } from "./chaos-model.js";
import { chaosTimeline, ticks } from "./chaos-timeline-model.js";
import type { ChaosTimelineModel } from "./chaos-timeline-model.js";
import { ChartHost, el, section, svg } from "../ui/dom.js";
import { formatCount, formatMs } from "../ui/format.js";

const LABEL_WIDTH = 150;
const FAULT_LANE = 30;
/** A payment's lane: its requests one under another (a few rows, then they share), so duplicates sent together do not hide each other. */
const BAR = 4;
const MAX_STACK = 5;
const laneHeight = (requests: number) => 8 + BAR * Math.max(2, Math.min(MAX_STACK, requests));

export class ChaosTimeline {
  readonly element: HTMLElement;
  private readonly model: ChaosTimelineModel;
  private readonly chart = new ChartHost("timeline-host", (width) => draw(this.model, width));

  constructor(record: ChaosRunRecord) {
    this.model = chaosTimeline(record);
    const m = this.model;
    const applied = m.faults.filter((f) => f.state === "applied").length;
    this.element = section(
      "Timeline",
      {
        testid: "chaos-timeline-section",
        actions: [el("span", { class: "section-note", text: `${formatCount(applied)} of ${formatCount(m.faults.length)} faults applied` })],
      },
      [
        el("p", {
          class: "muted small",
          text: `The faults on their own lane, then one lane per payment${m.hidden > 0 ? ` (the first ${formatCount(m.lanes.length)}, broken ones first; ${formatCount(m.hidden)} more in the table)` : ", broken ones first"}: each bar a request from its send to its answer, each tick a ledger entry.`,
        }),
        el("div", { class: "timeline chaos-timeline", testid: "chaos-timeline" }, [this.chart.host, legend()]),
        el("h3", { class: "chaos-subhead", text: "Fault schedule" }),
        el(
          "ol",
          { class: "chaos-faults", testid: "chaos-faults" },
          m.faults.map((f) =>
            el(
              "li",
              {
                class: `chaos-fault fault-${f.state}`,
                testid: "chaos-fault",
                attrs: { "data-kind": f.fault.kind, "data-state": f.state, "data-at": f.fault.atMs },
              },
              [
                el("span", { class: "chaos-fault-at", text: formatMs(f.fault.atMs) }),
                el("span", { class: "chaos-fault-what", text: faultText(f.fault) }),
                el("span", { class: "chaos-fault-state", text: faultStateText(f.fault) }),
              ],
            ),
          ),
        ),
      ],
    );
  }

  dispose(): void {
    this.chart.dispose();
  }
}

function draw(m: ChaosTimelineModel, width: number): SVGSVGElement {
  const left = Math.min(LABEL_WIDTH, Math.round(width * 0.3));
  const right = Math.max(left + 40, width - 12);
  const top = 6;
  const lanesTop = top + FAULT_LANE + 6;
  const tops: number[] = [];
  let bottom = lanesTop;
  for (const lane of m.lanes) {
    tops.push(bottom);
    bottom += laneHeight(lane.requests.length);
  }
  const x = (ms: number) => left + (Math.max(0, Math.min(m.domainMs, ms)) / m.domainMs) * (right - left);
  const r1 = (n: number) => Math.round(n * 10) / 10;
  const root = svg("svg", {
    class: "timeline-svg",
    role: "img",
    "aria-label": `Chaos timeline: ${m.faults.length} faults, ${m.lanes.length} payments over ${formatMs(m.domainMs)}`,
    width,
    height: bottom + 24,
    viewBox: `0 0 ${width} ${bottom + 24}`,
  });

  const axis = svg("g", { "aria-hidden": "true" });
  for (const t of ticks(m.domainMs)) {
    axis.append(
      svg("line", { class: "tl-grid", x1: r1(x(t)), x2: r1(x(t)), y1: top, y2: bottom }),
      svg("text", { class: "tl-tick", x: r1(x(t)), y: bottom + 14, "text-anchor": "middle" }, [`${t / 1000} s`]),
    );
  }
  axis.append(svg("line", { class: "tl-baseline", x1: left, x2: right, y1: bottom, y2: bottom }));
  axis.append(
    svg("text", { class: "chaos-lane-label chaos-fault-label", x: left - 8, y: top + FAULT_LANE / 2, "text-anchor": "end", "dominant-baseline": "central" }, [
      "Faults",
    ]),
  );
  axis.append(svg("line", { class: "chaos-lane-sep", x1: 0, x2: right, y1: lanesTop - 3, y2: lanesTop - 3 }));
  root.append(axis);

  const faults = svg("g", { class: "chaos-fault-lane" });
  for (const f of m.faults) {
    const cx = r1(x(f.atMs));
    const cy = top + FAULT_LANE / 2;
    const g = svg(
      "g",
      { class: `chaos-marker marker-${f.state} kind-${f.fault.kind}`, "data-testid": "chaos-fault-marker", "data-kind": f.fault.kind, "data-state": f.state },
      [svg("title", {}, [f.title])],
    );
    if (f.durationMs > 0)
      g.append(svg("rect", { class: "chaos-span", x: cx, y: cy - 5, width: r1(Math.max(2, x(f.atMs + f.durationMs) - cx)), height: 10, rx: 2 }));
    g.append(svg("path", { class: "chaos-diamond", d: `M${cx} ${cy - 8} l7 8 l-7 8 l-7 -8 z` }));
    if (f.state !== "applied") g.append(svg("path", { class: "chaos-cross", d: `M${cx - 4} ${cy - 4} l8 8 M${cx + 4} ${cy - 4} l-8 8` }));
    faults.append(g);
  }
  root.append(faults);

  const lanes = svg("g", { class: "chaos-lanes" });
  m.lanes.forEach((lane, i) => {
    const y = tops[i]!;
    const height = laneHeight(lane.requests.length);
    const label = lane.paymentId.length > 22 ? `…${lane.paymentId.slice(-20)}` : lane.paymentId;
    lanes.append(
      svg(
        "text",
        { class: `chaos-lane-label${lane.broken ? " broken" : ""}`, x: left - 8, y: y + height / 2, "text-anchor": "end", "dominant-baseline": "central" },
        [label, svg("title", {}, [lane.paymentId])],
      ),
    );
    if (lane.broken) lanes.append(svg("rect", { class: "chaos-broken-band", x: left, y, width: right - left, height }));
    lane.requests.forEach((q, j) => {
      const x1 = x(q.fromMs);
      lanes.append(
        svg(
          "rect",
          {
            class: `chaos-request outcome-${q.outcome}${q.retried ? " retried" : ""}`,
            x: r1(x1),
            y: y + 4 + (j % MAX_STACK) * BAR,
            width: r1(Math.max(2, x(q.toMs) - x1)),
            height: BAR - 1,
            rx: 1,
          },
          [svg("title", {}, [q.title])],
        ),
      );
    });
    if (i > 0) lanes.append(svg("line", { class: "chaos-lane-rule", x1: left, x2: right, y1: y, y2: y }));
    for (const e of lane.ledger) {
      lanes.append(
        svg("line", { class: `chaos-ledger ledger-${e.type}`, x1: r1(x(e.atMs)), x2: r1(x(e.atMs)), y1: y + 1, y2: y + height - 1 }, [
          svg("title", {}, [e.title]),
        ]),
      );
    }
  });
  root.append(lanes);
  return root;
}

function legend(): HTMLElement {
  const item = (cls: string, label: string) =>
    el("li", { class: "legend-item" }, [
      el("span", { class: `chaos-swatch ${cls}`, attrs: { "aria-hidden": "true" } }),
      el("span", { class: "legend-label", text: label }),
    ]);
  return el("ul", { class: "legend", attrs: { "aria-label": "Timeline legend" } }, [
    item("sw-applied", "fault applied"),
    item("sw-unapplied", "fault not applied or not reached"),
    item("outcome-ok", "answered 2xx"),
    item("outcome-refused", "refused 4xx"),
    item("outcome-failed", "failed 5xx"),
    item("outcome-none", "no answer"),
    item("sw-retried", "sent again after a lost answer"),
    item("sw-charge", "ledger charge"),
  ]);
}
