// Sends requests to the Restate ingress and records what came back, one request at a time.
// node:http with keep-alive agents, not fetch: a burst of 10,000 duplicates is the lab's
// load test, and fetch's per-request machinery made the engine 3-4x slower than a load
// generator on the same requests (npm run bench).
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { RequestOutcome } from "./types.js";

/** A request the client never gave up on still ends: Restate answers within this, or it failed. */
const DEFAULT_TIMEOUT_MS = 120_000;
// Keep-alive pools shared by every run; idle sockets do not keep the process alive (Node unrefs them).
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

class ClientTimeout extends Error {}

// A burst sends the same body to the same server thousands of times: parse the server's URL
// and serialize each body object once (a profile showed both in every request).
const origins = new Map<string, { secure: boolean; hostname: string; port: number; basePath: string }>();
const bodies = new WeakMap<object, string>();

function origin(base: string): { secure: boolean; hostname: string; port: number; basePath: string } {
  let known = origins.get(base);
  if (!known) {
    const u = new URL(base);
    const secure = u.protocol === "https:";
    known = { secure, hostname: u.hostname.replace(/^\[|\]$/g, ""), port: Number(u.port || (secure ? 443 : 80)), basePath: u.pathname.replace(/\/+$/, "") };
    if (origins.size > 32) origins.clear();
    origins.set(base, known);
  }
  return known;
}

function bodyText(body: unknown): string {
  if (typeof body !== "object" || body === null) return JSON.stringify(body);
  let text = bodies.get(body);
  if (text === undefined) {
    text = JSON.stringify(body);
    bodies.set(body, text);
  }
  return text;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One HTTP request on a pooled connection; the body is read whole, as a buffer. */
function request(
  base: string,
  path: string,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number; signal?: AbortSignal },
): Promise<Answer> {
  const { secure, hostname, port, basePath } = origin(base);
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      {
        hostname,
        port,
        path: basePath + path,
        method: options.method,
        headers: options.headers,
        agent: secure ? agents.https : agents.http,
        signal: options.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new ClientTimeout(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(options.body);
  });
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

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
  /** Abandons the request when it aborts (the lab stopped); its reason becomes the outcome's error. */
  signal?: AbortSignal;
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
    const res = await request(input.ingress, input.path, {
      method: input.method,
      headers,
      body: input.method === "POST" ? bodyText(input.body) : undefined,
      timeoutMs: input.clientTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: input.signal,
    });
    const response = parseBody(res.text);
    const sendStatus = (response as { status?: unknown } | null)?.status;
    const restateId = header(res.headers["x-restate-id"]);
    const invocationId = restateId ?? ((response as { invocationId?: unknown } | null)?.invocationId as string | undefined) ?? null;
    const expires = header(res.headers["idempotency-expires"]);
    const replayHeader = expires !== null;
    return {
      ...base,
      latencyMs: round(performance.now() - started),
      status: res.status,
      response,
      invocationId,
      replayHeader,
      ...(expires !== null ? { expires } : {}),
      ...(restateId !== null ? { restateId } : {}),
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
    const timedOut = err instanceof ClientTimeout && input.clientTimeoutMs !== undefined;
    return {
      ...base,
      latencyMs: round(performance.now() - started),
      status: null,
      response: null,
      invocationId: null,
      replayHeader: false,
      answer: timedOut ? "timed-out" : "failed",
      error: timedOut ? `the client gave up after ${input.clientTimeoutMs} ms` : input.signal?.aborted ? String(input.signal.reason) : describeError(err),
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

/**
 * Runs `count` tasks with at most `concurrency` at a time, keeping their order in the result.
 * Once `signal` aborts no further task starts: the result holds the tasks that did.
 */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>, signal?: AbortSignal): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count && !signal?.aborted) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return next < count ? results.slice(0, next) : results;
}

// Duplicates get the same answer, byte for byte: parse each distinct body once and share the
// value (a burst of 10,000 then holds one response object, not 10,000 copies).
const parsedBodies = new Map<string, unknown>();

function parseBody(text: string): unknown {
  if (text === "") return null;
  const known = parsedBodies.get(text);
  if (known !== undefined) return known;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  if (parsedBodies.size >= 256) parsedBodies.clear();
  parsedBodies.set(text, value);
  return value;
}

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : e.message;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
