// The run view's Gateway ledger section: the charges and refunds the mock gateway recorded for the
// run's payments, the judge of whether a customer paid twice; with Restate's records, the attempt
// that made each one and whether the journal records it.
import "./ledger.css";
import type { LedgerEntry, LedgerLink } from "../../shared/protocol.js";
import { button, el, section } from "../ui/dom.js";
import { chargeCauses } from "./charge-cause-model.js";
import { formatClock, formatMs } from "../ui/format.js";
import { journalOf } from "./lanes-model.js";
import { ledgerForPayments } from "./run-model.js";
import type { Result } from "./run-model.js";
import { VirtualTable } from "../ui/virtual-table.js";

/** What the ledger knows of the handler's code: whether its charge is inside ctx.run, and how to show its charge line. */
export interface LedgerCode {
  chargeInRun: boolean | null;
  /** Scrolls "The code" to the charge line; absent when no code block shows one. */
  showChargeLine?: () => void;
}

/** A run with more charges than this lists the first ones' causes only. */
const MAX_CAUSES = 20;

export function renderLedger(result: Result, code: LedgerCode = { chargeInRun: null }): HTMLElement {
  const entries = ledgerForPayments(result);
  const start = Date.parse(result.startedAt);
  const links = result.ledgerLinks ? new Map(result.ledgerLinks.map((l) => [l.ledgerId, l])) : null;
  const madeBy = links ? [{ label: "made by", render: (e: LedgerEntry) => madeByCell(links.get(e.id), code.showChargeLine) }] : [];
  const table = new VirtualTable<LedgerEntry>({
    label: "Gateway ledger",
    testid: "ledger-table",
    layout: links ? "cols-ledger cols-ledger-linked" : "cols-ledger",
    rows: entries,
    visibleRows: 8,
    emptyText: "No ledger entries for this payment: nothing was charged.",
    columns: [
      { label: "id", class: "mono", render: (e) => e.id },
      { label: "type", render: (e) => el("span", { class: `tag tag-${e.type}`, text: e.type }) },
      ...madeBy,
      { label: "amount", class: "num", render: (e) => String(e.amount) },
      { label: "currency", render: (e) => e.currency },
      {
        label: "idempotency key",
        class: "mono",
        render: (e) => el("span", { text: e.idempotencyKey ?? "(none)", attrs: { title: e.idempotencyKey ?? "no key" } }),
      },
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
  return section(
    "Gateway ledger",
    {
      testid: "ledger-section",
      actions: [el("span", { class: "section-note", text: `${charges} charge${charges === 1 ? "" : "s"} for ${result.paymentIds.join(", ") || "this run"}` })],
    },
    [table.element, result.ledgerLinks ? renderCauses(result, code) : null],
  );
}

/** Each charge's cause in words, with a link to the line of code that made it. */
function renderCauses(result: Result, code: LedgerCode): HTMLElement | null {
  const causes = chargeCauses(result, code.chargeInRun);
  if (causes.length === 0) return null;
  const shown = causes.slice(0, MAX_CAUSES);
  return el("div", { class: "charge-causes", testid: "charge-causes" }, [
    el("h3", { class: "charge-causes-title", text: causes.length === 1 ? "Why this charge" : "Why each charge" }),
    el(
      "ul",
      { class: "charge-cause-list" },
      shown.map((c) =>
        el("li", { class: `charge-cause journal-${c.journal}`, testid: "charge-cause", attrs: { "data-ledger-id": c.ledgerId, "data-journal": c.journal } }, [
          el("span", { class: "mono charge-cause-id", text: c.ledgerId }),
          " ",
          el("span", { class: "charge-cause-text", text: c.text, testid: "charge-cause-text" }),
          code.showChargeLine
            ? button("code", code.showChargeLine, {
                class: "link-button charge-code-link",
                testid: "charge-code-link",
                attrs: { title: "Show the line that charges in The code", "aria-label": `Show the line of code that made ${c.ledgerId}` },
              })
            : null,
        ]),
      ),
    ),
    causes.length > shown.length ? el("p", { class: "muted", text: `and ${causes.length - shown.length} more charges` }) : null,
  ]);
}

/** Which attempt made an entry, and whether the journal records it: the anti-pattern shows as "in no journal entry". */
function madeByCell(link: LedgerLink | undefined, showChargeLine?: () => void): HTMLElement {
  if (!link || link.attempt === null)
    return el("span", {
      class: "made-by muted",
      text: "no recorded attempt",
      attrs: { title: "No attempt in Restate's records was running when the gateway got this request" },
    });
  const journal = journalOf(link);
  const trace = journal === null ? "in no journal entry" : `ctx.run "${journal.name}"`;
  const kind = journal === null ? "none" : "run";
  const options = {
    class: `made-by trace-${kind}`,
    testid: "ledger-made-by",
    attrs: {
      title: `Made by attempt ${link.attempt} of ${link.invocationId ?? "?"}; ${journal === null ? "no journal entry holds it (made outside ctx.run)" : `journal entry ${journal.index} (${journal.type})`}${showChargeLine ? ". Click to see the line that charges in The code" : ""}`,
      "data-trace": kind,
    },
  };
  const text = `attempt ${link.attempt} · ${trace}`;
  // A link to the handler's charge line in The code, when a code block shows one.
  return showChargeLine ? button(text, showChargeLine, { ...options, class: `${options.class} link-button` }) : el("span", { ...options, text });
}
