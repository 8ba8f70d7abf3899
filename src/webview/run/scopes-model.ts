// The scope table's model: where each request went (service, object key, handler), with which
// idempotency key, and which invocation answered it. Drawn when a run's requests went to more
// than one scope: a key's scope is service + object key + handler, and outside it the same key is
// a new request.
import type { AnswerKind, RequestOutcome } from "../../shared/protocol.js";
import type { Result } from "./run-model.js";

export interface ScopeRow {
  index: number;
  label: string | null;
  service: string;
  objectKey: string | null;
  handler: string;
  idempotencyKey: string | null;
  invocationId: string | null;
  answer: AnswerKind;
  status: number | null;
  /** The earlier request whose invocation answered this one too, or null when it was the first for it. */
  sameInvocationAs: number | null;
  /** The earlier request in the same scope with the same key, or null. */
  sameScopeAs: number | null;
}

/** Runs with more requests than this list their scopes in the requests table only. */
export const MAX_SCOPE_ROWS = 50;

const scopeOf = (r: RequestOutcome) => (r.target ? `${r.target.service}\u0000${r.target.key ?? ""}\u0000${r.target.handler}` : null);

/** The rows, or null when the run's requests all went to one scope (or are too many to list). */
export function scopeRows(result: Pick<Result, "requestsDetail">): ScopeRow[] | null {
  const requests = [...result.requestsDetail].filter((r) => r.target).sort((a, b) => a.index - b.index);
  const scopes = new Set(requests.map(scopeOf));
  if (scopes.size < 2 || requests.length > MAX_SCOPE_ROWS) return null;
  return requests.map((r, i) => {
    const before = requests.slice(0, i);
    return {
      index: r.index,
      label: r.label ?? null,
      service: r.target!.service,
      objectKey: r.target!.key,
      handler: r.target!.handler,
      idempotencyKey: r.idempotencyKey,
      invocationId: r.invocationId,
      answer: r.answer,
      status: r.status,
      sameInvocationAs: r.invocationId === null ? null : (before.find((b) => b.invocationId === r.invocationId)?.index ?? null),
      sameScopeAs: r.idempotencyKey === null ? null : (before.find((b) => scopeOf(b) === scopeOf(r) && b.idempotencyKey === r.idempotencyKey)?.index ?? null),
    };
  });
}

/** What the rows show, counted from them: repeats in a scope and the invocations that answered them, new scopes and theirs. */
export function scopeSummary(rows: readonly ScopeRow[]): string {
  const keys = new Set(rows.map((r) => r.idempotencyKey ?? "(none)"));
  const scopes = new Set(rows.map((r) => `${r.service}/${r.objectKey}/${r.handler}`));
  const invocations = new Set(rows.map((r) => r.invocationId).filter((i) => i !== null));
  const byIndex = new Map(rows.map((r) => [r.index, r]));
  const repeats = rows.filter((r) => r.sameScopeAs !== null);
  const sameAnswerer = repeats.filter((r) => r.invocationId !== null && r.invocationId === byIndex.get(r.sameScopeAs!)?.invocationId).length;
  const firsts = rows.filter((r) => r.sameScopeAs === null && r.invocationId !== null);
  const fresh = firsts.filter((r) => r.sameInvocationAs === null).length;
  const keyText = keys.size === 1 ? `One idempotency key (${[...keys][0]})` : `${keys.size} idempotency keys`;
  const parts = [
    `${keyText} went to ${scopes.size} scopes (service, object key, handler); ${invocations.size} invocation${invocations.size === 1 ? "" : "s"} answered.`,
  ];
  if (repeats.length > 0)
    parts.push(
      `${sameAnswerer} of ${repeats.length} repeated request${repeats.length === 1 ? "" : "s"} in the same scope with the same key ${repeats.length === 1 ? "was" : "were"} answered by the earlier invocation.`,
    );
  if (firsts.length > 0)
    parts.push(
      `${fresh} of ${firsts.length} first request${firsts.length === 1 ? "" : "s"} in a scope got an invocation of ${firsts.length === 1 ? "its" : "their"} own.`,
    );
  return parts.join(" ");
}
