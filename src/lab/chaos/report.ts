// A chaos run in words, for the CLI and the Test Explorer's output: the plan, the checker's
// verdict per invariant, and for each violation the slice of history that shows it.
import type { ChaosRequest, ChaosResult, ChaosViolation } from "../../shared/chaos-result.js";
import { stepText, violationChains } from "../../shared/chaos-chain.js";
import type { InvocationAttempts, LedgerEntry } from "../../shared/run-result.js";
import { counted } from "../../shared/wording.js";
import { describeSchedule } from "./plan.js";

/** `runLedger`, `runAttempts`: the record's evidence (every payment's ledger rows and Restate's attempts), which tells which charge a lost answer hit. */
export function describeChaos(r: ChaosResult, runLedger?: readonly LedgerEntry[] | null, runAttempts?: readonly InvocationAttempts[] | null): string {
  const out: string[] = [];
  out.push(
    `Chaos run against ${r.target}: seed ${r.seed}, ${counted(r.options.payments, "payment")}, ${r.options.duplicates} requests each, ${r.options.durationS} s`,
  );
  out.push(`  (the same seed gives the same schedule and workload: --seed ${r.seed})`);
  out.push("");
  out.push("  Faults:");
  const lines = describeSchedule(r.schedule);
  r.schedule.forEach((f, i) => out.push(`    ${lines[i]}${f.applied ? (f.applied.ok ? "" : `  (not applied: ${f.applied.note})`) : "  (not reached)"}`));
  const retried = r.requests.filter((q) => q.tries > 1).length;
  const unanswered = r.requests.filter((q) => q.status === null).length;
  out.push("");
  out.push(`  Requests: ${r.requests.length}, ${retried} sent again after a lost answer, ${unanswered} without an answer`);
  out.push("");
  out.push("  Checker (from the ledger and the answers):");
  for (const i of r.invariants)
    out.push(`    ${i.holds ? "ok  " : "FAIL"}  ${i.name}: ${i.promise}${i.holds ? "" : ` (${counted(i.violations, "violation")})`}`);
  out.push("");
  const expected = r.verdict === r.expectedVerdict;
  out.push(
    `  Verdict: ${r.verdict}${expected ? (r.verdict === "unsafe" ? " (as an anti-pattern should be)" : "") : ` (expected ${r.expectedVerdict})`}${r.stopped ? ", stopped before the end" : ""}`,
  );
  for (const v of r.violations) out.push("", ...describeViolation(v));
  for (const chain of violationChains(r, runLedger, runAttempts)) {
    out.push("", `  Causal chain, payment ${chain.paymentId} (${chain.broken.map((b) => b.invariant).join(", ")}):`);
    chain.steps.forEach((step, i) => out.push(`    ${i === 0 ? "  " : "→ "}${stepText(step)}`));
  }
  return out.join("\n");
}

function describeViolation(v: ChaosViolation): string[] {
  const out = [`  Violation: ${v.invariant}, payment ${v.paymentId}: ${v.summary}`, "    History:"];
  const events = [
    ...v.history.faults
      .filter((f) => f.applied)
      .map((f) => ({ at: f.applied!.atMs, text: `fault: ${f.kind.replace("-", " ")}${f.amount > 1 ? ` (${f.amount})` : ""}` })),
    ...v.history.requests.map((q) => ({ at: q.sentAtMs, text: requestLine(q) })),
  ].sort((a, b) => a.at - b.at);
  for (const e of events) out.push(`      ${(e.at / 1000).toFixed(2).padStart(6)} s  ${e.text}`);
  for (const invocation of v.history.attempts) {
    const steps = invocation.attempts.map((a) => `${a.number} ${a.outcome}${a.error ? ` (${a.error.message.split("\n")[0]!.slice(0, 80)})` : ""}`);
    out.push(`      Restate: ${invocation.invocationId} ${invocation.target}: ${steps.join("; ")}`);
  }
  for (const e of v.history.ledger) out.push(`      ledger: ${e.id} ${e.type} ${e.amount} ${e.currency} at ${e.at.slice(11, 23)}`);
  return out;
}

function requestLine(q: ChaosRequest): string {
  const key = q.idempotencyKey ? `key ${q.idempotencyKey}` : "no key";
  const answer = q.status === null ? `no answer (${q.error})` : `${q.status}${chargeOf(q.response)}`;
  return `${q.handler} (${key})${q.tries > 1 ? `, ${q.tries} tries` : ""} -> ${answer}`;
}

function chargeOf(response: unknown): string {
  const id = (response as { chargeId?: unknown } | null)?.chargeId;
  return typeof id === "string" ? ` charge ${id}` : "";
}
