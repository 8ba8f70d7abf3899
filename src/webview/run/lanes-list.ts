// The attempts timeline in words, under the chart: each lane's attempts, failures, ledger entries
// and requests, and the run's events; readable by a screen reader and by the host tests. And the
// chart's legend.
import { ANSWER_KINDS } from "../../shared/protocol.js";
import { el } from "../ui/dom.js";
import type { Child } from "../ui/dom.js";
import { answerLabel, formatCount, formatMs } from "../ui/format.js";
import { invocationButton } from "./inspector.js";
import { traceApart } from "./lanes-model.js";
import type { Lane, LanesModel, LedgerMark } from "./lanes-model.js";

const TRACE_TAGS = { none: "in no journal entry", run: "ctx.run result", unknown: "no recorded attempt" } as const;

export function renderLaneList(model: LanesModel, inspect: (invocationId: string) => void): HTMLElement {
  return el("div", { class: "lane-notes" }, [
    el("ol", { class: "lane-list", testid: "lane-list", attrs: { "aria-label": "Invocations, their attempts and ledger entries" } }, [
      ...model.lanes.map((lane) => laneItem(lane, inspect)),
      model.unlinked.length > 0
        ? el("li", { class: "lane-item", testid: "lane-unlinked" }, [
            el("div", { class: "lane-head", text: "Ledger entries no attempt in Restate's records made" }),
            el("ul", { class: "lane-facts" }, model.unlinked.map(markItem)),
          ])
        : null,
    ]),
    model.events.length > 0
      ? el("div", { class: "lane-events" }, [
          el("h3", { class: "lane-events-title", text: "What the run did besides sending requests" }),
          el(
            "ul",
            { class: "lane-facts", testid: "run-events" },
            model.events.map((e) =>
              el("li", { class: `event-item ev-${e.kind}`, testid: "run-event", attrs: { "data-kind": e.kind } }, [
                el("span", { class: "fact-time", text: `+${formatMs(e.atMs)}` }),
                e.text,
              ]),
            ),
          ),
        ])
      : null,
  ]);
}

function laneItem(lane: Lane, inspect: (invocationId: string) => void): HTMLElement {
  const facts: Child[] = [
    ...lane.attempts.map((a) =>
      el(
        "li",
        {
          class: `attempt-item outcome-${a.outcome}`,
          testid: lane.kind === "others" ? "lane-attempts-folded" : "lane-attempt",
          attrs: { "data-attempt": a.number, "data-outcome": a.outcome },
        },
        [el("span", { class: `fact-tag outcome-${a.outcome}`, text: lane.kind === "others" ? "attempts" : a.outcome }), a.text],
      ),
    ),
    ...lane.marks.map(markItem),
    ...lane.stops.map((s) =>
      el("li", { testid: "lane-stop" }, [
        el("span", { class: "fact-tag", text: s.how }),
        `At +${formatMs(s.atMs)} the lab sent a ${s.how} of this invocation through the admin API; it answered ${s.status}.`,
      ]),
    ),
    ...lane.requests.map((q) =>
      el("li", { testid: "lane-requests", attrs: { "data-answer": q.kind, "data-count": q.count } }, [
        el("span", { class: `swatch answer-${q.kind}`, attrs: { "aria-hidden": "true" } }),
        " ",
        q.text,
      ]),
    ),
  ];
  return el(
    "li",
    {
      class: `lane-item lane-${lane.kind}`,
      testid: "lane",
      attrs: { "data-invocation-id": lane.invocationId ?? undefined, "data-attempts": lane.kind === "invocation" ? lane.attempts.length : undefined },
    },
    [
      el("div", { class: "lane-head" }, [
        lane.kind === "invocation" && lane.invocationId
          ? invocationButton(lane.invocationId, `lane-${lane.invocationId}`, inspect)
          : el("strong", { text: lane.heading }),
        " ",
        el("span", { class: "muted", text: lane.title }),
      ]),
      el("ul", { class: "lane-facts" }, facts),
    ],
  );
}

function markItem(m: LedgerMark): HTMLElement {
  return el(
    "li",
    {
      class: `mark-item trace-${m.trace}`,
      testid: "lane-ledger",
      attrs: { "data-ledger-id": m.id, "data-attempt": m.attempt ?? undefined, "data-trace": m.trace, "data-type": m.type },
    },
    [el("span", { class: `fact-tag trace-${m.trace}`, text: TRACE_TAGS[m.trace] }), m.text],
  );
}

export function renderLanesLegend(model: LanesModel): HTMLElement {
  const marks = [...model.lanes.flatMap((l) => l.marks), ...model.unlinked];
  const answers = new Map<string, number>();
  for (const q of model.lanes.flatMap((l) => l.requests)) answers.set(q.kind, (answers.get(q.kind) ?? 0) + q.count);
  const attempts = model.lanes.flatMap((l) => l.attempts);
  // The swatches this run's lanes use: class, what it stands for, whether the run shows one.
  const swatches: [string, string, boolean][] = [
    ["lg-attempt outcome-completed", "attempt, completed", attempts.some((a) => a.outcome === "completed")],
    ["lg-attempt outcome-failed", "attempt, failed ✗", attempts.some((a) => a.outcome === "failed")],
    ["lg-attempt outcome-running", "attempt, not finished", attempts.some((a) => a.outcome === "running" || a.outcome === "paused")],
    ["lg-attempt retry", "retry: begins at the failure (start not recorded)", attempts.some((a) => !a.startKnown)],
    ["lg-mark trace-run", "ledger entry, a ctx.run result", marks.some((m) => m.trace === "run")],
    ["lg-mark trace-none", "ledger entry, in no journal entry", marks.some((m) => m.trace === "none")],
    ["lg-trace", "when a later attempt's journal recorded it", marks.some((m) => traceApart(m))],
    ["lg-event", "the run's events", model.events.some((e) => e.spanMs === 0)],
    ["lg-wait", "the run waiting", model.events.some((e) => e.spanMs > 0)],
    ["lg-mark trace-unknown", "ledger entry, no recorded attempt", marks.some((m) => m.trace === "unknown")],
  ];
  return el("ul", { class: "legend lanes-legend", attrs: { "aria-label": "Legend" } }, [
    ...swatches.map(([cls, label, shown]) =>
      shown
        ? el("li", { class: "legend-item" }, [
            el("span", { class: `lg-swatch ${cls}`, attrs: { "aria-hidden": "true" } }),
            el("span", { class: "legend-label", text: label }),
          ])
        : null,
    ),
    ...ANSWER_KINDS.filter((k) => answers.has(k)).map((k) =>
      el("li", { class: "legend-item" }, [
        el("span", { class: `swatch answer-${k}`, attrs: { "aria-hidden": "true" } }),
        el("span", { class: "legend-label", text: `request ${answerLabel(k)}` }),
        el("span", { class: "legend-count", text: formatCount(answers.get(k) ?? 0) }),
      ]),
    ),
  ]);
}
