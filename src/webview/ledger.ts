// The run view's Gateway ledger section: the charges and refunds the mock gateway recorded for the
// run's payments, the judge of whether a customer paid twice.
import "./ledger.css";
import type { LedgerEntry } from "../shared/protocol.js";
import { el, section } from "./dom.js";
import { formatClock, formatMs } from "./format.js";
import { ledgerForPayments } from "./run-model.js";
import type { Result } from "./run-model.js";
import { VirtualTable } from "./virtual-table.js";

export function renderLedger(result: Result): HTMLElement {
  const entries = ledgerForPayments(result);
  const start = Date.parse(result.startedAt);
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
  return section("Gateway ledger", { testid: "ledger-section", actions: [el("span", { class: "section-note", text: `${charges} charge${charges === 1 ? "" : "s"} for ${result.paymentIds.join(", ") || "this run"}` })] }, [table.element]);
}
