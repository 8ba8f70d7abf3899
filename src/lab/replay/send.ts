// Sends requests to the Restate ingress and records what came back, one request at a time.
import type { RequestOutcome } from "./types.js";

export interface SendInput {
  index: number;
  step: number;
  ingress: string;
  method: "POST" | "GET";
  path: string;
  paymentId: string;
  idempotencyKey: string | null;
  body: unknown;
  clientTimeoutMs?: number;
  headers?: Record<string, string>;
  /** performance.now() at the start of the scenario. */
  origin: number;
  target?: RequestOutcome["target"];
  label?: string;
}

/** Sends one request; never throws. `answer` is provisional: classify() settles executed/attached. */
export async function sendOne(input: SendInput): Promise<RequestOutcome> {
  const headers: Record<string, string> = { ...input.headers };
  if (input.method === "POST") headers["content-type"] = "application/json";
  if (input.idempotencyKey !== null) headers["idempotency-key"] = input.idempotencyKey;
  const started = performance.now();
  const base = {
    index: input.index,
    step: input.step,
    method: input.method,
    path: input.path,
    paymentId: input.paymentId,
    idempotencyKey: input.idempotencyKey,
    body: input.body,
    sentAtMs: round(started - input.origin),
    ...(input.target ? { target: input.target } : {}),
    ...(input.label !== undefined ? { label: input.label } : {}),
  };
  try {
    const res = await fetch(input.ingress + input.path, {
      method: input.method,
      headers,
      body: input.method === "POST" ? JSON.stringify(input.body) : undefined,
      signal: input.clientTimeoutMs ? AbortSignal.timeout(input.clientTimeoutMs) : AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    const response = parseBody(text);
    const sendStatus = (response as { status?: unknown } | null)?.status;
    const invocationId =
      res.headers.get("x-restate-id") ?? ((response as { invocationId?: unknown } | null)?.invocationId as string | undefined) ?? null;
    const expires = res.headers.get("idempotency-expires");
    const replayHeader = expires !== null;
    return {
      ...base,
      latencyMs: round(performance.now() - started),
      status: res.status,
      response,
      invocationId,
      replayHeader,
      ...(expires !== null ? { expires } : {}),
      answer:
        res.status >= 400
          ? "failed"
          : sendStatus === "Accepted"
            ? "accepted"
            : sendStatus === "PreviouslyAccepted"
              ? "previously-accepted"
              : replayHeader
                ? "replayed"
                : "executed",
    };
  } catch (err) {
    const timedOut = (err as Error).name === "TimeoutError" && input.clientTimeoutMs !== undefined;
    return {
      ...base,
      latencyMs: round(performance.now() - started),
      status: null,
      response: null,
      invocationId: null,
      replayHeader: false,
      answer: timedOut ? "timed-out" : "failed",
      error: timedOut ? `the client gave up after ${input.clientTimeoutMs} ms` : describeFetchError(err),
    };
  }
}

/**
 * Settles "executed" versus "attached": live answers (not replays) that share an invocation id
 * came from one run of the handler, and the first one sent is counted as the one that started
 * it; the rest attached to it while it ran. Except a live answer to a request sent after an
 * answer of that invocation had come back: the run had ended, so the handler ran again under
 * the same id (an idempotent invocation's id derives from its key, and Restate's cleaner can
 * free the key).
 */
export function classify(outcomes: RequestOutcome[]): RequestOutcome[] {
  const executed = new Set<number>();
  const ran = new Set<string>();
  /** Per invocation id: when an answer of its current run first came back. */
  const answeredAt = new Map<string, number>();
  for (const o of [...outcomes].sort((a, b) => a.sentAtMs - b.sentAtMs || a.index - b.index)) {
    if (o.invocationId === null) continue;
    const back = o.sentAtMs + o.latencyMs;
    const ended = answeredAt.get(o.invocationId);
    if (o.answer === "executed" && (!ran.has(o.invocationId) || (ended !== undefined && o.sentAtMs > ended))) {
      executed.add(o.index);
      ran.add(o.invocationId);
      answeredAt.set(o.invocationId, back);
    } else {
      answeredAt.set(o.invocationId, Math.min(ended ?? Infinity, back));
    }
  }
  return outcomes.map((o) => (o.answer === "executed" && !executed.has(o.index) ? { ...o, answer: "attached" } : o));
}

/** Runs `count` tasks with at most `concurrency` at a time, keeping their order in the result. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}: ${cause.message ?? ""}`.trim() : (err as Error).message;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
