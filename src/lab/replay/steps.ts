// The plan steps that are not requests: the crash of the service, admin calls (retention,
// kill, cancel) and waits until Restate's records or the gateway show something. Each says
// what happened as an event of the run, so that its explanation can tell it.
import { LabError } from "../errors.js";
import { poll } from "../poll.js";
import { idempotencyRetention, invocationAction, query, setIdempotencyRetention, stopInvocation } from "../restate-admin.js";
import { receiptsOf, setFaults } from "./gateway.js";
import type { LabTarget } from "./target.js";
import type { PlanEvent, RequestOutcome, ServiceName } from "./types.js";

/** Past this, an idempotency-expires is not waited for: the run did not shorten that retention. */
const EXPIRY_WAIT_LIMIT_MS = 120_000;
/** The lab's cleaner runs every 5 s; a minute leaves room for a busy machine. */
const REMOVAL_DEADLINE_MS = 60_000;
const RECEIPT_DEADLINE_MS = 15_000;
const JOURNAL_DEADLINE_MS = 30_000;
/** A handler with a retry policy of a few attempts pauses within seconds; a busy machine gets room. */
const PAUSE_DEADLINE_MS = 60_000;

type RetentionEvent = Extract<PlanEvent, { kind: "retention" }>;
type WaitEvent = Extract<PlanEvent, { kind: "wait" }>;

export interface StepContext {
  target: LabTarget;
  paymentId: string;
  /** The run's shared idempotency key. */
  sharedKey: string;
  /** Milliseconds since the start of the scenario. */
  now: () => number;
  signal?: AbortSignal;
}

/** Polls `check` until it gives a value, or the deadline passes (null). A stopped run throws. */
function pollFor<T>(check: () => Promise<T | null>, deadlineMs: number, signal: AbortSignal | undefined, everyMs: number, what: string): Promise<T | null> {
  return poll<T | null>(
    async () => {
      if (signal?.aborted) throw new LabError("The replay was stopped", "Run it again when you are ready.");
      return check().catch(() => null);
    },
    { what, everyMs, timeoutMs: deadlineMs, onTimeout: () => null },
  );
}

/** The invocation of the payment whose journal shows the named ctx.run step (started, or completed); null if it never did. */
export function journaled(ctx: StepContext, when: { run: string; state: "started" | "completed" }, paymentId = ctx.paymentId): Promise<string | null> {
  return pollFor(
    async () => {
      const rows = await query<{ id: string; entry_type: string; name: string | null; entry_json: string }>(
        ctx.target.admin,
        `SELECT j.id, j.entry_type, j.name, j.entry_json FROM sys_journal j JOIN sys_invocation i ON j.id = i.id WHERE i.target_service_key = '${paymentId}' ORDER BY j.index`,
        { credential: ctx.target.credential },
      );
      const command = rows.find((r) => r.entry_type === "Command: Run" && r.name === when.run);
      if (!command) return null;
      if (when.state === "started") return command.id;
      const completion = (JSON.parse(command.entry_json) as { Command: { Run: { completion_id: number } } }).Command.Run.completion_id;
      const done = rows.some((r) => r.id === command.id && r.entry_type === "Notification: Run" && r.entry_json.includes(`"completion_id":${completion},`));
      return done ? command.id : null;
    },
    JOURNAL_DEADLINE_MS,
    ctx.signal,
    25,
    `ctx.run "${when.run}" in the journal`,
  );
}

/** Waits until Restate's journal shows the named ctx.run step, then kills the service; null if the step never showed. */
export async function crashWhenJournaled(ctx: StepContext, when: { run: string; state: "started" | "completed" }): Promise<PlanEvent | null> {
  if ((await journaled(ctx, when)) === null) return null;
  const atMs = ctx.now();
  await ctx.target.crashService!();
  // The slow step that held the window open is not part of the lesson: let the retry finish quickly.
  await setFaults(ctx.target, null);
  return { kind: "crash", atMs, run: when.run, state: when.state };
}

/** Kills or cancels the payment's invocation once its journal shows the step, through the admin API. */
export async function stopWhenJournaled(
  ctx: StepContext,
  how: "kill" | "cancel",
  when: { run: string; state: "started" },
  paymentId = ctx.paymentId,
): Promise<PlanEvent> {
  const invocationId = await journaled(ctx, when, paymentId);
  if (invocationId === null) throw new Error(`the journal of ${paymentId} never showed ctx.run "${when.run}": there was nothing to ${how}`);
  const atMs = ctx.now();
  const status = await stopInvocation(ctx.target.admin, invocationId, how, { credential: ctx.target.credential });
  // The slow step that held the invocation open is not part of the lesson.
  await setFaults(ctx.target, null);
  return { kind: "stop", atMs, how, invocationId, status };
}

/** Purges, resumes or restarts as new an invocation through the admin API. */
export async function adminAction(ctx: StepContext, action: "purge" | "resume" | "restart-as-new", invocationId: string): Promise<PlanEvent> {
  const atMs = ctx.now();
  const options = { credential: ctx.target.credential };
  const { status, newInvocationId } = await invocationAction(ctx.target.admin, invocationId, action, options);
  // The ledger is read once the plan ends: a restarted invocation must have done its work by then.
  if (newInvocationId && /^inv_[A-Za-z0-9]+$/.test(newInvocationId)) {
    const done = await pollFor(
      async () =>
        (await query<{ status: string }>(ctx.target.admin, `SELECT status FROM sys_invocation WHERE id = '${newInvocationId}'`, options))[0]?.status ===
        "completed"
          ? true
          : null,
      JOURNAL_DEADLINE_MS,
      ctx.signal,
      100,
      "the restarted invocation to complete",
    );
    if (done === null) throw new Error(`the invocation restarted as ${newInvocationId} did not complete within ${JOURNAL_DEADLINE_MS / 1000} s`);
  }
  return { kind: "stop", atMs, how: action, invocationId, status, ...(newInvocationId ? { newInvocationId } : {}) };
}

/** Sets a service's idempotency retention; `restore` puts the previous value back and marks the event. */
export async function setRetention(
  ctx: StepContext,
  service: ServiceName,
  retention: string,
): Promise<{ event: RetentionEvent; restore: () => Promise<void> }> {
  const options = { credential: ctx.target.credential };
  const previous = await idempotencyRetention(ctx.target.admin, service, options);
  const set = await setIdempotencyRetention(ctx.target.admin, service, retention, options);
  const event: RetentionEvent = { kind: "retention", atMs: ctx.now(), service, previous, set, restored: false };
  const restore = async () => {
    await setIdempotencyRetention(ctx.target.admin, service, previous, options);
    event.restored = true;
  };
  return { event, restore };
}

/** Waits for a moment the scenario needs: an expiry, the cleaner's removal of an entry, a receipt. */
export async function waitUntil(ctx: StepContext, until: WaitEvent["until"], requests: readonly RequestOutcome[]): Promise<WaitEvent> {
  const started = Date.now();
  const event = (reached: boolean, more: Partial<WaitEvent> = {}): WaitEvent => ({
    kind: "wait",
    atMs: ctx.now(),
    until,
    reached,
    waitedMs: Date.now() - started,
    ...more,
  });
  switch (until) {
    case "expiry": {
      const last = [...requests].reverse().find((r) => r.expires !== undefined);
      if (!last?.expires) return event(false);
      const more = { expires: last.expires, ...(last.invocationId ? { invocationId: last.invocationId } : {}) };
      const wait = Date.parse(last.expires) - Date.now() + 250;
      if (!Number.isFinite(wait) || wait > EXPIRY_WAIT_LIMIT_MS) return event(false, more);
      const reached = await pollFor(async () => (Date.now() - Date.parse(last.expires!) > 250 ? true : null), wait + 5000, ctx.signal, 50, "the key's expiry");
      return event(reached !== null, more);
    }
    case "removal": {
      const first = requests.find((r) => r.idempotencyKey === ctx.sharedKey && r.invocationId !== null);
      if (!first?.invocationId || !/^inv_[A-Za-z0-9]+$/.test(first.invocationId)) return event(false);
      const id = first.invocationId;
      const gone = await pollFor(
        async () =>
          (await query(ctx.target.admin, `SELECT id FROM sys_invocation WHERE id = '${id}'`, { credential: ctx.target.credential })).length === 0 ? true : null,
        REMOVAL_DEADLINE_MS,
        ctx.signal,
        100,
        "Restate's cleaner to remove the key",
      );
      return event(gone !== null, { invocationId: id });
    }
    case "paused": {
      const paused = await pollFor(
        async () =>
          (
            await query<{ id: string }>(ctx.target.admin, `SELECT id FROM sys_invocation WHERE target_service_key = '${ctx.paymentId}' AND status = 'paused'`, {
              credential: ctx.target.credential,
            })
          )[0]?.id ?? null,
        PAUSE_DEADLINE_MS,
        ctx.signal,
        100,
        "Restate to pause the invocation",
      );
      return event(paused !== null, paused ? { invocationId: paused } : {});
    }
    case "receipt": {
      const sent = await pollFor(async () => (await receiptsOf(ctx.target, ctx.paymentId))[0] ?? null, RECEIPT_DEADLINE_MS, ctx.signal, 100, "the receipt");
      return event(sent !== null, sent ? { recordedAt: sent.at } : {});
    }
  }
}
