// The history in the sidebar: past runs, most recent first; a click opens one.
import "./sidebar-list.css";
import "./history.css";
import type { RunSummary } from "../../shared/protocol.js";
import { el } from "../ui/dom.js";
import { formatCount, formatWhen } from "../ui/format.js";

/** `busyRunId`: the run being opened, marked busy until the extension answers. */
export function renderHistory(
  history: readonly RunSummary[],
  currentRunId: string | null,
  busyRunId: string | null,
  onOpen: (runId: string) => void,
): HTMLElement {
  if (history.length === 0) return el("p", { class: "muted small", text: "No runs yet. Runs you make appear here.", testid: "history-empty" });
  const shown = history.slice(0, 200);
  return el(
    "ul",
    { class: "history", testid: "history", attrs: { "aria-label": "Past runs, most recent first" } },
    shown.map((h) =>
      el("li", {}, [
        el(
          "button",
          {
            class: "history-item",
            testid: "history-item",
            attrs: {
              type: "button",
              "aria-current": h.runId === currentRunId ? "true" : undefined,
              "data-focus-key": `history-${h.runId}`,
              "data-run-id": h.runId,
              "aria-busy": h.runId === busyRunId ? "true" : undefined,
            },
            on: { click: () => onOpen(h.runId) },
          },
          [
            el("span", { class: "history-top" }, [
              el("span", { class: "history-title", text: h.title }),
              // A partial run has no verdict: its pill says how it ended, in no pass or fail colour.
              h.ended
                ? el("span", { class: "verdict-pill verdict-ended", text: h.ended, testid: "history-ended" })
                : el("span", { class: `verdict-pill verdict-${h.verdict}`, text: h.verdict }),
            ]),
            el("span", {
              class: "history-meta muted",
              text: `${formatWhen(h.finishedAt)}${h.seed !== undefined ? ` · seed ${h.seed}` : ""} · ${formatCount(h.requests)} req · ${formatCount(h.charges)} charge${h.charges === 1 ? "" : "s"}${h.score ? ` · predicted ${h.score.correct}/${h.score.of}` : ""}`,
            }),
          ],
        ),
      ]),
    ),
  );
}
