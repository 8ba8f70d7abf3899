// The chaos result's payments: a row per payment (requests, charges, refunded, the invariants it
// broke), broken ones first; a row opens to that payment's history, under it. One open at a time,
// kept in the panel's state (openPayment) so a redraw keeps it.
import "./chaos-payments.css";
import type { ChaosRunRecord } from "../../shared/protocol.js";
import { renderHistory } from "./chaos-history.js";
import { orderedPayments, paymentParts } from "./chaos-model.js";
import { el, section } from "../ui/dom.js";
import { counted, formatAmount, formatCount } from "../ui/format.js";
import { overflowHint, watchOverflow } from "../ui/overflow.js";

/** More rows than this and the table scrolls in its own box (and says so). */
const ROWS_IN_VIEW = 12;

export class ChaosPayments {
  readonly element: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private open: string | null = null;

  constructor(
    private readonly record: ChaosRunRecord,
    private readonly onOpen: (paymentId: string | null) => void,
  ) {
    const r = record.chaos;
    const broken = r.payments.filter((p) => p.broken.length > 0).length;
    const scrolls = r.payments.length > ROWS_IN_VIEW;
    this.body = el("tbody");
    const table = el("table", { class: "plain-table chaos-payments-table", testid: "chaos-payments" }, [
      el("thead", {}, [
        el("tr", {}, [
          el("th", { text: "Payment", attrs: { scope: "col" } }),
          el("th", { class: "num", text: "Requests", attrs: { scope: "col" } }),
          el("th", { class: "num", text: "Charges", attrs: { scope: "col" } }),
          el("th", { class: "num", text: "Charged", attrs: { scope: "col" } }),
          el("th", { class: "num", text: "Refunded", attrs: { scope: "col" } }),
          el("th", { text: "Broken invariants", attrs: { scope: "col" } }),
        ]),
      ]),
      this.body,
    ]);
    const wrap = el(
      "div",
      {
        class: `table-wrap chaos-payments-wrap${scrolls ? " scrolls" : ""}`,
        attrs: { role: "region", "aria-label": "Payments of the chaos run", tabindex: 0 },
      },
      [table],
    );
    const hint = overflowHint();
    watchOverflow(wrap, hint);
    const note = `${counted(r.payments.length, "payment")}, ${broken === 0 ? "none broken" : `${formatCount(broken)} broken`}${scrolls ? "; the table scrolls" : ""}`;
    this.element = section("Payments", { testid: "chaos-payments-section", actions: [el("span", { class: "section-note", text: note })] }, [
      el("p", {
        class: "muted small",
        text: "Open a payment to see its history: its requests with their tries and answers, the faults around them, Restate's attempts and the ledger.",
      }),
      el("div", { class: "table-box" }, [wrap, hint]),
    ]);
    this.draw();
  }

  /** Opens one payment's history (null: none), as the panel's state says. */
  showPayment(paymentId: string | null): void {
    if (paymentId === this.open) return;
    this.open = paymentId;
    this.draw();
    if (paymentId !== null) this.body.querySelector<HTMLElement>('[data-testid="chaos-payment-history"]')?.scrollIntoView({ block: "nearest" });
  }

  private draw(): void {
    const r = this.record.chaos;
    const rows: HTMLElement[] = [];
    for (const p of orderedPayments(r)) {
      const open = p.paymentId === this.open;
      const historyId = `chaos-history-${p.paymentId}`;
      const toggle = el(
        "button",
        {
          class: "link-button chaos-payment-toggle mono",
          testid: "chaos-payment-toggle",
          attrs: {
            type: "button",
            "aria-expanded": open ? "true" : "false",
            "aria-controls": open ? historyId : undefined,
            "data-focus-key": `payment-${p.paymentId}`,
            title: `${open ? "Close" : "Open"} the history of ${p.paymentId}`,
          },
          on: { click: () => this.onOpen(open ? null : p.paymentId) },
        },
        [el("span", { class: "chaos-caret", text: open ? "▾" : "▸", attrs: { "aria-hidden": "true" } }), p.paymentId],
      );
      rows.push(
        el(
          "tr",
          {
            class: p.broken.length > 0 ? "broken" : undefined,
            testid: "chaos-payment",
            attrs: { "data-payment-id": p.paymentId, "data-charges": p.charges, "data-broken": p.broken.join("|") },
          },
          [
            el("td", {}, [toggle]),
            el("td", { class: "num", text: formatCount(p.requests.length) }),
            el("td", { class: "num", text: formatCount(p.charges) }),
            el("td", { class: "num", text: formatAmount(p.chargedAmount, currencyOf(this.record, p.paymentId)).trim() }),
            el("td", { class: "num", text: formatAmount(p.refundedAmount, currencyOf(this.record, p.paymentId)).trim() }),
            el(
              "td",
              {},
              p.broken.length === 0
                ? [el("span", { class: "pill pill-ok", text: "none" })]
                : p.broken.map((b) => el("span", { class: "pill pill-fail chaos-broken", text: b })),
            ),
          ],
        ),
      );
      if (open) {
        rows.push(
          el("tr", { class: "chaos-history-row", attrs: { id: historyId } }, [
            el("td", { attrs: { colspan: 6 } }, [
              renderHistory(r.startedAt, paymentParts(this.record, p.paymentId), "chaos-payment-history", this.record.evidence.error),
            ]),
          ]),
        );
      }
    }
    const active = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
    this.body.replaceChildren(...rows);
    if (active) this.body.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(active)}"]`)?.focus({ preventScroll: true });
  }
}

/** The payment's currency as the ledger or an answer names it; none when neither does. */
function currencyOf(record: ChaosRunRecord, paymentId: string): string {
  const answered = record.chaos.requests
    .map((q) => (q.paymentId === paymentId ? (q.response as { currency?: unknown } | null)?.currency : undefined))
    .find((c) => typeof c === "string");
  return record.evidence.ledger.find((e) => e.paymentId === paymentId)?.currency ?? (answered as string | undefined) ?? "";
}
