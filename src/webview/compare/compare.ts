// Two runs side by side: their summary metrics and invariants, differences highlighted.
import "./compare.css";
import type { RunRecord, RunSummary } from "../../shared/protocol.js";
import { button, el, uid } from "../ui/dom.js";
import { compareRuns } from "./compare-model.js";
import { formatWhen } from "../ui/format.js";
import { scrollingTable } from "../ui/overflow.js";

export interface CompareInput {
  history: readonly RunSummary[];
  a: string | null;
  b: string | null;
  recordA: RunRecord | undefined;
  recordB: RunRecord | undefined;
  /** Runs the extension could not open. */
  unavailable: ReadonlySet<string>;
  onPick(a: string | null, b: string | null): void;
}

export function renderCompare(input: CompareInput): HTMLElement {
  const { history, a, b } = input;
  const picker = (which: "A" | "B", value: string | null, onChange: (v: string | null) => void) => {
    const id = uid(`cmp-${which}`);
    const select = el("select", { testid: `compare-${which.toLowerCase()}`, attrs: { id } }, [
      el("option", { text: "Pick a run…", attrs: { value: "" } }),
      ...history.map((h) => {
        const o = el("option", { text: `${h.title} · ${h.verdict} · ${formatWhen(h.finishedAt)}`, attrs: { value: h.runId } });
        o.selected = h.runId === value;
        return o;
      }),
    ]);
    select.addEventListener("change", () => onChange(select.value === "" ? null : select.value));
    return el("div", { class: "field compare-pick" }, [el("label", { text: `Run ${which}`, attrs: { for: id } }), select]);
  };

  const controls = el("div", { class: "compare-controls" }, [
    picker("A", a, (v) => input.onPick(v, b)),
    button("⇄ Swap", () => input.onPick(b, a), {
      class: "secondary",
      testid: "compare-swap",
      attrs: { disabled: a === null && b === null, "aria-label": "Swap runs A and B" },
    }),
    picker("B", b, (v) => input.onPick(a, v)),
  ]);

  let body: HTMLElement;
  if (history.length < 2) body = el("p", { class: "muted", text: "Make at least two runs to compare them." });
  else if (a === null || b === null) body = el("p", { class: "muted", text: "Pick two runs from the history to see them side by side." });
  else if (input.unavailable.has(a) || input.unavailable.has(b)) {
    const gone = [input.unavailable.has(a) ? "A" : null, input.unavailable.has(b) ? "B" : null].filter(Boolean).join(" and ");
    body = el("p", {
      class: "error-text",
      text: `Run ${gone} could not be opened: it may no longer be in this workspace's history. Pick another.`,
      attrs: { role: "alert" },
    });
  } else if (!input.recordA || !input.recordB) {
    const missing = [!input.recordA ? "A" : null, !input.recordB ? "B" : null].filter(Boolean).join(" and ");
    body = el("p", { class: "muted", text: `Loading run ${missing}…`, attrs: { role: "status" } });
  } else {
    const rows = compareRuns(input.recordA, input.recordB);
    const differences = rows.filter((r) => r.differs).length;
    body = el("div", {}, [
      el("p", {
        class: "section-note",
        testid: "compare-summary",
        text: differences === 0 ? "No differences in the metrics or invariants." : `${differences} difference${differences === 1 ? "" : "s"} highlighted.`,
      }),
      scrollingTable(
        "Compared runs",
        el("table", { class: "plain-table compare-table", testid: "compare-table" }, [
          el("thead", {}, [
            el("tr", {}, [
              el("th", { text: "", attrs: { scope: "col", "aria-label": "differs" } }),
              el("th", { text: "", attrs: { scope: "col" } }),
              el("th", { text: `A · ${formatWhen(input.recordA.finishedAt)}`, attrs: { scope: "col" } }),
              el("th", { text: `B · ${formatWhen(input.recordB.finishedAt)}`, attrs: { scope: "col" } }),
            ]),
          ]),
          ...(["run", "metric", "invariant"] as const).map((group) =>
            el("tbody", { class: `group-${group}` }, [
              el("tr", { class: "group-row" }, [
                el("th", { text: group === "run" ? "Run" : group === "metric" ? "Metrics" : "Invariants", attrs: { colspan: 4, scope: "colgroup" } }),
              ]),
              ...rows
                .filter((r) => r.group === group)
                .map((r) =>
                  el("tr", { class: r.differs ? "differs" : "", testid: r.differs ? "compare-diff-row" : "compare-row" }, [
                    el("td", { class: "diff-mark", text: r.differs ? "≠" : "", attrs: { "aria-label": r.differs ? "differs" : "same" } }),
                    el("th", { text: r.label, attrs: { scope: "row" } }),
                    el("td", { class: okClass(r.okA), text: r.a }),
                    el("td", { class: okClass(r.okB), text: r.b }),
                  ]),
                ),
            ]),
          ),
        ]),
      ),
    ]);
  }
  return el("div", { class: "compare-view", testid: "compare-view" }, [el("h1", { class: "run-title", text: "Compare runs" }), controls, body]);
}

function okClass(ok: boolean | null): string {
  return ok === null ? "" : ok ? "cell-ok" : "cell-fail";
}
