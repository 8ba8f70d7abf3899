// The invocation inspector: an invocation's sys_invocation row, its attempts and the run's events
// that concern it (from the run record), and its journal, which the extension reads from Restate
// when the learner clicks an invocation id; each journal entry says which attempt appended it.
import "./inspector.css";
import type { JournalEntry } from "../../shared/protocol.js";
import { definitionList } from "../ui/detail-panel.js";
import { button, el } from "../ui/dom.js";
import type { Child } from "../ui/dom.js";
import { formatMs, shortId } from "../ui/format.js";
import { copyButton, invocationRef } from "../ui/id-ref.js";
import { scrollingTable } from "../ui/overflow.js";
import { laneOf } from "./lanes-model.js";
import { eventsOf } from "./run-events.js";
import { journalRows, legendOf, MARKS, shortIds } from "./journal-model.js";
import type { JournalMark } from "./journal-model.js";
import type { Lane } from "./lanes-model.js";
import { invocationFor } from "./run-model.js";
import type { JournalView, Result } from "./run-model.js";

/** An invocation id (shortened, with its copy button) as a link that opens the inspector. */
export const invocationButton = invocationRef;

/** `showChargeLine`: scrolls "The code" to the handler's charge line (each attempt links to it); absent when no code block shows one. */
export function renderInspector(j: JournalView, result: Result, onClose: () => void, showChargeLine?: () => void): HTMLElement {
  const row = invocationFor(result, j.invocationId);
  const lane = laneOf(result, j.invocationId);
  const close = button("Close", onClose, { class: "secondary small" });
  return el("div", { class: "detail-panel", testid: "inspector", attrs: { role: "region", tabindex: -1, "aria-label": `Invocation ${j.invocationId}` } }, [
    el("div", { class: "detail-head" }, [
      el("h3", { class: "inspector-title" }, [
        "Invocation ",
        el("code", { text: shortId(j.invocationId), attrs: { title: j.invocationId } }),
        " ",
        copyButton(j.invocationId, `invocation id ${j.invocationId}`, "inspector-copy"),
      ]),
      close,
    ]),
    row
      ? definitionList([
          ["status", row.status],
          ["idempotency key", row.idempotency_key === null ? "(none)" : `${row.idempotency_key}${row.userKey ? "" : " (Restate's own)"}`],
          ["retry count", row.retry_count === null ? "—" : String(row.retry_count)],
          ["target", row.target],
          ["created at", fromStart(row.created_at, result.startedAt)],
          ["completion", row.completion_result ?? "—"],
        ])
      : el("p", { class: "muted", text: "Not in this run's sys_invocation rows (Restate may have cleaned it up)." }),
    ...attemptsPart(result, lane, showChargeLine),
    el("h4", { text: "Journal" }),
    j.error !== undefined
      ? el("p", { class: "error-text", text: `Could not read the journal: ${j.error}`, attrs: { role: "alert" } })
      : j.entries === null
        ? el("p", { class: "muted", text: "Loading the journal…", attrs: { role: "status" } })
        : j.entries.length === 0
          ? el("p", { class: "muted", text: "No journal entries (Restate keeps journals only while invocations run or are retained)." })
          : journalTable(j.entries, lane, result.startedAt),
  ]);
}

/** A time as the rest of the panel gives it, from the run's start ("+768 ms"); the time itself on hover. */
function fromStart(iso: string, startedAt: string): HTMLElement {
  const ms = Date.parse(iso) - Date.parse(startedAt);
  if (!Number.isFinite(ms)) return el("span", { text: iso });
  return el("span", { text: `${ms < 0 ? "−" : "+"}${formatMs(Math.abs(ms))} from the run's start`, attrs: { title: iso } });
}

/** The attempts Restate recorded, the ledger entries they made, and the run's events that concern the invocation. */
function attemptsPart(result: Result, lane: Lane | undefined, showChargeLine?: () => void): Child[] {
  if (!lane) return result.attempts ? [el("p", { class: "muted", text: "Restate's records of this run hold no attempt of this invocation." })] : [];
  const events = eventsOf(result, lane);
  return [
    el("h4", { text: `Attempts (${lane.attempts.length}, from Restate's records)` }),
    el(
      "ol",
      { class: "inspector-facts", testid: "inspector-attempts" },
      lane.attempts.map((a) =>
        el("li", { class: `outcome-${a.outcome}`, attrs: { "data-attempt": a.number, "data-outcome": a.outcome } }, [
          a.text,
          showChargeLine
            ? button("code", showChargeLine, {
                class: "link-button attempt-code-link",
                testid: "attempt-code-link",
                attrs: { title: "Show the handler's charge line in The code", "aria-label": `Show the line of code attempt ${a.number} ran to charge` },
              })
            : null,
        ]),
      ),
    ),
    lane.marks.length > 0 ? el("h4", { text: "Ledger entries its attempts made" }) : null,
    lane.marks.length > 0
      ? el(
          "ul",
          { class: "inspector-facts", testid: "inspector-ledger" },
          lane.marks.map((m) =>
            el("li", { class: `trace-${m.trace}`, attrs: { "data-ledger-id": m.id, "data-trace": m.trace, title: m.text } }, [shortIds(m.text)]),
          ),
        )
      : null,
    events.length > 0 ? el("h4", { text: "Events of the run that concern it" }) : null,
    events.length > 0
      ? el(
          "ul",
          { class: "inspector-facts", testid: "inspector-events" },
          events.map((e) => el("li", { attrs: { "data-kind": e.kind, title: e.text } }, [shortIds(`+${formatMs(e.atMs)}: ${e.text}`)])),
        )
      : null,
  ];
}

function journalTable(entries: JournalEntry[], lane: Lane | undefined, runStartedAt: string): HTMLElement {
  const rows = journalRows(entries.slice(0, 500), lane, runStartedAt);
  const legend = legendOf(rows);
  return el("div", {}, [
    scrollingTable(
      "Journal",
      el("table", { class: "plain-table journal-table", testid: "journal-table" }, [
        el("thead", {}, [
          el(
            "tr",
            {},
            ["index", "attempt", "meaning", "type", "name", "value", "appended", "marks"].map((h, i) =>
              el("th", { text: h, class: i < 2 ? "num" : undefined, attrs: { scope: "col" } }),
            ),
          ),
        ]),
        el(
          "tbody",
          {},
          rows.map((r) =>
            el("tr", { class: r.failedBy !== null ? "failed-on" : undefined, attrs: { "data-index": r.index } }, [
              el("td", { class: "num", text: String(r.index) }),
              el("td", { class: "num", text: r.attempt === null ? "—" : String(r.attempt) }),
              el("td", { class: "journal-meaning", testid: "journal-meaning", text: r.meaning }),
              el("td", { class: "small", text: r.type }),
              el("td", { class: "mono", text: r.name || "—" }),
              r.value === null
                ? el("td", { class: "muted", text: "—" })
                : el("td", { class: "mono journal-value", testid: "journal-value", text: r.value.shown, attrs: { title: r.value.whole } }),
              el("td", { text: r.at ?? "—", attrs: r.at ? { title: "from the run's start" } : {} }),
              el(
                "td",
                { class: "small" },
                [
                  r.failedBy !== null ? markText("failed-on", `attempt ${r.failedBy} failed on it`) : null,
                  r.ledgerIds.length > 0 ? markText("ledger", r.ledgerIds.join(", ")) : null,
                ].filter((c) => c !== null),
              ),
            ]),
          ),
        ),
      ]),
    ),
    entries.length > rows.length ? el("p", { class: "muted", text: `…and ${entries.length - rows.length} more entries.` }) : null,
    el("ul", { class: "journal-legend small muted", testid: "journal-legend", attrs: { "aria-label": "Journal table legend" } }, [
      el("li", { text: "appended: time from the run's start; value: cut short, the whole on hover; —: none or not known" }),
      ...legend.map((l) =>
        el("li", { attrs: { "data-mark": l.mark } }, [
          el("span", { class: `journal-mark mark-${l.mark}`, text: l.glyph, attrs: { "aria-hidden": "true" } }),
          ` ${l.text}`,
        ]),
      ),
    ]),
  ]);
}

function markText(mark: JournalMark, text: string): HTMLElement {
  return el("span", { class: "journal-mark-text", attrs: { "data-mark": mark } }, [
    el("span", { class: `journal-mark mark-${mark}`, text: MARKS[mark].glyph, attrs: { "aria-hidden": "true" } }),
    ` ${text}`,
  ]);
}
