// A chaos violation told as a causal chain, in the manner of Jepsen's Elle: for each payment that
// broke an invariant, its money movements tied to the Restate attempt that made them, the faults
// that touched those attempts, and each retry between them, in time order, e.g.
//   ch_000007 charged by attempt 1 of inv_17Xc…cnY at 3.20 s, its answer lost by fault #2 at 3.10 s
//   → attempt 1 of inv_17Xc…cnY failed at 3.30 s → Restate retried: attempt 2 → ch_000009 charged by attempt 2 …
// Pure (no imports but types): the CLI, the Markdown export and the panel tell the same chain.
// A ledger row is tied to the attempt whose time window holds the moment the gateway got it (the
// rule of the run view's attempts); when no recorded window, or more than one, holds it, the
// chain says "attempt unknown" rather than guess.
import type { ChaosResult, ChaosViolation, FaultEvent } from "./chaos-result.js";
import type { AttemptRecord, InvocationAttempts, LedgerEntry } from "./run-result.js";

export interface ChainStep {
  /** Milliseconds from the start of the run; null when the records give no time. */
  atMs: number | null;
  kind: "start" | "money" | "fault" | "failed" | "completed" | "note";
  text: string;
}

export interface ViolationChain {
  paymentId: string;
  /** The invariants this payment broke, with what the checker saw for each. */
  broken: Array<{ invariant: string; summary: string }>;
  steps: ChainStep[];
}

interface Window {
  invocation: InvocationAttempts;
  attempt: AttemptRecord;
  from: number;
  to: number;
}

/** "inv_17XcMZv2LL7E4DKDsK99UiTzXSBh4pMcnY" as "inv_17Xc…McnY": enough to tell a run's invocations apart. */
export function shortInvocation(id: string): string {
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Payment ids in natural order: chaos-7-ab-2 before chaos-7-ab-10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

const FAULT_WORDS: Record<FaultEvent["kind"], (f: FaultEvent) => string> = {
  "gateway-latency": (f) => `gateway latency ${f.amount} ms for ${(f.durationMs / 1000).toFixed(1)} s`,
  "lost-answer": () => "the gateway charges, then loses its answer",
  "failing-calls": (f) => `the gateway fails the next ${f.amount === 1 ? "call" : `${f.amount} calls`} (503)`,
  "service-kill": () => "the service killed (SIGKILL)",
  "restate-kill": () => "restate-server killed (SIGKILL) and started again",
};

const faultLabel = (f: FaultEvent) => `fault #${f.index} (${FAULT_WORDS[f.kind](f)})`;
const faultName = (f: FaultEvent) => `${faultLabel(f)} at ${seconds(f.applied!.atMs)}`;

/**
 * One chain per payment that broke an invariant, in natural order of payment id.
 * `runLedger`: the whole run's ledger (every payment's), when at hand: a lost answer hits the next
 * charge the gateway makes, whichever payment's it is, so only the whole ledger tells which.
 * `runAttempts`: every payment's attempts read after the run (the record's evidence), for a
 * violation whose own history kept none.
 */
export function violationChains(
  result: ChaosResult,
  runLedger?: readonly LedgerEntry[] | null,
  runAttempts?: readonly InvocationAttempts[] | null,
): ViolationChain[] {
  const byPayment = new Map<string, ChaosViolation[]>();
  for (const v of result.violations) byPayment.set(v.paymentId, [...(byPayment.get(v.paymentId) ?? []), v]);
  return [...byPayment]
    .sort(([a], [b]) => naturalCompare(a, b))
    .map(([paymentId, violations]) => ({
      paymentId,
      broken: violations.map((v) => ({ invariant: v.invariant, summary: v.summary })),
      steps: chainOf(result, withAttempts(violations[0]!, runAttempts ?? null), runLedger ?? null),
    }));
}

/** A violation whose history kept no attempts (Restate did not answer then) takes them from the evidence read after the run, when it has them. */
function withAttempts(v: ChaosViolation, runAttempts: readonly InvocationAttempts[] | null): ChaosViolation {
  if (v.history.attempts.length > 0 || !runAttempts) return v;
  const own = runAttempts.filter((i) => i.target.split("/")[1] === v.paymentId);
  return own.length === 0 ? v : { ...v, history: { ...v.history, attempts: own } };
}

function chainOf(result: ChaosResult, v: ChaosViolation, runLedger: readonly LedgerEntry[] | null): ChainStep[] {
  const origin = Date.parse(result.startedAt);
  const rel = (iso: string | null | undefined) => {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(t) && Number.isFinite(origin) ? t - origin : null;
  };
  const windows: Window[] = v.history.attempts.flatMap((invocation) =>
    invocation.attempts.flatMap((attempt) => {
      const from = rel(attempt.startedAt ?? attempt.retryOf);
      return from === null ? [] : [{ invocation, attempt, from, to: rel(attempt.endedAt) ?? Infinity }];
    }),
  );
  const name = (w: Window) => `attempt ${w.attempt.number} of ${shortInvocation(w.invocation.invocationId)}`;
  const applied = v.history.faults.filter((f) => f.applied?.ok).sort((a, b) => a.applied!.atMs - b.applied!.atMs);
  const steps: ChainStep[] = [];

  // Each invocation's first attempt, with the requests Restate answered from it.
  for (const invocation of v.history.attempts) {
    const first = windows.find((w) => w.invocation === invocation);
    const requests = v.history.requests.filter((r) => r.invocationId === invocation.invocationId).map((r) => `#${r.index}`);
    const keys = [...new Set(v.history.requests.filter((r) => r.invocationId === invocation.invocationId).map((r) => r.idempotencyKey ?? "no key"))];
    steps.push({
      atMs: first?.from ?? null,
      kind: "start",
      text: `${shortInvocation(invocation.invocationId)} started${requests.length > 0 ? ` (request ${requests.join(", ")}, ${keys.map((k) => (k === "no key" ? k : `key ${k}`)).join(", ")})` : ""}`,
    });
  }

  // Every ledger row of the payment, tied to the attempt that was running when the gateway got it.
  // A run of this payment alone: its ledger is the whole run's.
  const whole = runLedger ?? (result.payments.every((p) => p.paymentId === v.paymentId) ? v.history.ledger : null);
  const charges = whole ? [...whole].filter((e) => e.type === "charge").sort((a, b) => Date.parse(a.at) - Date.parse(b.at)) : null;
  // A lost answer stays armed until the gateway's next charge, however long that is: the whole schedule's, not only the faults around the payment.
  const armed = result.schedule.filter((f) => f.kind === "lost-answer" && f.applied?.ok).sort((a, b) => a.applied!.atMs - b.applied!.atMs);
  const lostBy = (entry: LedgerEntry): { fault: FaultEvent; sure: boolean } | null => {
    const at = rel(entry.at);
    if (entry.type !== "charge" || at === null) return null;
    for (const f of [...armed].reverse()) {
      if (f.applied!.atMs > at) continue;
      if (charges) {
        // The fault takes the next `amount` charges the gateway records after it, any payment's.
        const hit = charges.filter((c) => (rel(c.at) ?? -Infinity) >= f.applied!.atMs).slice(0, f.amount);
        if (hit.some((c) => c.id === entry.id)) return { fault: f, sure: true };
      } else {
        // Without the whole ledger: the fault came before this charge and no charge of this payment came between.
        const between = v.history.ledger.some(
          (c) => c.type === "charge" && c.id !== entry.id && (rel(c.at) ?? -1) >= f.applied!.atMs && (rel(c.at) ?? Infinity) < at,
        );
        if (!between) return { fault: f, sure: false };
        return null;
      }
    }
    return null;
  };
  const tiedTo = new Map<string, Window>();
  for (const entry of [...v.history.ledger].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const at = rel(entry.requestedAt ?? entry.at);
    const candidates = at === null ? [] : windows.filter((w) => at >= w.from && at <= w.to);
    const by =
      candidates.length === 1
        ? `by ${name(candidates[0]!)}`
        : candidates.length === 0
          ? "by an attempt unknown (no recorded attempt of this payment was running then)"
          : `by an attempt unknown (${candidates.map(name).join(" and ")} were running then)`;
    if (candidates.length === 1) tiedTo.set(entry.id, candidates[0]!);
    const lost = lostBy(entry);
    const amount = `${(entry.amount / 100).toFixed(2)} ${entry.currency}`;
    steps.push({
      atMs: rel(entry.at),
      kind: "money",
      text:
        `${entry.id} ${entry.type === "charge" ? "charged" : "refunded"} ${amount} ${by}` +
        (lost ? `, its answer ${lost.sure ? "lost" : "possibly lost (the other payments' charges are not at hand)"} by ${faultName(lost.fault)}` : ""),
    });
  }

  // Two rows in one recorded attempt across a restart: Restate kept no failed attempt between them.
  const rows = [...tiedTo];
  for (let i = 1; i < rows.length; i++) {
    const [prevId, w] = rows[i - 1]!;
    const [id, w2] = rows[i]!;
    if (w !== w2) continue;
    const [a, b] = [prevId, id].map((x) => rel(v.history.ledger.find((e) => e.id === x)!.at) ?? 0);
    const kill = applied.find((f) => (f.kind === "restate-kill" || f.kind === "service-kill") && f.applied!.atMs > a! && f.applied!.atMs < b!);
    if (kill)
      steps.push({
        atMs: b!,
        kind: "note",
        text: `${prevId} and ${id} fall in one recorded attempt: across ${faultName(kill)}, Restate's records show no failed attempt between them`,
      });
  }

  // The faults that touched this payment's attempts.
  for (const f of applied) {
    const at = f.applied!.atMs;
    if (f.kind === "lost-answer") continue; // told on the charge it hit
    if (f.kind === "failing-calls") {
      const failed = windows.filter(
        (w) =>
          w.attempt.outcome === "failed" &&
          /503|unavailable/i.test(w.attempt.error?.message ?? "") &&
          w.to >= at &&
          lastBefore(applied, "failing-calls", w.to) === f,
      );
      if (failed.length > 0) steps.push({ atMs: at, kind: "fault", text: `${faultLabel(f)}: its 503 failed ${failed.map(name).join(", ")}` });
      continue;
    }
    const until = f.kind === "gateway-latency" ? at + f.durationMs : at;
    const running = windows.filter((w) => w.from <= until && w.to >= at);
    if (running.length === 0) continue;
    steps.push({ atMs: at, kind: "fault", text: `${faultLabel(f)} while ${running.map(name).join(" and ")} ran` });
  }

  // How each attempt ended: a failure and the retry after it, or the completion.
  for (const w of windows) {
    if (w.attempt.outcome === "failed") {
      const next = w.invocation.attempts.find((a) => a.number === w.attempt.number + 1);
      const first = w.attempt.error?.message.split("\n")[0] ?? "";
      const why = w.attempt.error ? ` (${first.length > 140 ? `${first.slice(0, 140)}…` : first})` : "";
      steps.push({
        atMs: w.to === Infinity ? null : w.to,
        kind: "failed",
        text: `${name(w)} failed${why}${next ? ` → Restate retried: attempt ${next.number}` : ""}`,
      });
    } else if (w.attempt.outcome === "completed") {
      steps.push({ atMs: w.to === Infinity ? null : w.to, kind: "completed", text: `${name(w)} completed` });
    } else {
      steps.push({ atMs: null, kind: "note", text: `${name(w)} was still ${w.attempt.outcome} when the run was judged` });
    }
  }
  const order: Record<ChainStep["kind"], number> = { start: 0, fault: 1, money: 2, note: 3, failed: 4, completed: 5 };
  return steps.sort((a, b) => (a.atMs ?? Infinity) - (b.atMs ?? Infinity) || order[a.kind] - order[b.kind]);
}

function lastBefore(faults: FaultEvent[], kind: FaultEvent["kind"], atMs: number): FaultEvent | undefined {
  return faults.filter((f) => f.kind === kind && f.applied!.atMs <= atMs).at(-1);
}

/** The chain in one line of text: each step with its time, joined by arrows. */
export function chainLine(chain: ViolationChain): string {
  return chain.steps.map(stepText).join(" → ");
}

export function stepText(s: ChainStep): string {
  return s.atMs === null ? s.text : `${seconds(s.atMs)} ${s.text}`;
}
