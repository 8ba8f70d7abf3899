// The current run: verdict, summary, invariants, timeline, requests, responses, ledger and
// invocations. One RunView per shown run; main.ts swaps it when another run comes in.
import { ANSWER_KINDS } from "../shared/protocol.js";
import type { JournalEntry, RunRecord } from "../shared/protocol.js";
import type { AnswerKind, InvocationRow, LedgerEntry, RequestOutcome } from "../shared/protocol.js";
import { button, el, replaceChildren, section, uid } from "./dom.js";
import type { Child } from "./dom.js";
import { renderLegend, renderTimelineSvg } from "./timeline.js";
import { answerLabel, formatClock, formatCount, formatMs, formatWhen, oneLine, statusLabel, truncate } from "./format.js";
import { canonicalJson, diffLines, groupResponses } from "./response-diff.js";
import { answerCounts, filterRequests, invocationFor, ledgerForPayments, summaryCards, verdictView } from "./run-model.js";
import { buildTimeline } from "./timeline-model.js";
import type { TimelineModel } from "./timeline-model.js";
import { VirtualTable } from "./virtual-table.js";

export interface RunViewCallbacks {
  inspect(invocationId: string): void;
  exportRun(format: "markdown" | "json"): void;
  openConcepts(section: string): void;
}

export interface JournalView {
  invocationId: string;
  /** null while the extension has not answered. */
  entries: JournalEntry[] | null;
  /** Why the journal could not be read. */
  error?: string;
}

const VERDICT_ICONS = { safe: "✓", unsafe: "✗", unexpected: "⚠", skipped: "–" } as const;

export class RunView {
  readonly element: HTMLElement;
  private readonly result: RunRecord["result"];
  private readonly details: RequestOutcome[];
  private readonly timeline: TimelineModel;
  private readonly timelineHost: HTMLElement;
  private readonly resizeObserver: ResizeObserver;
  private timelineWidth = 0;
  private table: VirtualTable<RequestOutcome> | null = null;
  private filter: AnswerKind | "all" = "all";
  private selected: number | null = null;
  private readonly detailHost = el("div", { class: "detail-host" });
  private readonly inspectorHost = el("div", { class: "detail-host" });
  private journal: JournalView | null = null;

  constructor(
    readonly record: RunRecord,
    private readonly cb: RunViewCallbacks,
  ) {
    this.result = record.result;
    this.details = [...this.result.requestsDetail].sort((a, b) => a.index - b.index);
    this.timeline = buildTimeline(this.result);
    this.timelineHost = el("div", { class: "timeline-host" });
    this.resizeObserver = new ResizeObserver(() => this.drawTimeline());
    this.element = el("div", { class: "run-view", testid: "run-view" }, [
      this.header(),
      this.summary(),
      this.explanation(),
      this.invariants(),
      this.timelineSection(),
      this.requestsSection(),
      this.responsesSection(),
      this.ledgerSection(),
      this.invocationsSection(),
    ]);
    this.resizeObserver.observe(this.timelineHost);
  }

  dispose(): void {
    this.resizeObserver.disconnect();
  }

  /** Shows the invocation inspector (entries null: waiting for the journal). */
  showJournal(journal: JournalView | null): void {
    this.journal = journal;
    replaceChildren(this.inspectorHost, [journal ? this.inspector(journal) : null]);
  }

  // -------------------------------------------------------------------------------------------

  private header(): HTMLElement {
    const r = this.result;
    const v = verdictView(r);
    const valid = /^[a-z0-9-]{1,60}$/.test(this.record.conceptsSection);
    const req = this.record.request;
    const settings = [req.count !== undefined ? `count ${req.count}` : null, req.concurrency !== undefined ? `concurrency ${req.concurrency}` : null]
      .filter((s) => s !== null)
      .join(", ");
    return el("header", { class: "run-header" }, [
      el("div", { class: "run-title-row" }, [
        el("h1", { class: "run-title", text: r.title, testid: "run-title" }),
        r.kind === "anti-pattern" ? el("span", { class: "tag tag-anti", text: "anti-pattern" }) : null,
        el("div", { class: "run-actions" }, [
          valid ? button("Learn more", () => this.cb.openConcepts(this.record.conceptsSection), { class: "secondary", testid: "learn-more", attrs: { title: "Open the concepts doc at this scenario's section" } }) : null,
          button("Export Markdown", () => this.cb.exportRun("markdown"), { class: "secondary", testid: "export-markdown" }),
          button("Export JSON", () => this.cb.exportRun("json"), { class: "secondary", testid: "export-json" }),
        ]),
      ]),
      el("p", { class: "run-lesson", text: r.lesson }),
      el("div", { class: `verdict-row tone-${v.tone}` }, [
        el("span", { class: `verdict-badge verdict-${v.tone}` }, [
          el("span", { class: "verdict-icon", text: VERDICT_ICONS[v.word], attrs: { "aria-hidden": "true" } }),
          el("span", { class: "verdict-word", text: v.word, testid: "verdict" }),
        ]),
        el("span", { class: `verdict-expected ${v.asExpected ? "as-expected" : "not-expected"}`, text: v.comparison, testid: "verdict-expected" }),
      ]),
      el("p", { class: "run-meta" }, [
        `Run ${this.record.runId} · finished ${formatWhen(this.record.finishedAt)}`,
        settings ? ` · ${settings}` : "",
        r.paymentIds.length > 0 ? ` · payment ${r.paymentIds.join(", ")}` : "",
      ]),
    ]);
  }

  private summary(): HTMLElement {
    return el(
      "div",
      { class: "cards", testid: "summary", attrs: { role: "list", "aria-label": "Summary" } },
      summaryCards(this.result).map((c) =>
        el("div", { class: `card tone-${c.tone}`, attrs: { role: "listitem" } }, [
          el("div", { class: "card-value", text: c.value, testid: c.testid, attrs: { "data-value": c.raw } }),
          el("div", { class: "card-label", text: c.label }),
          el("div", { class: "card-hint", text: c.hint }),
        ]),
      ),
    );
  }

  private explanation(): HTMLElement {
    const r = this.result;
    return section("What happened", { testid: "explanation-section" }, [
      el("p", { class: "explanation", text: r.explanation, testid: "explanation" }),
      r.notes.length > 0 ? el("ul", { class: "notes", testid: "notes" }, r.notes.map((n) => el("li", { text: n }))) : null,
    ]);
  }

  private invariants(): HTMLElement {
    const list = this.result.invariants;
    const failed = list.filter((i) => !i.ok).length;
    return section(`Invariants`, { testid: "invariants-section", actions: [el("span", { class: "section-note", text: failed === 0 ? `all ${list.length} held` : `${failed} of ${list.length} failed` })] }, [
      list.length === 0
        ? el("p", { class: "muted", text: "No invariants were checked." })
        : el(
            "ul",
            { class: "invariants", testid: "invariants" },
            list.map((i) =>
              el("li", { class: `invariant ${i.ok ? "ok" : "fail"}` }, [
                el("span", { class: `pill ${i.ok ? "pill-ok" : "pill-fail"}`, text: i.ok ? "ok" : "FAIL" }),
                el("span", { class: "invariant-name", text: i.name }),
                el("span", { class: `tag tag-${i.role}`, text: i.role, attrs: { title: i.role === "safety" ? "What idempotency protects" : "The run did what the scenario planned" } }),
                el("span", { class: "invariant-values" }, [
                  "expected ",
                  el("code", { text: String(i.expected) }),
                  " · observed ",
                  el("code", { text: String(i.observed) }),
                ]),
              ]),
            ),
          ),
    ]);
  }

  private timelineSection(): HTMLElement {
    const t = this.timeline;
    const note = t.aggregated
      ? `${formatCount(this.details.length)} requests in ${t.rows.length} rows of ${t.bucketSize}: each bar runs from the first send to the last answer, coloured by its most common answer (hover for the counts).`
      : "Each bar is one request, from its send to its answer. Markers are the gateway ledger's entries for the payment.";
    return section("Timeline", { testid: "timeline-section" }, [
      el("p", { class: "muted small", text: note }),
      this.details.length === 0 && t.markers.length === 0
        ? el("p", { class: "muted", text: "No requests were sent in this run.", testid: "timeline" })
        : el("div", { class: "timeline", testid: "timeline" }, [this.timelineHost, renderLegend(t)]),
    ]);
  }

  private drawTimeline(): void {
    const width = Math.floor(this.timelineHost.clientWidth);
    if (width <= 0 || Math.abs(width - this.timelineWidth) < 4) return;
    this.timelineWidth = width;
    this.timelineHost.replaceChildren(renderTimelineSvg(this.timeline, width));
  }

  private requestsSection(): HTMLElement {
    const counts = answerCounts(this.details);
    const filterId = uid("filter");
    const select = el(
      "select",
      { attrs: { id: filterId }, testid: "request-filter" },
      [
        el("option", { text: `all (${formatCount(this.details.length)})`, attrs: { value: "all" } }),
        ...ANSWER_KINDS.filter((k) => counts[k] > 0).map((k) => el("option", { text: `${answerLabel(k)} (${formatCount(counts[k])})`, attrs: { value: k } })),
      ],
    );
    select.addEventListener("change", () => {
      this.filter = select.value as AnswerKind | "all";
      this.table?.setRows(filterRequests(this.details, this.filter));
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
            r.invocationId === null
              ? el("span", { class: "muted", text: "—" })
              : this.invocationButton(r.invocationId, `req-${r.index}-inv`),
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
    return section("Requests", { testid: "requests-section", actions: [el("label", { class: "inline-label", text: "Show", attrs: { for: filterId } }), select] }, [
      this.table.element,
      this.detailHost,
      this.inspectorHost,
    ]);
  }

  private invocationButton(id: string, focusKey: string): HTMLButtonElement {
    return button(id, () => this.cb.inspect(id), {
      class: "link-button mono",
      attrs: { title: `Inspect invocation ${id}: its sys_invocation row and journal`, "data-focus-key": focusKey },
    });
  }

  private selectRequest(index: number): void {
    this.selected = index;
    this.table?.refresh();
    const r = this.details.find((d) => d.index === index);
    replaceChildren(this.detailHost, [r ? this.requestDetail(r) : null]);
    this.detailHost.querySelector<HTMLElement>(".detail-panel")?.focus();
  }

  private requestDetail(r: RequestOutcome): HTMLElement {
    const close = button("Close", () => {
      this.selected = null;
      this.table?.refresh();
      replaceChildren(this.detailHost, []);
    }, { class: "secondary small" });
    return el("div", { class: "detail-panel", testid: "request-detail", attrs: { tabindex: -1, role: "region", "aria-label": `Request ${r.index}` } }, [
      el("div", { class: "detail-head" }, [el("h3", { text: `Request #${r.index}` }), answerChip(r.answer), close]),
      definitionList([
        ["request", `${r.method} ${r.path}`],
        ["idempotency key", r.idempotencyKey ?? "(none)"],
        ["sent", `${formatMs(r.sentAtMs)} after the start`],
        ["latency", formatMs(r.latencyMs)],
        ["status", statusLabel(r.status)],
        ["invocation", r.invocationId ? this.invocationButton(r.invocationId, "detail-inv") : "—"],
        ["replayed (idempotency-expires)", r.replayHeader ? "yes" : "no"],
        ...(r.error ? ([["error", r.error]] as [string, Child][]) : []),
      ]),
      el("div", { class: "detail-columns" }, [
        el("div", {}, [el("h4", { text: "Body sent" }), el("pre", { class: "code", text: r.body === null ? "(none)" : canonicalJson(r.body, 2) })]),
        el("div", {}, [el("h4", { text: "Response" }), el("pre", { class: "code", text: r.response === null ? "(none)" : typeof r.response === "string" ? r.response : canonicalJson(r.response, 2) })]),
      ]),
    ]);
  }

  private inspector(j: JournalView): HTMLElement {
    const row = invocationFor(this.result, j.invocationId);
    const close = button("Close", () => this.showJournal(null), { class: "secondary small" });
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

  private responsesSection(): HTMLElement {
    const groups = groupResponses(this.details);
    const children: Child[] = [];
    if (groups.length === 0) children.push(el("p", { class: "muted", text: "No responses." }));
    children.push(
      el(
        "ol",
        { class: "response-groups" },
        groups.slice(0, 20).map((g, i) =>
          el("li", { class: "response-group" }, [
            el("div", { class: "response-group-head" }, [
              el("span", { class: "response-letter", text: String.fromCharCode(65 + i), attrs: { "aria-hidden": "true" } }),
              el("strong", { text: `${formatCount(g.count)} × ${statusLabel(g.status)}` }),
              el("span", { class: "muted", text: ` · first #${g.firstIndex} · ${ANSWER_KINDS.filter((k) => (g.answers[k] ?? 0) > 0).map((k) => `${formatCount(g.answers[k] ?? 0)} ${answerLabel(k)}`).join(", ")}` }),
            ]),
            el("pre", { class: "code response-json", text: g.status === null && g.error ? `${g.error}` : g.pretty }),
          ]),
        ),
      ),
    );
    if (groups.length > 20) children.push(el("p", { class: "muted", text: `…and ${groups.length - 20} more distinct responses.` }));
    const [a, b] = groups;
    if (a && b) {
      const diff = diffLines(a.pretty, b.pretty);
      children.push(
        el("h3", { class: "subhead", text: `Diff of the two most common: A (${formatCount(a.count)}) → B (${formatCount(b.count)})` }),
        el(
          "pre",
          { class: "code diff", testid: "response-diff", attrs: { "aria-label": "Line diff of responses A and B; lines starting with minus are only in A, plus only in B" } },
          diff.map((d) => el("span", { class: `diff-line diff-${d.op}`, text: `${d.op === "same" ? " " : d.op === "removed" ? "-" : "+"} ${d.text}` })),
        ),
      );
    }
    const heading = groups.length === 1 ? "Responses: all the same" : `Responses: ${groups.length} distinct`;
    return section(heading, { testid: "responses" }, children);
  }

  private ledgerSection(): HTMLElement {
    const entries = ledgerForPayments(this.result);
    const start = Date.parse(this.result.startedAt);
    const table = new VirtualTable<LedgerEntry>({
      label: "Gateway ledger",
      testid: "ledger-table",
      layout: "cols-ledger",
      rows: entries,
      visibleRows: 8,
      emptyText: "No ledger entries for this payment: nothing was charged.",
      columns: [
        { label: "id", class: "mono", render: (e) => e.id },
        { label: "type", render: (e) => el("span", { class: `tag tag-${e.type}`, text: e.type }) },
        { label: "amount", class: "num", render: (e) => String(e.amount) },
        { label: "currency", render: (e) => e.currency },
        { label: "idempotency key", class: "mono", render: (e) => el("span", { text: e.idempotencyKey ?? "(none)", attrs: { title: e.idempotencyKey ?? "no key" } }) },
        {
          label: "at",
          render: (e) => {
            const delta = Date.parse(e.at) - start;
            return el("span", { text: `${formatClock(e.at)}${Number.isFinite(delta) ? ` (+${formatMs(delta)})` : ""}`, attrs: { title: e.at } });
          },
        },
      ],
    });
    const charges = entries.filter((e) => e.type === "charge").length;
    return section("Gateway ledger", { testid: "ledger-section", actions: [el("span", { class: "section-note", text: `${charges} charge${charges === 1 ? "" : "s"} for ${this.result.paymentIds.join(", ") || "this run"}` })] }, [table.element]);
  }

  private invocationsSection(): HTMLElement {
    const table = new VirtualTable<InvocationRow>({
      label: "Invocations (sys_invocation)",
      testid: "invocations-table",
      layout: "cols-invocations",
      rows: this.result.invocations,
      visibleRows: 8,
      emptyText: "No invocations found in Restate for this payment.",
      columns: [
        { label: "invocation id", render: (i) => this.invocationButton(i.id, `inv-${i.id}`) },
        { label: "status", render: (i) => i.status },
        { label: "idempotency key", class: "mono", render: (i) => el("span", { text: i.idempotency_key === null ? "(none)" : `${i.idempotency_key}${i.userKey ? "" : " (Restate's)"}`, attrs: { title: i.idempotency_key ?? "" } }) },
        { label: "retries", class: "num", render: (i) => (i.retry_count === null ? "—" : String(i.retry_count)) },
        { label: "created at", render: (i) => el("span", { text: formatClock(i.created_at), attrs: { title: i.created_at } }) },
      ],
    });
    return section("Invocations", { testid: "invocations-section", actions: [el("span", { class: "section-note", text: "from Restate's sys_invocation" })] }, [table.element]);
  }
}

export function answerChip(kind: AnswerKind): HTMLElement {
  return el("span", { class: `answer-chip answer-${kind}` }, [el("span", { class: `swatch answer-${kind}`, attrs: { "aria-hidden": "true" } }), answerLabel(kind)]);
}

function definitionList(items: [string, Child][]): HTMLElement {
  return el(
    "dl",
    { class: "facts" },
    items.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, [v])]),
  );
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

function fixed1(n: number): string {
  return Number.isFinite(n) ? (Math.round(n * 10) / 10).toFixed(1) : "—";
}

