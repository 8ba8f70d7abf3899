// Why each request got its answer, in plain words: what Restate did with its idempotency key
// ("ran", "attached to #0's invocation", "replayed #0's answer"), a curl command line that sends
// it again, and how many times the run's handlers ran (invocations and attempts).
import type { InvocationAttempts, InvocationRow, RequestOutcome } from "../../shared/protocol.js";

export interface RestateDid {
  /** "ran", "attached", "replayed" or "other" (accepted, failed, no answer). */
  kind: "ran" | "attached" | "replayed" | "other";
  /** The earlier request whose invocation this one attached to or whose answer it got; null when none in this run. */
  ref: number | null;
  text: string;
}

/**
 * What Restate did with each request, by request index. The run's answers say it: a live answer
 * that was the first of its invocation id ran the handler; a live answer sharing the id of one
 * still running attached to it; an answer with `idempotency-expires` was the stored answer of a
 * completed invocation, replayed.
 */
export function whatRestateDid(details: readonly RequestOutcome[]): Map<number, RestateDid> {
  const out = new Map<number, RestateDid>();
  /** Per invocation id: the request that last ran it, and the first request that got it. */
  const ranBy = new Map<string, number>();
  const firstOf = new Map<string, number>();
  /** Per key and path: the first request whose client gave up waiting (it has no invocation id, but Restate started one). */
  const gaveUp = new Map<string, number>();
  for (const r of [...details].sort((a, b) => a.sentAtMs - b.sentAtMs || a.index - b.index)) {
    const id = r.invocationId;
    const keyed = r.idempotencyKey === null ? null : `${r.path}\n${r.idempotencyKey}`;
    if (keyed !== null && r.answer === "timed-out" && !gaveUp.has(keyed)) gaveUp.set(keyed, r.index);
    const earlier = id === null ? undefined : (ranBy.get(id) ?? firstOf.get(id));
    const ref = earlier ?? null;
    const starter = keyed === null ? undefined : gaveUp.get(keyed);
    // A live answer, first of its id, after a request with the same key whose client gave up: that
    // request started the invocation (a finished one would have answered with its stored answer),
    // and this one attached to it. The answer alone reads "executed": the client saw no difference.
    if (r.answer === "executed" && id !== null && !ranBy.has(id) && !firstOf.has(id) && starter !== undefined) {
      out.set(r.index, { kind: "attached", ref: starter, text: `attached to the invocation #${starter} started (#${starter}'s client gave up waiting)` });
      firstOf.set(id, starter);
      ranBy.set(id, starter);
      continue;
    }
    // A stored answer of an invocation no earlier answer named, after such a request: that request's invocation.
    if (r.answer === "replayed" && id !== null && !firstOf.has(id) && starter !== undefined) {
      out.set(r.index, {
        kind: "replayed",
        ref: starter,
        text: `replayed the answer of the invocation #${starter} started (#${starter}'s client gave up waiting)`,
      });
      firstOf.set(id, starter);
      continue;
    }
    out.set(r.index, did(r, ref, id !== null && ranBy.has(id)));
    if (id !== null) {
      if (!firstOf.has(id)) firstOf.set(id, r.index);
      if (r.answer === "executed") ranBy.set(id, r.index);
    }
  }
  return out;
}

function did(r: RequestOutcome, ref: number | null, ranBefore: boolean): RestateDid {
  switch (r.answer) {
    case "executed":
      return ranBefore && ref !== null
        ? { kind: "ran", ref, text: `ran again (same invocation id as #${ref}, whose run had ended)` }
        : { kind: "ran", ref: null, text: "ran" };
    case "attached":
      return ref === null
        ? { kind: "attached", ref, text: "attached to a running invocation" }
        : { kind: "attached", ref, text: `attached to #${ref}'s invocation` };
    case "replayed":
      return ref === null
        ? { kind: "replayed", ref, text: "replayed a stored answer (from an invocation before this run)" }
        : { kind: "replayed", ref, text: `replayed #${ref}'s answer` };
    case "accepted":
      return { kind: "other", ref: null, text: "accepted it to run in the background" };
    case "previously-accepted":
      return { kind: "other", ref, text: ref === null ? "had already accepted it" : `had already accepted it as #${ref}` };
    case "timed-out":
      return { kind: "other", ref: null, text: "no answer before the client gave up" };
    case "failed":
      return { kind: "other", ref: null, text: r.status === null ? "no answer (the request failed)" : `answered ${r.status}` };
  }
}

/** Quotes a word for a POSIX shell. */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A curl command line that sends the request again to the lab's ingress (credentials are never included). */
export function curlCommand(r: Pick<RequestOutcome, "method" | "path" | "idempotencyKey" | "body">, ingress: string): string {
  const url = ingress.replace(/\/+$/, "") + r.path;
  const parts = ["curl", "-i"];
  if (r.method !== "GET") parts.push("-X", r.method);
  parts.push(shellQuote(url));
  if (r.method === "POST") parts.push("-H", shellQuote("content-type: application/json"));
  if (r.idempotencyKey !== null) parts.push("-H", shellQuote(`idempotency-key: ${r.idempotencyKey}`));
  if (r.method === "POST") parts.push("--data", shellQuote(JSON.stringify(r.body ?? null)));
  return parts.join(" ");
}

const times = (n: number) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export interface AttemptsSummary {
  invocations: number;
  /** Null when the run's record holds no attempts (recorded before they were read, or they could not be). */
  attempts: number | null;
  text: string;
}

/** How many invocations the run made and how many attempts they took, from Restate's records. */
export function attemptsSummary(result: { invocations: readonly InvocationRow[]; attempts?: readonly InvocationAttempts[] }): AttemptsSummary {
  if (!result.attempts) {
    const n = result.invocations.length;
    return { invocations: n, attempts: null, text: `${plural(n, "invocation")}; Restate's record of their attempts is not in this run` };
  }
  const invocations = result.attempts.length;
  const attempts = result.attempts.reduce((sum, i) => sum + i.attempts.length, 0);
  if (invocations === 0) return { invocations, attempts, text: "No invocation: the handler never ran" };
  const head = `${plural(invocations, "invocation")}, ${plural(attempts, "attempt")}`;
  const retries = result.attempts.reduce((sum, i) => sum + Math.max(0, i.attempts.length - 1), 0);
  const text =
    retries === 0
      ? attempts === 1
        ? `${head}: the handler ran once`
        : `${head}: the handler ran ${times(attempts)}, no retry`
      : invocations === 1
        ? `${head}: the handler ran ${times(attempts)}`
        : `${head}: the handler ran ${times(attempts)}, ${retries === 1 ? "1 of them a retry" : `${retries} of them retries`}`;
  return { invocations, attempts, text };
}
