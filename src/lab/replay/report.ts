// Plain-text and JSON views of scenario results, for the CLI.
import type { AnswerKind, ScenarioResult } from "./types.js";

/** The documented `--json` shape (README: "JSON output"). Fields are only ever added. */
export function toJson(results: ScenarioResult[]) {
  return {
    scenarios: results.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      verdict: r.verdict,
      expectedVerdict: r.expectedVerdict,
      requests: r.requests,
      distinctResponses: r.distinctResponses,
      distinctInvocations: r.distinctInvocations,
      charges: r.charges,
      refunds: r.refunds,
      invariants: r.invariants,
      explanation: r.explanation,
      notes: r.notes,
      paymentIds: r.paymentIds,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
      ledger: r.ledger,
      invocations: r.invocations,
      requestsDetail: r.requestsDetail,
    })),
  };
}

export function table(results: ScenarioResult[]): string {
  const header = ["scenario", "requests", "distinct responses", "invocations", "charges", "verdict"];
  const rows = results.map((r) => [
    r.id,
    String(r.requests),
    String(r.distinctResponses),
    String(r.distinctInvocations),
    String(r.charges),
    r.verdict === r.expectedVerdict ? r.verdict : `${r.verdict.toUpperCase()} (expected ${r.expectedVerdict})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function describe(result: ScenarioResult): string {
  const out: string[] = [];
  out.push(`${result.title} (${result.id})`);
  out.push(`  ${result.lesson}`);
  out.push("");
  if (result.verdict === "skipped") {
    out.push(`  ${result.explanation}`);
    return out.join("\n");
  }
  const answers = new Map<AnswerKind, number>();
  for (const r of result.requestsDetail) answers.set(r.answer, (answers.get(r.answer) ?? 0) + 1);
  out.push(`  Requests: ${result.requests} (${[...answers].map(([k, n]) => `${n} ${k}`).join(", ")})`);
  out.push(`  Distinct responses: ${result.distinctResponses}   Invocations: ${result.distinctInvocations}   Payment: ${result.paymentIds.join(", ")}`);
  out.push(`  Gateway ledger: ${result.charges} charge(s), ${result.refunds} refund(s)`);
  for (const e of result.ledger) out.push(`    ${e.id}  ${e.type.padEnd(6)}  ${e.amount} ${e.currency}  key ${e.idempotencyKey ?? "(none)"}`);
  out.push("  Invariants:");
  for (const i of result.invariants) {
    out.push(`    ${i.ok ? "ok  " : "FAIL"}  ${i.name}: expected ${i.expected}, observed ${i.observed}${i.role === "sanity" ? "  (run check)" : ""}`);
  }
  out.push("");
  out.push(`  Verdict: ${result.verdict}${result.verdict === result.expectedVerdict ? "" : ` (this scenario expects ${result.expectedVerdict})`}`);
  out.push(`  ${result.explanation}`);
  for (const note of result.notes) out.push(`  Note: ${note}`);
  return out.join("\n");
}
