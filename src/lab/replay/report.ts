// Plain-text and JSON views of scenario results, for the CLI.
import type { InvocationAttempts, LedgerLink } from "../../shared/run-result.js";
import { counted } from "../../shared/wording.js";
import type { AnswerKind, PlanEvent, RequestOutcome, ScenarioResult } from "./types.js";

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
      attempts: r.attempts ?? [],
      ledgerLinks: r.ledgerLinks ?? [],
      events: r.events ?? [],
      ...(r.incomplete ? { incomplete: r.incomplete } : {}),
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
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
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
  if (result.incomplete) {
    const { reason, sent, planned, answered } = result.incomplete;
    out.push(`  INCOMPLETE: ${reason}: ${sent} of ${planned} requests sent, ${answered} answered. What follows covers only those.`, "");
  }
  const answers = new Map<AnswerKind, number>();
  for (const r of result.requestsDetail) answers.set(r.answer, (answers.get(r.answer) ?? 0) + 1);
  out.push(`  Requests: ${result.requests} (${[...answers].map(([k, n]) => `${n} ${k}`).join(", ")})`);
  out.push(`  Distinct responses: ${result.distinctResponses}   Invocations: ${result.distinctInvocations}   Payment: ${result.paymentIds.join(", ")}`);
  out.push(`  Gateway ledger: ${counted(result.charges, "charge")}, ${counted(result.refunds, "refund")}`);
  for (const e of result.ledger) {
    const link = result.ledgerLinks?.find((l) => l.ledgerId === e.id);
    out.push(`    ${e.id}  ${e.type.padEnd(6)}  ${e.amount} ${e.currency}  key ${e.idempotencyKey ?? "(none)"}${link ? `  ${describeLink(link)}` : ""}`);
  }
  if (result.attempts && result.attempts.length > 0) out.push(...describeAttempts(result.attempts));
  out.push(...describeScopes(result.requestsDetail));
  if (result.events && result.events.length > 0)
    out.push("  Besides requests:", ...result.events.map((e) => `    ${(e.atMs / 1000).toFixed(1).padStart(6)} s  ${describeEvent(e)}`));
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

/** A run as a Markdown document, for export: summary, invariants, ledger, invocations, requests. */
export function markdownReport(result: ScenarioResult): string {
  const cell = (v: unknown) =>
    String(v ?? "")
      .replace(/\|/g, "\\|")
      .replace(/\n/g, " ");
  const rows = (header: string[], data: unknown[][]) =>
    [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...data.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n");
  const shown = result.requestsDetail.slice(0, 1000);
  return [
    `# ${result.title}`,
    "",
    `> ${result.lesson}`,
    "",
    `**Verdict: ${result.verdict}** (this scenario expects ${result.expectedVerdict}). ${result.explanation}`,
    ...result.notes.map((n) => `\n- ${n}`),
    "",
    `Run at ${result.startedAt}, ${result.durationMs} ms, payment ${result.paymentIds.join(", ")}.`,
    "",
    rows(
      ["requests", "distinct responses", "distinct invocations", "charges", "refunds"],
      [[result.requests, result.distinctResponses, result.distinctInvocations, result.charges, result.refunds]],
    ),
    "",
    "## Invariants",
    "",
    rows(
      ["", "invariant", "expected", "observed", "role"],
      result.invariants.map((i) => [i.ok ? "ok" : "FAIL", i.name, i.expected, i.observed, i.role]),
    ),
    "",
    "## Gateway ledger",
    "",
    rows(
      ["id", "type", "amount", "currency", "idempotency key", "at"],
      result.ledger.map((e) => [e.id, e.type, e.amount, e.currency, e.idempotencyKey ?? "", e.at]),
    ),
    "",
    "## Invocations (Restate sys_invocation)",
    "",
    rows(
      ["id", "status", "idempotency key", "retries", "created"],
      result.invocations.map((i) => [i.id, i.status, i.idempotency_key ?? "", i.retry_count ?? "", i.created_at]),
    ),
    "",
    `## Requests${shown.length < result.requestsDetail.length ? ` (first ${shown.length} of ${result.requestsDetail.length})` : ""}`,
    "",
    rows(
      ["#", "sent (ms)", "latency (ms)", "status", "answer", "invocation", "response"],
      shown.map((r) => [
        r.index,
        r.sentAtMs,
        r.latencyMs,
        r.status ?? r.error ?? "",
        r.answer,
        r.invocationId ?? "",
        JSON.stringify(r.response)?.slice(0, 120),
      ]),
    ),
    "",
  ].join("\n");
}

/** Where a money movement came from: its attempt, and whether the journal recorded it. */
function describeLink(link: LedgerLink): string {
  if (link.attempt === null) return "(no invocation in Restate's records was running when it was requested)";
  const where = `made in attempt ${link.attempt}`;
  if (link.journal === null) return `${where}; in no journal entry`;
  return link.journal.inRun
    ? `${where}; recorded by ctx.run "${link.journal.name}" (journal entry ${link.journal.index})`
    : `${where} outside ctx.run; its id reached journal entry ${link.journal.index} (${link.journal.type})`;
}

/** Every attempt of each invocation that had more than one, and how many had just one. */
function describeAttempts(invocations: InvocationAttempts[]): string[] {
  const retried = invocations.filter((i) => i.attempts.length > 1);
  const out = [`  Attempts (Restate's records): ${counted(invocations.length, "invocation")}, ${retried.length} retried`];
  for (const invocation of retried.slice(0, 20)) {
    out.push(`    ${invocation.invocationId}  ${invocation.target}`);
    for (const a of invocation.attempts) {
      const on = a.error?.command ? ` on ${a.error.command.type.toLowerCase()} "${a.error.command.name}"` : "";
      const why = a.error ? `: ${a.error.message.split("\n")[0]!.slice(0, 120)}${on}` : "";
      out.push(`      attempt ${a.number}  ${a.outcome}${why}`);
    }
  }
  if (retried.length > 20) out.push(`    ... and ${retried.length - 20} more`);
  return out;
}

/** When a run's requests went to more than one scope (service, object key, handler): which invocation answered each. */
function describeScopes(requests: RequestOutcome[]): string[] {
  const scopeOf = (r: RequestOutcome) => (r.target ? `${r.target.service}/${r.target.key}/${r.target.handler}` : null);
  const scopes = new Set(requests.map(scopeOf).filter((s) => s !== null));
  if (scopes.size < 2 || requests.length > 50) return [];
  const width = Math.max(...[...scopes].map((s) => s.length));
  return [
    "  Scopes (service/object key/handler, idempotency key -> invocation, answer):",
    ...requests
      .filter((r) => r.target)
      .map(
        (r) =>
          `    ${scopeOf(r)!.padEnd(width)}  ${r.idempotencyKey ?? "(no key)"} -> ${r.invocationId ?? "(none)"}  ${r.answer}${r.status !== null ? ` ${r.status}` : ""}`,
      ),
  ];
}

function describeEvent(e: PlanEvent): string {
  switch (e.kind) {
    case "retention":
      return `${e.service}'s idempotency retention set to ${e.set} (was ${e.previous}; ${e.restored ? "put back after the run" : "NOT put back"})`;
    case "crash":
      return `killed the service once the journal showed ctx.run "${e.run}" ${e.state}`;
    case "stop":
      return `${e.how} ${e.invocationId} (admin API answered ${e.status})`;
    case "wait": {
      const what =
        e.until === "expiry"
          ? `idempotency-expires ${e.expires ?? "?"} to pass`
          : e.until === "removal"
            ? `Restate's cleaner to remove ${e.invocationId ?? "the entry"}`
            : "the gateway to record a receipt";
      return `waited ${(e.waitedMs / 1000).toFixed(1)} s for ${what}: ${e.reached ? "it came" : "it did not come in time"}`;
    }
  }
}
