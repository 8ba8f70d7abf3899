// A chaos run as a Markdown report, for the panel's Export: the plan, the faults and whether each
// was applied, the checker's verdict per invariant, every payment, and each violation's history.
import type { ChaosRequest, ChaosResult, ChaosViolation } from "../../shared/chaos-result.js";
import { stepText, violationChains } from "../../shared/chaos-chain.js";
import type { InvocationAttempts, LedgerEntry } from "../../shared/run-result.js";
import { counted } from "../../shared/wording.js";
import { describeSchedule } from "./plan.js";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const row = (cells: Array<string | number>) => `| ${cells.map((c) => cell(String(c))).join(" | ")} |`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** `runLedger`, `runAttempts`: the record's evidence (every payment's ledger rows and Restate's attempts), which tells which charge a lost answer hit. */
export function chaosMarkdown(r: ChaosResult, runLedger?: readonly LedgerEntry[] | null, runAttempts?: readonly InvocationAttempts[] | null): string {
  const expected = r.verdict === r.expectedVerdict;
  const out = [
    `# Chaos run against ${r.target}`,
    "",
    `Seed ${r.seed} (the same seed replays the same schedule and workload), ${counted(r.options.payments, "payment")}, ${r.options.duplicates} requests each, ${r.options.durationS} s; started ${r.startedAt}, took ${seconds(r.durationMs)}.`,
    "",
    `**Verdict: ${r.verdict}**${expected ? (r.verdict === "unsafe" ? " (as an anti-pattern should be)" : " (as expected)") : ` (expected ${r.expectedVerdict})`}${r.stopped ? ", stopped before the end of its schedule" : ""}.`,
    "",
    "## Checker (from the ledger and the answers)",
    "",
    row(["invariant", "holds", "promise", "violations"]),
    row(["---", "---", "---", "---"]),
    ...r.invariants.map((i) => row([i.name, i.holds ? "ok" : "FAIL", i.promise, i.violations])),
    "",
    "## Faults",
    "",
    row(["#", "planned", "what", "applied"]),
    row(["---", "---", "---", "---"]),
    ...describeSchedule(r.schedule).map((line, i) => {
      const f = r.schedule[i]!;
      const applied = f.applied === null ? "not reached" : f.applied.ok ? `at ${seconds(f.applied.atMs)}` : `no: ${f.applied.note ?? "failed"}`;
      return row([f.index, seconds(f.atMs), line.replace(/^\s*[\d.]+ s\s+/, ""), applied]);
    }),
    "",
    "## Payments",
    "",
    row(["payment", "requests", "charges", "charged", "refunded", "broken"]),
    row(["---", "---", "---", "---", "---", "---"]),
    ...r.payments.map((p) => row([p.paymentId, p.requests.length, p.charges, p.chargedAmount, p.refundedAmount, p.broken.join(", ") || "none"])),
  ];
  for (const v of r.violations) out.push("", ...violation(v));
  for (const chain of violationChains(r, runLedger, runAttempts)) {
    out.push("", `## Causal chain: payment ${chain.paymentId}`, "", `Broke: ${chain.broken.map((b) => b.invariant).join(", ")}.`, "");
    chain.steps.forEach((step, i) => out.push(`${i + 1}. ${i === 0 ? "" : "→ "}${stepText(step)}`));
  }
  return `${out.join("\n")}\n`;
}

function violation(v: ChaosViolation): string[] {
  const events = [
    ...v.history.faults.filter((f) => f.applied).map((f) => ({ at: f.applied!.atMs, text: `fault: ${f.kind}${f.amount > 1 ? ` (${f.amount})` : ""}` })),
    ...v.history.requests.map((q) => ({ at: q.sentAtMs, text: request(q) })),
  ].sort((a, b) => a.at - b.at);
  return [
    `## Violation: ${v.invariant}, payment ${v.paymentId}`,
    "",
    v.summary,
    "",
    ...events.map((e) => `- ${seconds(e.at)}: ${e.text}`),
    ...v.history.attempts.map((i) => `- Restate: ${i.invocationId} ${i.target}: ${i.attempts.map((a) => `attempt ${a.number} ${a.outcome}`).join("; ")}`),
    ...v.history.ledger.map((e) => `- ledger: ${e.id} ${e.type} ${e.amount} ${e.currency} at ${e.at}`),
  ];
}

function request(q: ChaosRequest): string {
  const answer = q.status === null ? `no answer (${q.error ?? "none"})` : `${q.status}`;
  return `${q.handler} ${q.idempotencyKey ? `key ${q.idempotencyKey}` : "without a key"}${q.tries > 1 ? `, ${q.tries} tries` : ""}: ${answer}`;
}
