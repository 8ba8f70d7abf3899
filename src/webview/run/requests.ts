// The run view's Requests section: every request in a virtual table (filtered by answer kind), the
// chosen request in full below it, and the invocation inspector.
import "./requests.css";
import { ANSWER_KINDS } from "../../shared/protocol.js";
import type { AnswerKind, RequestOutcome } from "../../shared/protocol.js";
import { definitionList } from "../ui/detail-panel.js";
import { button, el, replaceChildren, section, uid } from "../ui/dom.js";
import type { Child } from "../ui/dom.js";
import { answerLabel, formatCount, formatMs, oneLine, statusLabel, truncate } from "../ui/format.js";
import { invocationButton, renderInspector } from "./inspector.js";
import { canonicalJson } from "./response-diff.js";
import { answerCounts, filterRequests } from "./run-model.js";
import type { JournalView, Result } from "./run-model.js";
import { VirtualTable } from "../ui/virtual-table.js";

export class RequestsSection {
  readonly element: HTMLElement;
  private readonly table: VirtualTable<RequestOutcome>;
  private filter: AnswerKind | "all" = "all";
  private selected: number | null = null;
  private readonly detailHost = el("div", { class: "detail-host" });
  private readonly inspectorHost = el("div", { class: "detail-host" });

  constructor(
    private readonly result: Result,
    /** The result's requests, sorted by index. */
    private readonly details: readonly RequestOutcome[],
    private readonly inspect: (invocationId: string) => void,
    private readonly closeInspector: () => void,
    /** Scrolls "The code" to the handler's charge line; absent when no code block shows one. */
    private readonly showChargeLine?: () => void,
  ) {
    const counts = answerCounts(this.details);
    const filterId = uid("filter");
    const select = el("select", { attrs: { id: filterId }, testid: "request-filter" }, [
      el("option", { text: `all (${formatCount(this.details.length)})`, attrs: { value: "all" } }),
      ...ANSWER_KINDS.filter((k) => counts[k] > 0).map((k) => el("option", { text: `${answerLabel(k)} (${formatCount(counts[k])})`, attrs: { value: k } })),
    ]);
    select.addEventListener("change", () => {
      this.filter = select.value as AnswerKind | "all";
      this.table.setRows(filterRequests(this.details, this.filter));
    });
    this.table = new VirtualTable<RequestOutcome>({
      label: `Requests (${this.details.length})`,
      testid: "request-table",
      layout: "cols-requests",
      rows: filterRequests(this.details, this.filter),
      visibleRows: 14,
      rowClass: (r) => (r.index === this.selected ? "selected" : null),
      emptyText: "No requests.",
      columns: [
        { label: "#", class: "num", render: (r) => String(r.index) },
        { label: "sent (ms)", class: "num", render: (r) => fixed1(r.sentAtMs) },
        { label: "latency (ms)", class: "num", render: (r) => fixed1(r.latencyMs) },
        { label: "status", class: "num", render: (r) => (r.status === null ? "—" : String(r.status)) },
        { label: "answer", render: (r) => answerChip(r.answer) },
        {
          label: "invocation id",
          render: (r) =>
            r.invocationId === null ? el("span", { class: "muted", text: "—" }) : invocationButton(r.invocationId, `req-${r.index}-inv`, this.inspect),
        },
        {
          label: "response",
          render: (r) => {
            const full = r.error ? `${r.error}` : oneLine(r.response);
            return button(truncate(full, 140) || "(empty)", () => this.selectRequest(r.index), {
              class: `cell-button ${r.error ? "error-text" : ""}`.trim(),
              attrs: { title: truncate(full, 4000), "aria-label": `Request ${r.index}: show in full`, "data-focus-key": `req-${r.index}-resp` },
            });
          },
        },
      ],
    });
    this.element = section(
      "Requests",
      { testid: "requests-section", actions: [el("label", { class: "inline-label", text: "Show", attrs: { for: filterId } }), select] },
      [this.table.element, this.detailHost, this.inspectorHost],
    );
  }

  /** Shows the invocation inspector (entries null: waiting for the journal). */
  showJournal(journal: JournalView | null): void {
    replaceChildren(this.inspectorHost, [journal ? renderInspector(journal, this.result, this.closeInspector, this.showChargeLine) : null]);
  }

  private selectRequest(index: number): void {
    this.selected = index;
    this.table.refresh();
    const r = this.details.find((d) => d.index === index);
    replaceChildren(this.detailHost, [r ? this.requestDetail(r) : null]);
    this.detailHost.querySelector<HTMLElement>(".detail-panel")?.focus();
  }

  private requestDetail(r: RequestOutcome): HTMLElement {
    const close = button(
      "Close",
      () => {
        this.selected = null;
        this.table.refresh();
        replaceChildren(this.detailHost, []);
      },
      { class: "secondary small" },
    );
    return el("div", { class: "detail-panel", testid: "request-detail", attrs: { tabindex: -1, role: "region", "aria-label": `Request ${r.index}` } }, [
      el("div", { class: "detail-head" }, [el("h3", { text: `Request #${r.index}` }), answerChip(r.answer), close]),
      definitionList([
        ["request", `${r.method} ${r.path}`],
        ["idempotency key", r.idempotencyKey ?? "(none)"],
        ["sent", `${formatMs(r.sentAtMs)} after the start`],
        ["latency", formatMs(r.latencyMs)],
        ["status", statusLabel(r.status)],
        ["invocation", r.invocationId ? invocationButton(r.invocationId, "detail-inv", this.inspect) : "—"],
        ["replayed (idempotency-expires)", r.replayHeader ? "yes" : "no"],
        ...(r.error ? ([["error", r.error]] as [string, Child][]) : []),
      ]),
      el("div", { class: "detail-columns" }, [
        el("div", {}, [el("h4", { text: "Body sent" }), el("pre", { class: "code", text: r.body === null ? "(none)" : canonicalJson(r.body, 2) })]),
        el("div", {}, [
          el("h4", { text: "Response" }),
          el("pre", { class: "code", text: r.response === null ? "(none)" : typeof r.response === "string" ? r.response : canonicalJson(r.response, 2) }),
        ]),
      ]),
    ]);
  }
}

export function answerChip(kind: AnswerKind): HTMLElement {
  return el("span", { class: `answer-chip answer-${kind}` }, [
    el("span", { class: `swatch answer-${kind}`, attrs: { "aria-hidden": "true" } }),
    answerLabel(kind),
  ]);
}

function fixed1(n: number): string {
  return Number.isFinite(n) ? (Math.round(n * 10) / 10).toFixed(1) : "—";
}
