// Carries out a scenario's plan against a live lab, step by step: requests (waited for, or left
// in flight while later steps run), gateway faults, admin calls and waits. It returns what the
// run did; run.ts gathers the ground truth and judges it.
import { authHeaders } from "../origins.js";
import { getFaults, setFaults } from "./gateway.js";
import { pool, sendOne } from "./send.js";
import { adminAction, crashWhenJournaled, setRetention, stopWhenJournaled, waitUntil, type StepContext } from "./steps.js";
import type { LabTarget } from "./target.js";
import type { PlanEvent, PlanStep, RequestOutcome, RequestStep, Scenario } from "./types.js";

export interface PlanInput {
  target: LabTarget;
  scenario: Scenario;
  count: number;
  concurrency: number;
  /** Replaces the body of the steps that take the user's options. */
  body?: unknown;
  paymentId: string;
  /** The run's second payment id, for steps with object "other". */
  otherPaymentId: string;
  sharedKey: string;
  /** performance.now() at the start of the scenario. */
  origin: number;
  signal?: AbortSignal;
  /** Aborts when the lab stops: no further request is sent, those in flight are abandoned, and the plan ends early. */
  labStopped?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface PlanOutcome {
  /** In the order they were sent (index), not yet classified. */
  requests: RequestOutcome[];
  events: PlanEvent[];
  notes: string[];
  lostAnswerInjected: boolean;
  serviceCrashed: boolean;
  /** The payment ids the plan's requests went to, the run's own first. */
  paymentIds: string[];
  /** How many requests the plan would send in full. */
  planned: number;
  /** True when the lab stopped before the plan's end (the requests are those sent until then). */
  cutShort: boolean;
  /** True when the learner stopped the run (its signal) before the plan's end: no request or step started after. */
  stoppedEarly: boolean;
}

/** The run's second idempotency key (KeyPlan "second"). */
export const secondKey = (sharedKey: string) => `${sharedKey}-second`;

export async function executePlan(input: PlanInput): Promise<PlanOutcome> {
  const { target, scenario } = input;
  const requests: RequestOutcome[] = [];
  const events: PlanEvent[] = [];
  const notes: string[] = [];
  const inFlight: Promise<void>[] = [];
  const restores: Array<() => Promise<void>> = [];
  const stopped = () => input.labStopped?.aborted === true;
  // The learner's Stop: no request or step starts after it; those in flight end as they would.
  const halted = () => stopped() || input.signal?.aborted === true;
  const ctx: StepContext = {
    target,
    paymentId: input.paymentId,
    sharedKey: input.sharedKey,
    now: () => Math.round(performance.now() - input.origin),
    // A wait of the plan (for a journal entry, an expiry) ends when the lab stops, too.
    signal: anySignal(input.signal, input.labStopped),
  };
  const sizeOf = (step: RequestStep) => (step.count === "options" ? input.count : step.count);
  const total = input.scenario.plan.reduce((n, s) => n + (s.kind === "requests" ? sizeOf(s) : s.kind === "attach" ? 1 : 0), 0);
  let answered = 0;
  const onAnswered = () => input.onProgress?.(++answered, total);
  let nextIndex = 0;
  let lostAnswerPlanned = false;
  let lostAnswerInjected: boolean;
  let serviceCrashed = false;
  const ordered = () => [...requests].sort((a, b) => a.index - b.index);

  await setFaults(target, null).catch((err: unknown) => {
    if (!stopped()) throw err; // a lab that stopped as the run began: the run ends at once, incomplete
  });
  let finished = false;
  try {
    for (const [stepIndex, step] of scenario.plan.entries()) {
      if (halted()) break;
      switch (step.kind) {
        case "faults":
          await setFaults(target, step.faults);
          if ((step.faults.timeoutAfterCharge ?? 0) > 0) lostAnswerPlanned = true;
          break;
        case "attach":
          requests.push(await attach(input, step, stepIndex, nextIndex++, ordered()));
          onAnswered();
          break;
        case "requests": {
          const crash = step.crashServiceAfter ? crashWhenJournaled(ctx, step.crashServiceAfter) : null;
          const firstIndex = nextIndex;
          nextIndex += sizeOf(step);
          const sending = sendStep(input, step, stepIndex, firstIndex, onAnswered).then((outcomes) => void requests.push(...outcomes));
          if (step.inFlight) inFlight.push(sending);
          else await sending;
          const crashed = crash ? await crash.catch((err: unknown) => (stopped() ? null : Promise.reject(err))) : null;
          if (crashed) {
            serviceCrashed = true;
            events.push(crashed);
          }
          break;
        }
        case "settle":
          await Promise.all(inFlight.splice(0));
          break;
        case "retention": {
          const { event, restore } = await setRetention(ctx, step.service, step.retention);
          events.push(event);
          restores.push(restore);
          break;
        }
        case "stop":
          events.push(await stopWhenJournaled(ctx, step.how, step.when, step.object === "other" ? input.otherPaymentId : input.paymentId));
          break;
        case "admin":
          events.push(await adminAction(ctx, step.action, adminTarget(step, ordered(), events)));
          break;
        case "wait":
          events.push(await waitUntil(ctx, step.until, ordered()));
          break;
      }
    }
    finished = true;
  } catch (err) {
    // A step that failed because the lab went away or the learner stopped it: the run ends here, marked incomplete.
    if (!halted()) throw err;
  } finally {
    // sendOne never throws: requests still in flight settle, whatever stopped the plan.
    await Promise.all(inFlight.splice(0));
    // A gateway that is stopping may take a connection and never answer: no more calls to it.
    const after = stopped() ? null : await getFaults(target).catch(() => null);
    if (!stopped()) await setFaults(target, null).catch(() => {});
    lostAnswerInjected = lostAnswerPlanned && after?.timeoutAfterCharge === 0;
    // Settings the run changed go back, also after a failure.
    for (const restore of restores.reverse()) {
      await restore().catch((err: Error) => notes.push(`A setting this run changed could not be put back: ${err.message}`));
    }
  }
  const usesOther = scenario.plan.some((s) => (s.kind === "requests" || s.kind === "stop") && s.object === "other");
  const paymentIds = [input.paymentId, ...(usesOther ? [input.otherPaymentId] : [])];
  return {
    requests: ordered(),
    events,
    notes,
    lostAnswerInjected,
    serviceCrashed,
    paymentIds,
    planned: total,
    cutShort: stopped(),
    stoppedEarly: !stopped() && input.signal?.aborted === true && (!finished || requests.length < total),
  };
}

/** The invocation an admin step acts on: the one that answered a label's requests, or the one a wait found paused. */
function adminTarget(step: Extract<PlanStep, { kind: "admin" }>, sent: RequestOutcome[], events: PlanEvent[]): string {
  if (step.action === "resume") {
    const paused = events.findLast((e) => e.kind === "wait" && e.until === "paused" && e.reached);
    if (paused?.kind !== "wait" || !paused.invocationId) throw new Error("nothing to resume: no invocation was seen paused");
    return paused.invocationId;
  }
  const label = step.of;
  const answered = sent.find((r) => r.label === label && r.invocationId !== null);
  if (!answered?.invocationId) throw new Error(`nothing to ${step.action}: no request labelled ${label} got an invocation id`);
  return answered.invocationId;
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  return given.length > 1 ? AbortSignal.any(given) : given[0];
}

function sendStep(input: PlanInput, step: RequestStep, stepIndex: number, firstIndex: number, onAnswered: () => void): Promise<RequestOutcome[]> {
  const paymentId = step.object === "other" ? input.otherPaymentId : input.paymentId;
  const path = `/${step.service}/${encodeURIComponent(paymentId)}/${step.handler}${step.via === "send" ? "/send" : ""}`;
  const body = step.count === "options" && input.body !== undefined ? input.body : step.body;
  const count = step.count === "options" ? input.count : step.count;
  const concurrency = step.concurrency === "options" ? input.concurrency : step.concurrency;
  const keyOf = (i: number) =>
    step.key === "shared"
      ? input.sharedKey
      : step.key === "second"
        ? secondKey(input.sharedKey)
        : step.key === "per-request"
          ? `${input.sharedKey}-${i}`
          : null;
  return pool(
    count,
    concurrency,
    async (i) => {
      const outcome = await sendOne({
        index: firstIndex + i,
        step: stepIndex,
        ingress: input.target.ingress,
        method: "POST",
        path,
        paymentId,
        idempotencyKey: keyOf(i),
        body,
        clientTimeoutMs: step.clientTimeoutMs,
        headers: authHeaders(input.target.credential, input.target.ingress),
        origin: input.origin,
        target: { service: step.service, key: paymentId, handler: step.handler },
        label: step.label,
        signal: input.labStopped,
      });
      onAnswered();
      return outcome;
    },
    // The learner's Stop starts no more requests; those in flight end as they would.
    anySignal(input.signal, input.labStopped),
  );
}

/** Attaches to the run's workflow (by its id), or to the invocation the first /send created. */
async function attach(
  input: PlanInput,
  step: Extract<PlanStep, { kind: "attach" }>,
  stepIndex: number,
  index: number,
  sent: RequestOutcome[],
): Promise<RequestOutcome> {
  let path: string;
  if (step.workflow) path = `/restate/workflow/${step.workflow}/${encodeURIComponent(input.paymentId)}/attach`;
  else {
    const first = sent.find((r) => r.invocationId !== null);
    if (!first) throw new Error("nothing to attach to: no earlier request got an invocation id");
    path = `/restate/invocation/${first.invocationId}/attach`;
  }
  const outcome = await sendOne({
    index,
    step: stepIndex,
    ingress: input.target.ingress,
    method: "GET",
    path,
    paymentId: input.paymentId,
    idempotencyKey: null,
    body: null,
    headers: authHeaders(input.target.credential, input.target.ingress),
    origin: input.origin,
    label: step.label,
    signal: input.labStopped,
  });
  // An attach waits for a result that exists or will: it never runs the handler itself.
  return outcome.answer === "executed" || outcome.answer === "replayed" ? { ...outcome, answer: "attached" } : outcome;
}
