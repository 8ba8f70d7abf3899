// One payment's history in a chaos run, as a list in time order: its requests with their tries
// and answers, the faults around them, Restate's attempts of its invocations and its ledger
// entries. The violation's minimal history and every opened payment row use it.
import "./chaos-history.css";
import { answerText, faultText, historyItems } from "./chaos-model.js";
import type { HistoryItem, HistoryParts } from "./chaos-model.js";
import { el } from "../ui/dom.js";
import type { Child } from "../ui/dom.js";
import { counted, formatAmount, formatMs, shortId } from "../ui/format.js";

export function renderHistory(startedAt: string, parts: HistoryParts, testid: string, note?: string): HTMLElement {
  const items = historyItems(startedAt, parts);
  const invocations = new Set(parts.attempts.map((i) => i.invocationId)).size;
  return el("div", { class: "chaos-history", testid }, [
    el("p", { class: "chaos-history-sum small muted", testid: "chaos-history-sum" }, [
      `${counted(parts.requests.length, "request")}, ${counted(parts.faults.length, "fault")} around them, ${counted(invocations, "invocation")} in Restate, ${counted(parts.ledger.length, "ledger entry", "ledger entries")}`,
      note ? ` · ${note}` : "",
    ]),
    el("ol", { class: "chaos-events", attrs: { "aria-label": "History in time order" } }, items.map(item)),
  ]);
}

function item(i: HistoryItem): HTMLElement {
  const [kind, label, text, extra] = describe(i);
  return el("li", { class: `chaos-event event-${kind}`, testid: "chaos-event", attrs: { "data-kind": i.kind } }, [
    el("span", { class: "chaos-event-at", text: formatMs(Math.max(0, i.atMs)) }),
    el("span", { class: "chaos-event-kind", text: label }),
    el("span", { class: "chaos-event-text" }, [text, extra]),
  ]);
}

function describe(i: HistoryItem): [string, string, Child, Child] {
  switch (i.kind) {
    case "request": {
      const q = i.request;
      const key = q.idempotencyKey ? `key ${q.idempotencyKey}` : "no key";
      const ok = q.status !== null && q.status >= 200 && q.status < 300;
      return [
        ok ? "request" : "request-failed",
        "request",
        `#${q.index} ${q.handler} (${key})${q.tries > 1 ? `, ${q.tries} tries` : ""} → ${answerText(q)}`,
        q.invocationId ? el("span", { class: "mono muted", text: ` ${shortId(q.invocationId)}`, attrs: { title: q.invocationId } }) : null,
      ];
    }
    case "fault":
      return ["fault", "fault", faultText(i.fault), i.fault.applied?.ok === false ? ` (not applied: ${i.fault.applied.note ?? "failed"})` : null];
    case "attempt": {
      const ended = i.moment === "ended" || i.moment === "end-only";
      // A row at an attempt's start says only that it began: how it ended is told at its end.
      const began = i.retry ? "follows, after Restate's retry delay" : "began";
      const what = i.moment === "began" ? began : i.moment === "open" ? `${began}; ${i.outcome} when the run read Restate's records` : i.outcome;
      return [
        ended && i.outcome === "failed" ? "attempt-failed" : "attempt",
        "Restate",
        el("span", {}, [
          el("span", { class: "mono", text: shortId(i.invocationId), attrs: { title: i.invocationId } }),
          ` ${i.target.split("/").pop()}: attempt ${i.number} ${what}`,
        ]),
        ended && i.error ? ` (${i.error})` : null,
      ];
    }
    case "ledger":
      return [
        i.entry.type,
        "ledger",
        `${i.entry.id} ${i.entry.type} ${formatAmount(i.entry.amount, i.entry.currency)}`,
        i.entry.idempotencyKey ? ` (gateway key ${i.entry.idempotencyKey})` : null,
      ];
  }
}
