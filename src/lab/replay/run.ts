// Runs a scenario against a live lab and judges it by the ground truth: the answers, Restate's
// own record of the invocations and their attempts, and the gateway's ledger.
import { randomBytes } from "node:crypto";
import { MAX_CONCURRENCY, MAX_COUNT, STOPPED_BY_LEARNER } from "../../shared/protocol.js";
import { formatCount } from "../../shared/wording.js";
import { LabError } from "../errors.js";
import { readLabFile } from "../lab-files.js";
import { query } from "../restate-admin.js";
import { attemptsOf } from "./attempts.js";
import { ledgerFor, receiptsFor } from "./gateway.js";
import { distinctInvocations, distinctResponses, evaluate, verdictOf, type Observations } from "./invariants.js";
import { executePlan } from "./plan.js";
import { classify } from "./send.js";
import type { LabTarget } from "./target.js";
import type { InvocationRow, LedgerEntry, RequestOutcome, RunFacts, Scenario, ScenarioResult } from "./types.js";

export interface RunOptions {
  count?: number;
  concurrency?: number;
  /** Replaces the body of the scenario's requests that take the user's options. */
  body?: unknown;
  /** A payment id of the user's instead of a fresh one (its earlier charges then count too). */
  paymentId?: string;
  /** The idempotency key for "shared" requests instead of a generated one. */
  idempotencyKey?: string;
  /** Called as requests are answered, for progress displays. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /**
   * Aborts when the lab stops during the run (its reason says so): the run ends at once and its
   * result, marked incomplete, holds what happened until then.
   */
  labStopped?: AbortSignal;
}

export function checkRunOptions(scenario: Scenario, options: RunOptions): { count: number; concurrency: number } {
  const count = options.count ?? scenario.defaults.count;
  const concurrency = options.concurrency ?? scenario.defaults.concurrency;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new LabError(
      `count must be a whole number from 1 to ${formatCount(MAX_COUNT)}, got ${count}`,
      `Pass a count between 1 and ${formatCount(MAX_COUNT)}.`,
    );
  }
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new LabError(
      `concurrency must be a whole number from 1 to ${formatCount(MAX_CONCURRENCY)}, got ${concurrency}`,
      `Pass a concurrency between 1 and ${formatCount(MAX_CONCURRENCY)}.`,
    );
  }
  return { count, concurrency };
}

export async function runScenario(target: LabTarget, scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  return runChecked(target, scenario, { ...options, ...checkRunOptions(scenario, options) });
}

/** runScenario for options checkRunOptions already took (replay() checks a request once, before anything runs). */
export async function runChecked(target: LabTarget, scenario: Scenario, options: RunOptions & { count: number; concurrency: number }): Promise<ScenarioResult> {
  const { count, concurrency } = options;
  const runId = randomBytes(4).toString("hex");
  const paymentId = options.paymentId ?? `pay-${runId}`;
  const sharedKey = options.idempotencyKey ?? `${scenario.id}-${runId}`;
  const startedAt = new Date();
  const origin = performance.now();

  if (scenario.needsLocalService && !target.crashService)
    return skipped(scenario, startedAt, "needs the lab's own service process (it kills it), which a remote Restate does not have");
  if (scenario.needsLabRestate && !target.ownRestate) return skipped(scenario, startedAt, scenario.needsLabRestate);

  const plan = await executePlan({
    target,
    scenario,
    count,
    concurrency,
    body: options.body,
    paymentId,
    otherPaymentId: `${paymentId}-other`,
    sharedKey,
    origin,
    signal: options.signal,
    labStopped: options.labStopped,
    onProgress: options.onProgress,
  });
  const notes = plan.notes;
  const settled = classify(plan.requests);
  const userKeys = new Set(settled.map((r) => r.idempotencyKey).filter((k) => k !== null));
  const stopped = () => options.labStopped?.aborted === true;
  let gathered: Gathered | null = null;
  try {
    if (!plan.cutShort) gathered = await gather(target, plan.paymentIds, userKeys, notes);
  } catch (err) {
    if (!stopped()) throw err;
  }
  // The lab went away (during the run, or as its records were read): what the ledger file holds.
  const cutShort = gathered === null;
  if (cutShort) notes.push("Restate's records and the gateway's receipts were not read: the lab had stopped.");
  const { ledger, receipts, receiptsByPayment, invocations, attempts } = gathered ?? {
    ledger: ledgerFromFile(target, plan.paymentIds, notes),
    receipts: 0,
    receiptsByPayment: {},
    invocations: [],
    attempts: undefined,
  };
  const reason = cutShort ? String(options.labStopped!.reason) : plan.stoppedEarly ? STOPPED_BY_LEARNER : null;
  const incomplete =
    reason !== null ? { reason, planned: plan.planned, sent: settled.length, answered: settled.filter((r) => r.status !== null).length } : undefined;
  const charges = ledger.filter((e) => e.type === "charge").length;
  const refunds = ledger.filter((e) => e.type === "refund").length;
  const observations: Observations = {
    requests: settled,
    ledger,
    events: plan.events,
    charges,
    refunds,
    receipts,
    receiptsByPayment,
    restateInvocations: invocations.filter((i) => i.userKey).length,
    lostAnswerInjected: plan.lostAnswerInjected,
    serviceCrashed: plan.serviceCrashed,
    count,
  };
  const invariants = scenario.invariants.map((spec) => evaluate(spec, observations));
  // Part of a run shows no lesson: it is never called safe (or the anti-pattern's flaw shown).
  const verdict = incomplete ? "unexpected" : verdictOf(scenario.kind, invariants);
  const asExpected = verdict === (scenario.kind === "idempotent" ? "safe" : "unsafe");
  if (incomplete) {
    notes.unshift(
      `Incomplete: ${incomplete.reason}. ${formatCount(incomplete.sent)} of ${formatCount(incomplete.planned)} requests were sent and ${formatCount(incomplete.answered)} answered; this result covers only those.`,
    );
  } else if (!asExpected) {
    const failed = invariants.filter((i) => !i.ok).map((i) => `${i.name}: expected ${i.expected}, observed ${i.observed}`);
    notes.push(`Not what this scenario expects: ${failed.join("; ")}.`);
  }
  if (scenario.id === "same-key-different-body") {
    const [first, second] = settled;
    if (first && second) {
      notes.push(`Request 2 asked for ${describeBody(second.body)} with key ${sharedKey} and got ${describeBody(second.response)} (status ${second.status}).`);
    }
  }
  for (const id of plan.paymentIds) {
    const charged = ledger.filter((e) => e.type === "charge" && e.paymentId === id);
    if (charged.length > 1) notes.push(`The gateway's ledger shows ${charged.length} charges for payment ${id}: ${charged.map((e) => e.id).join(", ")}.`);
  }
  const facts = runFacts(settled, { ledger, events: plan.events, attempts: attempts?.invocations ?? [], invocations, startedAtMs: startedAt.getTime() });

  return {
    id: scenario.id,
    title: scenario.title,
    lesson: scenario.lesson,
    kind: scenario.kind,
    verdict,
    expectedVerdict: scenario.kind === "idempotent" ? "safe" : "unsafe",
    requests: settled.length,
    distinctResponses: distinctResponses(settled),
    distinctInvocations: distinctInvocations(settled),
    charges,
    refunds,
    invariants,
    explanation: incomplete
      ? `This run is incomplete: ${incomplete.reason}, after ${formatCount(incomplete.sent)} of ${formatCount(incomplete.planned)} requests. ${incomplete.reason === STOPPED_BY_LEARNER ? "Run it again" : "Start the lab and run it again"} for a verdict.`
      : asExpected
        ? (scenario.explanation.fromRun?.(settled, facts) ?? scenario.explanation.asExpected)
        : (scenario.explanation.otherwise ?? "This run did not show what the lesson expects: see the invariants and the log."),
    notes,
    paymentIds: plan.paymentIds,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - origin),
    ledger,
    invocations,
    requestsDetail: settled,
    ...(attempts ? { attempts: attempts.invocations, ledgerLinks: attempts.ledgerLinks } : {}),
    ...(plan.events.length > 0 ? { events: plan.events } : {}),
    ...(incomplete ? { incomplete } : {}),
  };
}

interface Gathered {
  ledger: LedgerEntry[];
  receipts: number;
  /** Per payment id. */
  receiptsByPayment: Record<string, number>;
  invocations: InvocationRow[];
  attempts: Awaited<ReturnType<typeof attemptsOf>> | undefined;
}

/** The ground truth of a run: the gateway's ledger and receipts, Restate's invocations and their attempts. */
async function gather(target: LabTarget, paymentIds: string[], userKeys: Set<string>, notes: string[]): Promise<Gathered> {
  const [ledger, receiptCounts, invocations] = await Promise.all([
    Promise.all(paymentIds.map((id) => ledgerFor(target, id))).then(byTime),
    Promise.all(paymentIds.map((id) => receiptsFor(target, id))),
    invocationsFor(target, paymentIds, userKeys),
  ]);
  const receipts = receiptCounts.reduce((a, b) => a + b, 0);
  const receiptsByPayment = Object.fromEntries(paymentIds.map((id, i) => [id, receiptCounts[i] ?? 0]));
  // Restate's own account of every attempt; a run still tells its story without it.
  const attempts = await attemptsOf(target.admin, paymentIds, ledger, target.credential).catch((err: Error) => {
    notes.push(`Restate's record of attempts could not be read: ${err.message}`);
    return undefined;
  });
  return { ledger, receipts, receiptsByPayment, invocations, attempts };
}

/** The run's entries of the gateway's ledger, read from its file (the gateway has stopped); [] with a note when there is none. */
function ledgerFromFile(target: LabTarget, paymentIds: string[], notes: string[]): LedgerEntry[] {
  const ids = new Set(paymentIds);
  let text: string | null = null;
  try {
    text = target.ledgerFile ? readLabFile(target.ledgerFile) : null;
  } catch (err) {
    notes.push(`The gateway's ledger could not be read: ${(err as Error).message}`);
  }
  if (text === null) return [];
  const entries: LedgerEntry[] = [];
  for (const line of text.split("\n")) {
    try {
      const entry = JSON.parse(line) as LedgerEntry;
      if (ids.has(entry.paymentId) && (entry.type === "charge" || entry.type === "refund")) entries.push(entry);
    } catch {
      // a torn last line: the gateway never answered for it
    }
  }
  return byTime([entries]);
}

/** What an explanation is told from. */
export function runFacts(requests: RequestOutcome[], more: Partial<Omit<RunFacts, "requests" | "of">> = {}): RunFacts {
  return {
    requests,
    ledger: more.ledger ?? [],
    events: more.events ?? [],
    attempts: more.attempts ?? [],
    invocations: more.invocations ?? [],
    startedAtMs: more.startedAtMs ?? 0,
    of: (label) => requests.filter((r) => r.label === label),
  };
}

function byTime(ledgers: LedgerEntry[][]): LedgerEntry[] {
  return ledgers.flat().sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

async function invocationsFor(target: LabTarget, paymentIds: string[], userKeys: Set<string>): Promise<InvocationRow[]> {
  // Payment ids go into SQL text: the lab's own (protocol-checked) never hold a quote.
  const keys = paymentIds.filter((k) => /^[A-Za-z0-9._~-]+$/.test(k)).map((k) => `'${k}'`);
  if (keys.length === 0) return [];
  const rows = await query<Omit<InvocationRow, "userKey">>(
    target.admin,
    `SELECT id, target, status, idempotency_key, completion_result, retry_count, created_at FROM sys_invocation WHERE target_service_key IN (${keys.join(", ")}) ORDER BY created_at`,
    { credential: target.credential },
  );
  return rows.map((r) => ({
    id: r.id,
    target: r.target,
    status: r.status,
    idempotency_key: r.idempotency_key ?? null,
    completion_result: r.completion_result ?? null,
    retry_count: r.retry_count === undefined || r.retry_count === null ? null : Number(r.retry_count),
    created_at: r.created_at,
    userKey: r.idempotency_key !== undefined && r.idempotency_key !== null && userKeys.has(r.idempotency_key),
  }));
}

function skipped(scenario: Scenario, startedAt: Date, why: string): ScenarioResult {
  return {
    id: scenario.id,
    title: scenario.title,
    lesson: scenario.lesson,
    kind: scenario.kind,
    verdict: "skipped",
    expectedVerdict: scenario.kind === "idempotent" ? "safe" : "unsafe",
    requests: 0,
    distinctResponses: 0,
    distinctInvocations: 0,
    charges: 0,
    refunds: 0,
    invariants: [],
    explanation: `Skipped: this scenario ${why}.`,
    notes: [],
    paymentIds: [],
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    ledger: [],
    invocations: [],
    requestsDetail: [],
  };
}

function describeBody(body: unknown): string {
  const b = body as { amount?: unknown; currency?: unknown } | null;
  return typeof b?.amount === "number" && typeof b.currency === "string" ? `${b.amount} ${b.currency}` : JSON.stringify(body);
}
