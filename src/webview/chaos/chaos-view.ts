// A chaos run's result: the verdict against the expected one, the run's figures, the checker's
// verdict per invariant, the first violation's minimal history, the timeline with the fault lane,
// and the payments, each opening to its history. One ChaosView per shown chaos run.
import "../ui/run-report.css";
import "./chaos-view.css";
import type { ChaosRunRecord } from "../../shared/protocol.js";
import { renderChains } from "./chaos-chain.js";
import { renderHistory } from "./chaos-history.js";
import { chaosVerdictText, isAntiPattern, targetLabel } from "./chaos-model.js";
import { ChaosPayments } from "./chaos-payments.js";
import { ChaosShrink } from "./chaos-shrink.js";
import type { ShrinkDisplay } from "./chaos-shrink-model.js";
import { ChaosTimeline } from "./chaos-timeline.js";
import { button, el, section } from "../ui/dom.js";
import { counted, formatCount, formatMs, formatWhen } from "../ui/format.js";

export interface ChaosViewCallbacks {
  exportRun(format: "markdown" | "json"): void;
  openPayment(paymentId: string | null): void;
  shrink(): void;
  stop(): void;
}

const VERDICT_ICONS = { safe: "✓", unsafe: "✗" } as const;

export class ChaosView {
  readonly element: HTMLElement;
  private readonly timeline: ChaosTimeline;
  private readonly payments: ChaosPayments;
  private readonly shrink: ChaosShrink;

  constructor(
    readonly record: ChaosRunRecord,
    private readonly cb: ChaosViewCallbacks,
  ) {
    this.timeline = new ChaosTimeline(record);
    this.payments = new ChaosPayments(record, (id) => this.cb.openPayment(id));
    this.shrink = new ChaosShrink(record, { shrink: () => this.cb.shrink(), stop: () => this.cb.stop() });
    this.element = el("div", { class: "run-view chaos-view", testid: "chaos-view", attrs: { "data-run-id": record.runId } }, [
      this.header(),
      this.summary(),
      this.checker(),
      this.violation(),
      renderChains(record, (id) => this.cb.openPayment(id)),
      this.shrink.element,
      this.timeline.element,
      this.payments.element,
    ]);
  }

  dispose(): void {
    this.timeline.dispose();
  }

  focusTitle(): void {
    this.element.querySelector<HTMLElement>('[data-testid="run-title"]')?.focus({ preventScroll: true });
  }

  showShrink(d: ShrinkDisplay | null): void {
    this.shrink.show(d);
  }

  showPayment(paymentId: string | null): void {
    this.payments.showPayment(paymentId);
  }

  private header(): HTMLElement {
    const r = this.record.chaos;
    const v = chaosVerdictText(r);
    const tone = v.asExpected ? r.verdict : "unexpected";
    const seedNote = this.record.request.seed === null ? " (new, random)" : "";
    return el("header", { class: "run-header" }, [
      el("div", { class: "run-title-row" }, [
        el("h1", { class: "run-title", text: `Chaos run: ${targetLabel(r.target)}`, testid: "run-title", attrs: { tabindex: -1 } }),
        isAntiPattern(r.target) ? el("span", { class: "tag tag-anti", text: "anti-pattern" }) : el("span", { class: "tag", text: "final exam" }),
        el("div", { class: "run-actions" }, [
          button("Export Markdown", () => this.cb.exportRun("markdown"), { class: "secondary", testid: "export-markdown" }),
          button("Export JSON", () => this.cb.exportRun("json"), { class: "secondary", testid: "export-json" }),
        ]),
      ]),
      el("div", { class: `verdict-row tone-${tone}` }, [
        el("span", { class: `verdict-badge verdict-${tone}` }, [
          el("span", { class: "verdict-icon", text: VERDICT_ICONS[r.verdict], attrs: { "aria-hidden": "true" } }),
          el("span", { class: "verdict-word", text: r.verdict, testid: "verdict" }),
        ]),
        el("span", {
          class: `verdict-expected ${v.asExpected ? "as-expected" : "not-expected"}`,
          text: v.text,
          testid: "verdict-expected",
          attrs: { "data-expected": r.expectedVerdict },
        }),
      ]),
      el("p", { class: "run-meta" }, [
        "Seed ",
        el("strong", { class: "chaos-seed", text: String(r.seed), testid: "chaos-seed-shown" }),
        `${seedNote}: the same seed replays this schedule · ${counted(r.options.payments, "payment")} × ${r.options.duplicates} requests · ${r.options.durationS} s · run ${this.record.runId}, finished ${formatWhen(this.record.finishedAt)}`,
      ]),
    ]);
  }

  private summary(): HTMLElement {
    const r = this.record.chaos;
    const applied = r.schedule.filter((f) => f.applied?.ok).length;
    const chargesBroken = r.invariants.some((i) => i.name === "charged exactly once" && !i.holds);
    const cards: Array<[string, string, string, string]> = [
      ["chaos-requests", formatCount(r.requests.length), "requests", "sent by the careful clients"],
      ["chaos-retried", formatCount(r.requests.filter((q) => q.tries > 1).length), "sent again", "after a lost answer, same key"],
      ["chaos-unanswered", formatCount(r.requests.filter((q) => q.status === null).length), "no answer", "each with the reason it failed"],
      ["chaos-faults-applied", `${formatCount(applied)} / ${formatCount(r.schedule.length)}`, "faults applied", "of the seeded schedule"],
      ["chaos-charges", formatCount(r.payments.reduce((n, p) => n + p.charges, 0)), "charges", `in the ledger, for ${counted(r.payments.length, "payment")}`],
      ["chaos-duration", formatMs(r.durationMs), "duration", r.stopped ? "stopped before the end" : "whole run"],
    ];
    return el(
      "div",
      { class: "cards", testid: "summary", attrs: { role: "list", "aria-label": "Summary" } },
      cards.map(([testid, value, label, hint]) =>
        el(
          "div",
          { class: `card ${testid === "chaos-charges" && chargesBroken ? "tone-bad chaos-card-broken" : "tone-neutral"}`, attrs: { role: "listitem" } },
          [
            el("div", { class: "card-value", text: value, testid }),
            el("div", { class: "card-label", text: label }),
            el("div", { class: "card-hint", text: hint }),
          ],
        ),
      ),
    );
  }

  private checker(): HTMLElement {
    const list = this.record.chaos.invariants;
    const failed = list.filter((i) => !i.holds).length;
    return section(
      "Checker",
      {
        testid: "invariants-section",
        actions: [
          el("span", {
            class: "section-note",
            text: failed === 0 ? `all ${list.length} held, judged from the ledger and the answers` : `${failed} of ${list.length} failed`,
          }),
        ],
      },
      [
        el(
          "ul",
          { class: "invariants", testid: "invariants" },
          list.map((i) =>
            el(
              "li",
              {
                class: `invariant chaos-invariant ${i.holds ? "ok" : "fail"}`,
                testid: "chaos-invariant",
                attrs: { "data-name": i.name, "data-holds": String(i.holds), "data-violations": i.violations },
              },
              [
                el("span", { class: `pill ${i.holds ? "pill-ok" : "pill-fail"}`, text: i.holds ? "ok" : "FAIL" }),
                el("span", { class: "invariant-name", text: i.name }),
                el("span", { class: `chaos-count${i.violations > 0 ? " bad" : ""}`, text: counted(i.violations, "violation") }),
                el("span", { class: "invariant-values", text: i.promise }),
              ],
            ),
          ),
        ),
      ],
    );
  }

  /** The first violation with its minimal history; the others named, each opening its payment. */
  private violation(): HTMLElement | null {
    const r = this.record.chaos;
    const [first, ...rest] = r.violations;
    if (!first) return null;
    return section(
      `Violation: ${first.invariant}`,
      {
        testid: "chaos-violation",
        class: "chaos-violation",
        actions: [el("span", { class: "section-note", text: `${counted(r.violations.length, "violation")} with a history` })],
      },
      [
        el("p", { class: "chaos-violation-summary" }, [
          "Payment ",
          button(first.paymentId, () => this.cb.openPayment(first.paymentId), {
            class: "link-button mono",
            testid: "chaos-violation-payment",
            attrs: { title: "Open this payment's row in the table" },
          }),
          `: ${first.summary}.`,
        ]),
        renderHistory(r.startedAt, first.history, "chaos-violation-history", "the minimal history the checker kept"),
        rest.length > 0
          ? el(
              "ul",
              { class: "chaos-more-violations small", testid: "chaos-more-violations" },
              rest.map((v) =>
                el("li", {}, [
                  `${v.invariant}, `,
                  button(v.paymentId, () => this.cb.openPayment(v.paymentId), { class: "link-button mono" }),
                  `: ${v.summary}`,
                ]),
              ),
            )
          : null,
      ],
    );
  }
}
