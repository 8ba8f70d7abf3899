// The invocation inspector: an invocation's sys_invocation row and its journal, which the extension
// reads from Restate when the learner clicks an invocation id.
import type { JournalEntry } from "../shared/protocol.js";
import { definitionList } from "./detail-panel.js";
import { button, el } from "./dom.js";
import type { JournalView } from "./panel-state.js";
import { invocationFor } from "./run-model.js";
import type { Result } from "./run-model.js";

/** An invocation id as a link that opens the inspector. */
export function invocationButton(id: string, focusKey: string, inspect: (invocationId: string) => void): HTMLButtonElement {
  return button(id, () => inspect(id), {
    class: "link-button mono",
    attrs: { title: `Inspect invocation ${id}: its sys_invocation row and journal`, "data-focus-key": focusKey },
  });
}

export function renderInspector(j: JournalView, result: Pick<Result, "invocations">, onClose: () => void): HTMLElement {
  const row = invocationFor(result, j.invocationId);
  const close = button("Close", onClose, { class: "secondary small" });
  return el("div", { class: "detail-panel", testid: "inspector", attrs: { role: "region", "aria-label": `Invocation ${j.invocationId}` } }, [
    el("div", { class: "detail-head" }, [el("h3", {}, ["Invocation ", el("code", { text: j.invocationId })]), close]),
    row
      ? definitionList([
          ["status", row.status],
          ["idempotency key", row.idempotency_key === null ? "(none)" : `${row.idempotency_key}${row.userKey ? "" : " (Restate's own)"}`],
          ["retry count", row.retry_count === null ? "—" : String(row.retry_count)],
          ["target", row.target],
          ["created at", row.created_at],
          ["completion", row.completion_result ?? "—"],
        ])
      : el("p", { class: "muted", text: "Not in this run's sys_invocation rows (Restate may have cleaned it up)." }),
    el("h4", { text: "Journal" }),
    j.error !== undefined
      ? el("p", { class: "error-text", text: `Could not read the journal: ${j.error}`, attrs: { role: "alert" } })
      : j.entries === null
      ? el("p", { class: "muted", text: "Loading the journal…", attrs: { role: "status" } })
      : j.entries.length === 0
        ? el("p", { class: "muted", text: "No journal entries (Restate keeps journals only while invocations run or are retained)." })
        : journalTable(j.entries),
  ]);
}

function journalTable(entries: JournalEntry[]): HTMLElement {
  const shown = entries.slice(0, 500);
  return el("div", { class: "table-wrap" }, [
    el("table", { class: "plain-table", testid: "journal-table" }, [
      el("thead", {}, [el("tr", {}, ["index", "type", "name", "appended at"].map((h, i) => el("th", { text: h, class: i === 0 ? "num" : undefined, attrs: { scope: "col" } })))]),
      el(
        "tbody",
        {},
        shown.map((e) =>
          el("tr", {}, [
            el("td", { class: "num", text: String(e.index) }),
            el("td", { text: e.type }),
            el("td", { class: "mono", text: e.name || "—" }),
            el("td", { text: e.appendedAt ?? "—" }),
          ]),
        ),
      ),
    ]),
    entries.length > shown.length ? el("p", { class: "muted", text: `…and ${entries.length - shown.length} more entries.` }) : null,
  ]);
}
