// The run view's retention countdown: the key's time from its retention to its expiry, the time
// after it until Restate's cleaner removed the entry, and each request of the key on that strip
// with the time it had left. retention-model.ts computes it from the run's answers and events.
import "./retention.css";
import { ChartHost, el, section, svg } from "../ui/dom.js";
import { answerLabel, formatMs } from "../ui/format.js";
import { answerChip } from "./requests.js";
import type { Result } from "./run-model.js";
import { retentionView } from "./retention-model.js";
import type { RetentionView } from "./retention-model.js";
import { niceTicks } from "./timeline-model.js";

const CHAR = 6.3;

export class RetentionSection {
  readonly element: HTMLElement;
  private readonly chart = new ChartHost("countdown-host", (width) => countdownSvg(this.view, width));

  private constructor(private readonly view: RetentionView) {
    this.element = section(
      "Countdown to expiry",
      { testid: "retention-section", actions: [el("span", { class: "section-note", text: "from idempotency-expires and the run's waits" })] },
      [el("p", { class: "countdown-headline", text: view.headline, testid: "retention-headline" }), this.chart.host, countdownTable(view)],
    );
  }

  static of(result: Result): RetentionSection | null {
    const view = retentionView(result);
    return view ? new RetentionSection(view) : null;
  }

  dispose(): void {
    this.chart.dispose();
  }
}

function countdownSvg(v: RetentionView, width: number): SVGSVGElement {
  const left = 8;
  const right = Math.max(left + 60, width - 8);
  const x = (ms: number) => Math.round((left + (Math.min(v.domainMs, Math.max(0, ms)) / v.domainMs) * (right - left)) * 10) / 10;
  const bandY = 36;
  const height = 100;
  const root = svg("svg", {
    class: "countdown-svg",
    role: "img",
    "aria-label": `${v.headline} The table below lists each request and the time it had left.`,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
  });
  const band = (from: number, to: number, cls: string, label: string) => {
    if (to <= from) return;
    root.appendChild(
      svg("rect", { class: `cd-band ${cls}`, x: x(from), y: bandY, width: Math.max(1, x(to) - x(from)), height: 16 }, [svg("title", {}, [label])]),
    );
    const room = x(to) - x(from) - 8;
    if (room > label.length * CHAR) root.appendChild(svg("text", { class: "cd-band-label", x: x(to) - 4, y: bandY + 12, "text-anchor": "end" }, [label]));
  };
  const keptFrom = v.keptFromMs ?? 0;
  band(keptFrom, v.expiresMs, "kept", v.retention ? `kept (${v.retention.set})` : "kept");
  const removedAt = v.removal?.reached ? v.removal.atMs : v.domainMs;
  band(v.expiresMs, removedAt, "expired", v.removal ? "expired, still stored" : "expired");
  if (v.removal?.reached) band(v.removal.atMs, v.domainMs, "removed", "removed");
  root.appendChild(svg("line", { class: "cd-expiry", x1: x(v.expiresMs), x2: x(v.expiresMs), y1: 14, y2: bandY + 20 }));
  const expiryLabel = `idempotency-expires +${formatMs(v.expiresMs)}`;
  const anchorEnd = x(v.expiresMs) + expiryLabel.length * CHAR > right;
  root.appendChild(
    svg("text", { class: "cd-expiry-label", x: x(v.expiresMs) + (anchorEnd ? -4 : 4), y: 12, "text-anchor": anchorEnd ? "end" : "start" }, [expiryLabel]),
  );
  // Each request of the key: a dot over the strip, its time left under it where it fits.
  let lastEnd = -Infinity;
  for (const r of v.rows) {
    const rx = x(r.sentMs);
    root.appendChild(svg("line", { class: "cd-request-tick", x1: rx, x2: rx, y1: bandY - 6, y2: bandY + 16 }));
    root.appendChild(svg("circle", { class: `cd-request answer-${r.answer}`, cx: rx, cy: bandY - 7, r: 5 }, [svg("title", {}, [r.text])]));
    const label = `#${r.index} ${r.leftMs >= 0 ? `${formatMs(r.leftMs)} left` : `${formatMs(-r.leftMs)} past`}`;
    const w = label.length * CHAR;
    const start = Math.min(rx - w / 2, right - w);
    if (start > lastEnd + 6) {
      root.appendChild(svg("text", { class: "cd-request-label", x: Math.max(left, start), y: bandY + 30 }, [label]));
      lastEnd = Math.max(left, start) + w;
    }
  }
  for (const t of niceTicks(v.domainMs)) {
    root.appendChild(
      svg("text", { class: "cd-tick", x: x(t), y: height - 8, "text-anchor": "middle" }, [
        v.domainMs >= 10_000 ? `${Math.round(t / 100) / 10} s` : `${Math.round(t)}`,
      ]),
    );
  }
  root.appendChild(svg("text", { class: "cd-tick", x: right, y: height - 20, "text-anchor": "end" }, [v.domainMs >= 10_000 ? "time" : "ms"]));
  return root;
}

function countdownTable(v: RetentionView): HTMLElement {
  return el("div", { class: "table-wrap" }, [
    el("table", { class: "plain-table countdown-table", testid: "countdown-table" }, [
      el("thead", {}, [
        el(
          "tr",
          {},
          ["#", "sent", "time to expiry", "answer"].map((h, i) => el("th", { text: h, class: i === 0 ? "num" : undefined, attrs: { scope: "col" } })),
        ),
      ]),
      el("tbody", {}, [
        ...v.rows.map((r) =>
          el("tr", { testid: "countdown-row", attrs: { "data-index": r.index, "data-left-ms": Math.round(r.leftMs), title: r.text } }, [
            el("td", { class: "num" }, [String(r.index), r.label ? el("div", { class: "muted small", text: r.label }) : null]),
            el("td", { text: `+${formatMs(r.sentMs)}` }),
            el("td", {
              class: r.leftMs >= 0 ? "cd-left" : "cd-past",
              text: r.leftMs >= 0 ? `${formatMs(r.leftMs)} left` : `expired ${formatMs(-r.leftMs)} ago${r.afterRemoval ? ", entry removed" : ""}`,
            }),
            el("td", { attrs: { "aria-label": answerLabel(r.answer) } }, [answerChip(r.answer)]),
          ]),
        ),
        v.removal
          ? el("tr", { class: "cd-removal", testid: "countdown-removal" }, [
              el("td", { class: "num", text: "—" }),
              el("td", { text: `+${formatMs(v.removal.atMs)}` }),
              el("td", {
                text: v.removal.reached
                  ? `the cleaner removed the entry ${formatMs(v.removal.afterExpiryMs)} after the expiry`
                  : "the cleaner had not removed the entry when the run stopped waiting",
              }),
              el("td", { text: "" }),
            ])
          : null,
      ]),
    ]),
  ]);
}
