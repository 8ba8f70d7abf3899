// Two runs side by side: the rows of the compare table, and which of them differ.
import { ANSWER_KINDS, CUSTOM_SCENARIO } from "../../shared/protocol.js";
import type { RunRecord } from "../../shared/protocol.js";
import { answerLabel, formatMs, formatWhen } from "../ui/format.js";
import { answerCounts } from "../run/run-model.js";

export interface CompareRow {
  group: "run" | "metric" | "invariant";
  label: string;
  a: string;
  b: string;
  /** For invariants: each side's ok (null when that run has no such invariant). */
  okA: boolean | null;
  okB: boolean | null;
  differs: boolean;
}

function requestSettings(r: RunRecord): string {
  const q = r.request;
  const parts = [`count ${q.count ?? "default"}`, `concurrency ${q.concurrency ?? "default"}`];
  if (q.scenario === CUSTOM_SCENARIO.id) {
    parts.push(`key ${q.key ?? "generate"}${q.key === "fixed" && q.fixedKey ? ` (${q.fixedKey})` : ""}`);
    if (q.clientTimeoutMs) parts.push(`timeout ${q.clientTimeoutMs} ms`);
    const f = q.faults ?? {};
    if (f.slowGatewayMs) parts.push(`slow gateway ${f.slowGatewayMs} ms`);
    if (f.gatewayTimeoutAfterCharge) parts.push("lost gateway answer");
    if (f.crashAfterJournal) parts.push("crash after journal");
  }
  return parts.join(", ");
}

export function compareRuns(a: RunRecord, b: RunRecord): CompareRow[] {
  const row = (group: CompareRow["group"], label: string, va: string, vb: string): CompareRow => ({
    group,
    label,
    a: va,
    b: vb,
    okA: null,
    okB: null,
    differs: va !== vb,
  });
  const ra = a.result;
  const rb = b.result;
  const rows: CompareRow[] = [
    row("run", "Scenario", ra.title, rb.title),
    row("run", "Settings", requestSettings(a), requestSettings(b)),
    row("run", "Finished", formatWhen(a.finishedAt), formatWhen(b.finishedAt)),
    row("metric", "Verdict", ra.verdict, rb.verdict),
    row("metric", "Expected verdict", ra.expectedVerdict, rb.expectedVerdict),
    row("metric", "Requests", String(ra.requests), String(rb.requests)),
    row("metric", "Distinct responses", String(ra.distinctResponses), String(rb.distinctResponses)),
    row("metric", "Distinct invocations", String(ra.distinctInvocations), String(rb.distinctInvocations)),
    row("metric", "Charges", String(ra.charges), String(rb.charges)),
    row("metric", "Refunds", String(ra.refunds), String(rb.refunds)),
    row("metric", "Duration", formatMs(ra.durationMs), formatMs(rb.durationMs)),
  ];
  const ca = answerCounts(ra.requestsDetail);
  const cb = answerCounts(rb.requestsDetail);
  for (const k of ANSWER_KINDS) {
    if (ca[k] === 0 && cb[k] === 0) continue;
    rows.push(row("metric", `Answers: ${answerLabel(k)}`, String(ca[k]), String(cb[k])));
  }
  // Finished times and durations always differ; they are not what the learner compares.
  for (const r of rows) if (r.label === "Finished" || r.label === "Duration") r.differs = false;
  const names = [...new Set([...ra.invariants.map((i) => i.name), ...rb.invariants.map((i) => i.name)])];
  for (const name of names) {
    const ia = ra.invariants.find((i) => i.name === name);
    const ib = rb.invariants.find((i) => i.name === name);
    const show = (i: typeof ia) => (i ? `${i.ok ? "ok" : "FAIL"}: ${String(i.observed)} (expected ${String(i.expected)})` : "—");
    const okA = ia ? ia.ok : null;
    const okB = ib ? ib.ok : null;
    rows.push({ group: "invariant", label: name, a: show(ia), b: show(ib), okA, okB, differs: okA !== okB || String(ia?.observed) !== String(ib?.observed) });
  }
  return rows;
}
