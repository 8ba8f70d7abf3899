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
import { curlCommand, whatRestateDid } from "./requests-why-model.js";
import type { RestateDid } from "./requests-why-model.js";
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
  private readonly did: Map<number, RestateDid>;
  /** Whether this run kept the answers' x-restate-id headers (runs recorded before it did not). */
  private readonly headers: boolean;

  constructor(
    private readonly result: Result,
    /** The result's requests, sorted by index. */
    private readonly details: readonly RequestOutcome[],
    private readonly inspect: (invocationId: string) => void,
    private readonly closeInspector: () => void,
    /** The lab's ingress address while it runs, for Copy as cURL; null when the lab is not running. */
    private readonly ingress: () => string | null = () => null,
    /** Scrolls "The code" to the handler's charge line; absent when no code block shows one. */
    private readonly showChargeLine?: () => void,
  ) {
    this.did = whatRestateDid(this.details);
    this.headers = this.details.some((d) => d.restateId !== undefined);
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
        { label: "answer", render: (r) => answerChip(r.answer) },
        { label: "what Restate did", render: (r) => this.didCell(r) },
        {
          label: "idempotency key",
          class: "mono",
          render: (r) =>
            r.idempotencyKey === null
              ? el("span", { class: "muted", text: "(none)", testid: "request-key" })
              : el("span", { text: r.idempotencyKey, testid: "request-key", attrs: { title: r.idempotencyKey } }),
        },
        { label: "x-restate-id", render: (r) => this.restateIdCell(r) },
        { label: "expires", render: (r) => expiresCell(r) },
        { label: "status", class: "num", render: (r) => (r.status === null ? "—" : String(r.status)) },
        { label: "sent (ms)", class: "num", render: (r) => fixed1(r.sentAtMs) },
        { label: "latency (ms)", class: "num", render: (r) => fixed1(r.latencyMs) },
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
        { label: "cURL", render: (r) => this.curlButton(r, "Copy", `req-${r.index}-curl`) },
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

  private didCell(r: RequestOutcome): HTMLElement {
    const did = this.did.get(r.index);
    return el("span", {
      class: did?.kind === "ran" ? "did-ran" : "",
      text: did?.text ?? "—",
      testid: "request-did",
      attrs: { title: did?.text ?? "", "data-index": r.index, "data-kind": did?.kind ?? "other" },
    });
  }

  /** The answer's x-restate-id; in a run that kept the headers, an id taken from the answer's body says so. */
  private restateIdCell(r: RequestOutcome): Child {
    const id = r.restateId ?? r.invocationId;
    if (id === null) return el("span", { class: "muted", text: "—" });
    const link = invocationButton(id, `req-${r.index}-inv`, this.inspect);
    if (!this.headers || r.restateId !== undefined) return link;
    return el("span", { class: "restate-id-cell" }, [
      link,
      el("span", { class: "muted", text: "(body)", attrs: { title: "The answer had no x-restate-id header: this id is the one its body named" } }),
    ]);
  }

  /**
   * A button that puts a curl command line for the request on VS Code's clipboard: the click
   * writes the command into data-copy just before the panel's copy handler (panel-view.ts) reads it.
   */
  private curlButton(r: RequestOutcome, text: string, focusKey: string): HTMLButtonElement {
    const b = button(
      text,
      () => {
        b.dataset.copy = curlCommand(r, this.ingress() ?? DEFAULT_INGRESS);
        flash(b, "Copied");
      },
      {
        class: "secondary small curl-button",
        testid: "copy-curl",
        attrs: {
          "aria-label": `Copy request #${r.index} as cURL`,
          title: `Copy as cURL: the same method, path, idempotency key and body, sent to ${this.ingress() ?? `${DEFAULT_INGRESS} (the lab's default ingress; the lab is not running)`}`,
          "data-focus-key": focusKey,
        },
      },
    );
    return b;
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
      el("div", { class: "detail-head" }, [
        el("h3", { text: `Request #${r.index}` }),
        answerChip(r.answer),
        this.curlButton(r, "Copy as cURL", "detail-curl"),
        close,
      ]),
      definitionList([
        ["request", `${r.method} ${r.path}`],
        ["idempotency key", r.idempotencyKey ?? "(none)"],
        ["what Restate did", this.did.get(r.index)?.text ?? "—"],
        ["sent", `${formatMs(r.sentAtMs)} after the start`],
        ["latency", formatMs(r.latencyMs)],
        ["status", statusLabel(r.status)],
        ["invocation", r.invocationId ? invocationButton(r.invocationId, "detail-inv", this.inspect) : "—"],
        ["x-restate-id", r.restateId ?? (this.headers ? "(no header)" : "(not recorded in this run)")],
        ["replayed (idempotency-expires)", r.expires ? `yes: expires ${r.expires}` : r.replayHeader ? "yes" : "no"],
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

/** The lab's default ingress (DEFAULT_PORTS in src/lab/stack.ts), for a cURL line copied while the lab is not running. */
const DEFAULT_INGRESS = "http://127.0.0.1:8080";

function expiresCell(r: RequestOutcome): HTMLElement {
  return r.expires === undefined
    ? el("span", { class: "muted", text: "—", testid: "request-expires" })
    : el("span", { text: shortWhen(r.expires), testid: "request-expires", attrs: { title: `idempotency-expires: ${r.expires}` } });
}

/** "Dec 7, 19:43": the day matters, an expiry is usually a day after the answer. */
function shortWhen(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function flash(b: HTMLButtonElement, text: string): void {
  const before = b.textContent;
  b.textContent = text;
  setTimeout(() => (b.textContent = before), 1500);
}

function fixed1(n: number): string {
  return Number.isFinite(n) ? (Math.round(n * 10) / 10).toFixed(1) : "—";
}
