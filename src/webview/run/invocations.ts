// The run view's Invocations section: Restate's sys_invocation rows for the run, each id a link to
// the inspector, with the number of attempts Restate recorded (its retry count is often empty).
import "./invocations.css";
import type { InvocationRow } from "../../shared/protocol.js";
import { el, section } from "../ui/dom.js";
import { formatClock } from "../ui/format.js";
import { invocationButton } from "./inspector.js";
import type { Result } from "./run-model.js";
import { VirtualTable } from "../ui/virtual-table.js";

export function renderInvocations(result: Result, inspect: (invocationId: string) => void): HTMLElement {
  const attempts = result.attempts ? new Map(result.attempts.map((i) => [i.invocationId, i.attempts])) : null;
  const attemptsCell = (i: InvocationRow) => {
    const list = attempts?.get(i.id);
    if (!list) return el("span", { class: "muted", text: "—", attrs: { title: "Not in Restate's records of the run's attempts" } });
    const failed = list.filter((a) => a.outcome === "failed").length;
    return el("span", {
      text: `${list.length}${failed > 0 ? ` (${failed} failed)` : ""}`,
      attrs: { title: `${list.length} attempt(s) in Restate's records; ${failed} failed` },
    });
  };
  const table = new VirtualTable<InvocationRow>({
    label: "Invocations (sys_invocation)",
    testid: "invocations-table",
    layout: "cols-invocations",
    rows: result.invocations,
    visibleRows: 8,
    emptyText: "No invocations found in Restate for this payment.",
    columns: [
      { label: "invocation id", render: (i) => invocationButton(i.id, `inv-${i.id}`, inspect) },
      { label: "status", render: (i) => i.status },
      {
        label: "idempotency key",
        class: "mono",
        render: (i) =>
          el("span", {
            text: i.idempotency_key === null ? "(none)" : `${i.idempotency_key}${i.userKey ? "" : " (Restate's)"}`,
            attrs: { title: i.idempotency_key ?? "" },
          }),
      },
      attempts
        ? { label: "attempts", class: "num", render: attemptsCell }
        : { label: "retries", class: "num", render: (i: InvocationRow) => (i.retry_count === null ? "—" : String(i.retry_count)) },
      { label: "created at", render: (i) => el("span", { text: formatClock(i.created_at), attrs: { title: i.created_at } }) },
    ],
  });
  return section("Invocations", { testid: "invocations-section", actions: [el("span", { class: "section-note", text: "from Restate's sys_invocation" })] }, [
    table.element,
  ]);
}
