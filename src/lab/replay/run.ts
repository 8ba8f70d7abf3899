// Carries out a scenario's plan against a live lab and gathers the ground truth: the
// answers, Restate's own record of the invocations, and the gateway's ledger.
import { randomBytes } from "node:crypto";
import { MAX_CONCURRENCY, MAX_COUNT } from "../../shared/protocol.js";
import { formatCount } from "../../shared/wording.js";
import { LabError } from "../errors.js";
import { poll } from "../poll.js";
import { authHeaders } from "../origins.js";
import { query } from "../restate-admin.js";
import { distinctInvocations, distinctResponses, evaluate, verdictOf, type Observations } from "./invariants.js";
import { attemptsOf } from "./attempts.js";
import { classify, pool, sendOne } from "./send.js";
import { getFaults, ledgerFor, receiptsFor, setFaults } from "./gateway.js";
import type { LabTarget } from "./target.js";
import type { InvocationRow, RequestOutcome, RequestStep, Scenario, ScenarioResult } from "./types.js";

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
}

export function checkRunOptions(scenario: Scenario, options: RunOptions): { count: number; concurrency: number } {
  const count = options.count ?? scenario.defaults.count;
  const concurrency = options.concurrency ?? scenario.defaults.concurrency;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new LabError(`count must be a whole number from 1 to ${formatCount(MAX_COUNT)}, got ${count}`, `Pass a count between 1 and ${formatCount(MAX_COUNT)}.`);
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
  const { count, concurrency } = checkRunOptions(scenario, options);
  const runId = randomBytes(4).toString("hex");
  const paymentId = options.paymentId ?? `pay-${runId}`;
  const sharedKey = options.idempotencyKey ?? `${scenario.id}-${runId}`;
  const startedAt = new Date();
  const origin = performance.now();

  if (scenario.needsLocalService && !target.crashService) return skipped(scenario, startedAt, "needs the lab's own service process (it kills it), which a remote Restate does not have");

  const requests: RequestOutcome[] = [];
  const notes: string[] = [];
  let lostAnswerPlanned = false;
  let serviceCrashed = false;
  let answered = 0;
  const onAnswered = () => options.onProgress?.(++answered, total);
  const total = scenario.plan.reduce((n, s) => n + (s.kind === "requests" ? (s.count === "options" ? count : s.count) : s.kind === "attach" ? 1 : 0), 0);

  let lostAnswerInjected: boolean;
  await setFaults(target, null);
  try {
    for (const [stepIndex, step] of scenario.plan.entries()) {
      if (options.signal?.aborted) throw new LabError("The replay was stopped", "Run it again when you are ready.");
      if (step.kind === "faults") {
        await setFaults(target, step.faults);
        if ((step.faults.timeoutAfterCharge ?? 0) > 0) lostAnswerPlanned = true;
      } else if (step.kind === "attach") {
        const sent = requests.find((r) => r.invocationId !== null);
        if (!sent) throw new Error("nothing to attach to: no earlier request got an invocation id");
        requests.push(
          await sendOne({
            index: requests.length,
            step: stepIndex,
            ingress: target.ingress,
            method: "GET",
            path: `/restate/invocation/${sent.invocationId}/attach`,
            paymentId,
            idempotencyKey: null,
            body: null,
            headers: authHeaders(target.credential, target.ingress),
            origin,
          }).then((o) => (o.answer === "executed" ? { ...o, answer: "attached" as const } : o)),
        );
        onAnswered();
      } else {
        const crash = step.crashServiceAfter ? crashWhenJournaled(target, paymentId, step.crashServiceAfter) : null;
        const outcomes = await sendStep(target, step, stepIndex, {
          count: step.count === "options" ? count : step.count,
          concurrency: step.concurrency === "options" ? concurrency : step.concurrency,
          body: step.count === "options" && options.body !== undefined ? options.body : step.body,
          paymentId,
          sharedKey,
          firstIndex: requests.length,
          origin,
          onAnswered,
        });
        requests.push(...outcomes);
        if (crash) serviceCrashed = await crash;
      }
    }
  } finally {
    const after = await getFaults(target).catch(() => null);
    await setFaults(target, null).catch(() => {});
    lostAnswerInjected = lostAnswerPlanned && after?.timeoutAfterCharge === 0;
  }

  const settled = classify(requests);
  const [ledger, receipts, invocations] = await Promise.all([
    ledgerFor(target, paymentId),
    receiptsFor(target, paymentId),
    invocationsFor(target, paymentId, new Set(settled.map((r) => r.idempotencyKey).filter((k) => k !== null))),
  ]);
  // Restate's own account of every attempt; a run still tells its story without it.
  const attempts = await attemptsOf(target.admin, [paymentId], ledger, target.credential).catch((err: Error) => {
    notes.push(`Restate's record of attempts could not be read: ${err.message}`);
    return undefined;
  });
  const charges = ledger.filter((e) => e.type === "charge").length;
  const refunds = ledger.filter((e) => e.type === "refund").length;
  const observations: Observations = {
    requests: settled,
    charges,
    refunds,
    receipts,
    restateInvocations: invocations.filter((i) => i.userKey).length,
    lostAnswerInjected,
    serviceCrashed,
    count,
  };
  const invariants = scenario.invariants.map((spec) => evaluate(spec, observations));
  const verdict = verdictOf(scenario.kind, invariants);
  const asExpected = verdict === (scenario.kind === "idempotent" ? "safe" : "unsafe");
  if (!asExpected) {
    const failed = invariants.filter((i) => !i.ok).map((i) => `${i.name}: expected ${i.expected}, observed ${i.observed}`);
    notes.push(`Not what this scenario expects: ${failed.join("; ")}.`);
  }
  if (scenario.id === "same-key-different-body") {
    const [first, second] = settled;
    if (first && second) {
      notes.push(
        `Request 2 asked for ${describeBody(second.body)} with key ${sharedKey} and got ${describeBody(second.response)} (status ${second.status}).`,
      );
    }
  }
  if (charges > 1) notes.push(`The gateway's ledger shows ${charges} charges for payment ${paymentId}: ${ledger.filter((e) => e.type === "charge").map((e) => e.id).join(", ")}.`);

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
    explanation: asExpected
      ? (scenario.explanation.fromRun?.(settled) ?? scenario.explanation.asExpected)
      : (scenario.explanation.otherwise ?? "This run did not show what the lesson expects: see the invariants and the log."),
    notes,
    paymentIds: [paymentId],
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - origin),
    ledger,
    invocations,
    requestsDetail: settled,
    ...(attempts ? { attempts: attempts.invocations, ledgerLinks: attempts.ledgerLinks } : {}),
  };
}

async function sendStep(
  target: LabTarget,
  step: RequestStep,
  stepIndex: number,
  p: { count: number; concurrency: number; body: unknown; paymentId: string; sharedKey: string; firstIndex: number; origin: number; onAnswered: () => void },
): Promise<RequestOutcome[]> {
  const path = `/${step.service}/${encodeURIComponent(p.paymentId)}/${step.handler}${step.via === "send" ? "/send" : ""}`;
  return pool(p.count, p.concurrency, async (i) => {
    const outcome = await sendOne({
      index: p.firstIndex + i,
      step: stepIndex,
      ingress: target.ingress,
      method: "POST",
      path,
      paymentId: p.paymentId,
      idempotencyKey: step.key === "shared" ? p.sharedKey : step.key === "per-request" ? `${p.sharedKey}-${i}` : null,
      body: p.body,
      clientTimeoutMs: step.clientTimeoutMs,
      headers: authHeaders(target.credential, target.ingress),
      origin: p.origin,
    });
    p.onAnswered();
    return outcome;
  });
}

/** Waits until Restate's journal shows the named ctx.run step, then kills the service; false when it never shows within 30 s. */
async function crashWhenJournaled(target: LabTarget, paymentId: string, when: { run: string; state: "started" | "completed" }): Promise<boolean> {
  const isJournaled = async () => {
    const rows = await query<{ entry_type: string; name: string | null; entry_json: string }>(
      target.admin,
      `SELECT j.entry_type, j.name, j.entry_json FROM sys_journal j JOIN sys_invocation i ON j.id = i.id WHERE i.target_service_key = '${paymentId}' ORDER BY j.index`,
      { credential: target.credential },
    ).catch(() => []);
    const command = rows.find((r) => r.entry_type === "Command: Run" && r.name === when.run);
    if (!command) return false;
    const id = (JSON.parse(command.entry_json) as { Command: { Run: { completion_id: number } } }).Command.Run.completion_id;
    return when.state === "started" || rows.some((r) => r.entry_type === "Notification: Run" && r.entry_json.includes(`"completion_id":${id},`));
  };
  if (!(await poll(isJournaled, { what: `"${when.run}" in the journal`, everyMs: 25, timeoutMs: 30_000, onTimeout: () => false }))) return false;
  await target.crashService!();
  // The slow step that held the window open is not part of the lesson: let the retry finish quickly.
  await setFaults(target, null);
  return true;
}

async function invocationsFor(target: LabTarget, paymentId: string, userKeys: Set<string>): Promise<InvocationRow[]> {
  const rows = await query<Omit<InvocationRow, "userKey">>(
    target.admin,
    `SELECT id, target, status, idempotency_key, completion_result, retry_count, created_at FROM sys_invocation WHERE target_service_key = '${paymentId}' ORDER BY created_at`,
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
