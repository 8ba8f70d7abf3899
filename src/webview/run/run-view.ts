// The current run: verdict, summary, what happened (with a custom run's faults) and the invariants
// here; the prediction, scope table, retention countdown, timeline, requests, responses, ledger and
// invocations in their own files. One RunView per shown run; panel-view.ts swaps it when another
// run comes in.
import "../ui/run-report.css";
import "./run-view.css";
import type { InvariantResult, RunRecord } from "../../shared/protocol.js";
import { button, el, section } from "../ui/dom.js";
import { faultStories } from "./faults-model.js";
import { formatWhen } from "../ui/format.js";
import { invariantGroups } from "./invariants-model.js";
import { renderInvocations } from "./invocations.js";
import { renderLedger } from "./ledger.js";
import { renderPredictionResult } from "./prediction-result.js";
import { RequestsSection } from "./requests.js";
import { renderResponses } from "./responses.js";
import { RetentionSection } from "./retention.js";
import { summaryCards, verdictView } from "./run-model.js";
import type { JournalView, Result } from "./run-model.js";
import { renderScopes } from "./scopes.js";
import { TimelineSection } from "./timeline.js";

/** "The code" block (src/webview/code), placed in the run view by app/: run/ only knows its shape. */
export interface CodeSlot {
  element: HTMLElement;
  /** Whether the handler's charge is inside ctx.run; null when no block shows a charge. */
  chargeInRun: boolean | null;
  /** Scrolls to the charge line and highlights it; false when there is none. */
  showChargeLine(): boolean;
}

export interface RunViewCallbacks {
  inspect(invocationId: string): void;
  closeInspector(): void;
  exportRun(format: "markdown" | "json"): void;
  openConcepts(section: string): void;
  /** The lab's ingress address while it runs (for Copy as cURL); null otherwise. */
  ingress?(): string | null;
}

const VERDICT_ICONS = { safe: "✓", unsafe: "✗", unexpected: "⚠", skipped: "–" } as const;

export class RunView {
  readonly element: HTMLElement;
  private readonly result: Result;
  private readonly timeline: TimelineSection;
  private readonly retention: RetentionSection | null;
  private readonly requests: RequestsSection;
  private inspecting: string | null = null;

  constructor(
    readonly record: RunRecord,
    private readonly cb: RunViewCallbacks,
    code: CodeSlot | null = null,
  ) {
    this.result = record.result;
    const details = [...this.result.requestsDetail].sort((a, b) => a.index - b.index);
    const inspect = (id: string) => this.cb.inspect(id);
    this.retention = RetentionSection.of(this.result);
    this.element = el("div", { class: "run-view", testid: "run-view", attrs: { "data-run-id": record.runId } }, [
      this.header(),
      renderPredictionResult(record, (section) => this.cb.openConcepts(section)),
      this.summary(),
      this.explanation(),
      code?.element,
      renderScopes(this.result, inspect),
      this.retention?.element,
      this.invariants(),
      (this.timeline = new TimelineSection(this.result, details.length, inspect)).element,
      (this.requests = new RequestsSection(
        this.result,
        details,
        (id) => this.cb.inspect(id),
        () => this.cb.closeInspector(),
        () => this.cb.ingress?.() ?? null,
        code?.chargeInRun !== null && code?.chargeInRun !== undefined ? () => void code.showChargeLine() : undefined,
      )).element,
      renderResponses(details),
      renderLedger(this.result, {
        chargeInRun: code?.chargeInRun ?? null,
        ...(code?.chargeInRun !== null && code?.chargeInRun !== undefined ? { showChargeLine: () => void code.showChargeLine() } : {}),
      }),
      renderInvocations(this.result, (id) => this.cb.inspect(id)),
    ]);
  }

  dispose(): void {
    this.timeline.dispose();
    this.retention?.dispose();
  }

  /** Puts the focus on the run's title, without scrolling. */
  focusTitle(): void {
    this.element.querySelector<HTMLElement>('[data-testid="run-title"]')?.focus({ preventScroll: true });
  }

  /** Shows the invocation inspector (entries null: waiting for the journal); a new one is brought into view. */
  showJournal(journal: JournalView | null): void {
    this.requests.showJournal(journal);
    if (journal && journal.requestId !== this.inspecting) {
      const panel = this.element.querySelector<HTMLElement>('[data-testid="inspector"]');
      panel?.scrollIntoView({ block: "nearest" });
      panel?.focus({ preventScroll: true });
    }
    this.inspecting = journal?.requestId ?? null;
  }

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
        el("h1", { class: "run-title", text: r.title, testid: "run-title", attrs: { tabindex: -1 } }),
        r.kind === "anti-pattern" ? el("span", { class: "tag tag-anti", text: "anti-pattern" }) : null,
        el("div", { class: "run-actions" }, [
          valid
            ? button("Learn more", () => this.cb.openConcepts(this.record.conceptsSection), {
                class: "secondary",
                testid: "learn-more",
                attrs: { title: "Open the concepts doc at this scenario's section" },
              })
            : null,
          button("Export Markdown", () => this.cb.exportRun("markdown"), { class: "secondary", testid: "export-markdown" }),
          button("Export JSON", () => this.cb.exportRun("json"), { class: "secondary", testid: "export-json" }),
        ]),
      ]),
      el("p", { class: "run-lesson", text: r.lesson }),
      el("div", { class: `verdict-row tone-${v.tone}` }, [
        el("span", { class: `verdict-badge verdict-${v.tone}` }, [
          el("span", { class: "verdict-icon", text: v.word === "stopped" ? "■" : VERDICT_ICONS[v.word], attrs: { "aria-hidden": "true" } }),
          el("span", { class: "verdict-word", text: v.word, testid: "verdict" }),
        ]),
        el("span", {
          class: `verdict-expected ${v.word === "stopped" ? "stopped" : v.asExpected ? "as-expected" : "not-expected"}`,
          text: v.comparison,
          testid: "verdict-expected",
        }),
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
          el("div", { class: "card-hint", text: c.hint, testid: `${c.testid}-hint` }),
        ]),
      ),
    );
  }

  private explanation(): HTMLElement {
    const r = this.result;
    const faults = faultStories(this.record);
    return section("What happened", { testid: "explanation-section" }, [
      el("p", { class: "explanation", text: r.explanation, testid: "explanation" }),
      faults.length > 0
        ? el("div", { class: "faults", testid: "faults" }, [
            el("h3", { class: "faults-title", text: "Faults injected, and what each did" }),
            el(
              "ul",
              { class: "fault-list" },
              faults.map((f) =>
                el("li", { testid: "fault", attrs: { "data-fault": f.id } }, [el("strong", { text: f.fault }), " ", el("span", { text: f.did })]),
              ),
            ),
          ])
        : null,
      r.notes.length > 0
        ? el(
            "ul",
            { class: "notes", testid: "notes" },
            r.notes.map((n) => el("li", { text: n })),
          )
        : null,
    ]);
  }

  private invariants(): HTMLElement {
    const list = this.result.invariants;
    const failed = list.filter((i) => !i.ok).length;
    return section(
      `Invariants`,
      {
        testid: "invariants-section",
        actions: [el("span", { class: "section-note", text: failed === 0 ? `all ${list.length} held` : `${failed} of ${list.length} failed` })],
      },
      [
        list.length === 0
          ? el("p", { class: "muted", text: "No invariants were checked." })
          : el(
              "div",
              { class: "invariant-groups", testid: "invariants" },
              invariantGroups(list).map((g) =>
                el("div", { class: "invariant-group", testid: `invariants-${g.id}` }, [
                  g.title ? el("h3", { class: "invariant-group-title", text: g.title }) : null,
                  el(
                    "ul",
                    { class: "invariants", attrs: g.title ? { "aria-label": g.title } : { "aria-label": "What idempotency protects" } },
                    g.items.map((i) => invariantItem(i)),
                  ),
                ]),
              ),
            ),
      ],
    );
  }
}

function invariantItem(i: InvariantResult): HTMLElement {
  return el("li", { class: `invariant ${i.ok ? "ok" : "fail"}`, testid: "invariant", attrs: { "data-ok": String(i.ok), "data-role": i.role } }, [
    el("span", { class: `pill ${i.ok ? "pill-ok" : "pill-fail"}`, text: i.ok ? "ok" : "FAIL" }),
    el("span", { class: "invariant-name", text: i.name }),
    el("span", {
      class: `tag tag-${i.role}`,
      text: i.role,
      attrs: { title: i.role === "safety" ? "What idempotency protects" : "The run did what the scenario planned" },
    }),
    el("span", { class: "invariant-values" }, [
      "expected ",
      el("code", { text: String(i.expected) }),
      " · observed ",
      el("code", { text: String(i.observed) }),
    ]),
  ]);
}
