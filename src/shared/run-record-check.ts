// The deep check of a run record before the panel draws it: every list and field the webview
// reads (requests, ledger, invocations, attempts, ledger links, events, a prediction and its
// score) has the shape run-result.ts gives it. protocol.ts runs it on each record it receives.
import { predictionProblem, scoreProblem } from "./prediction.js";
import { ANSWER_KINDS } from "./run-result.js";
import type { AnswerKind, Verdict } from "./run-result.js";
import { ledgerEntryProblem } from "../../lab-templates/payment-service/gateway/contract.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isIndex = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const strOrNull = (v: unknown) => v === null || isStr(v);
const numOrNull = (v: unknown) => v === null || isNum(v);
const optStr = (v: unknown) => v === undefined || isStr(v);
const VERDICTS: readonly Verdict[] = ["safe", "unsafe", "unexpected", "skipped"];

/**
 * How deep a record may nest. The lab's records nest about ten levels (a response body inside a
 * request inside the result); a record nested far deeper was not written by the lab, and drawing
 * it would overflow the panel's stack.
 */
export const MAX_RECORD_DEPTH = 64;

/** "nests deeper than …" when `value` holds arrays or objects more than `max` levels deep; checked without recursion. */
export function depthProblem(value: unknown, max = MAX_RECORD_DEPTH): string | null {
  return deeperThan(value, 0, max) ? `nests deeper than ${max} levels` : null;
}

/**
 * Whether `v` nests `max` levels or more below `depth`. Recursion is safe: it never goes deeper
 * than `max`. It allocates nothing per object (a worklist of [value, depth] pairs did, and on a
 * 10,000-request record that check took ~150 ms of the panel's first open).
 */
function deeperThan(v: unknown, depth: number, max: number): boolean {
  if (typeof v !== "object" || v === null) return false;
  if (depth >= max) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (deeperThan(v[i], depth + 1, max)) return true;
    return false;
  }
  for (const key of Object.keys(v)) if (deeperThan((v as Record<string, unknown>)[key], depth + 1, max)) return true;
  return false;
}

/** The first problem of a list's items, named by position, or null when every item is well formed. */
export function listProblem(list: unknown, item: string, problem: (v: unknown) => string | null): string | null {
  if (!Array.isArray(list)) return `needs a list of ${item}s`;
  for (const [i, v] of list.entries()) {
    const p = problem(v);
    if (p !== null) return `${item} ${i} ${p}`;
  }
  return null;
}

function requestProblem(d: unknown): string | null {
  if (!isObject(d) || !isNum(d.index) || !isNum(d.sentAtMs) || !isNum(d.latencyMs) || !ANSWER_KINDS.includes(d.answer as AnswerKind)) return "is malformed";
  if (!strOrNull(d.invocationId) || !numOrNull(d.status) || !strOrNull(d.idempotencyKey) || !isStr(d.path)) return "has no invocation, status, key or path";
  if (!optStr(d.expires) || !optStr(d.label) || !optStr(d.error)) return "has a malformed expiry, label or error";
  if (!optStr(d.restateId)) return "has a malformed x-restate-id";
  if (d.target !== undefined && (!isObject(d.target) || !isStr(d.target.service) || !strOrNull(d.target.key) || !isStr(d.target.handler)))
    return "has a malformed target";
  return null;
}

/** A ledger entry, as the gateway's contract defines it. */
export const ledgerProblem = ledgerEntryProblem;

function invocationProblem(i: unknown): string | null {
  if (!isObject(i) || !isStr(i.id) || !isStr(i.target) || !isStr(i.status) || !isStr(i.created_at)) return "has no id, target, status or creation time";
  return strOrNull(i.idempotency_key) && strOrNull(i.completion_result) && numOrNull(i.retry_count) && typeof i.userKey === "boolean"
    ? null
    : "has malformed fields";
}

function attemptProblem(a: unknown): string | null {
  if (!isObject(a) || !isIndex(a.number) || !strOrNull(a.startedAt) || !strOrNull(a.retryOf) || !strOrNull(a.endedAt)) return "has no number or times";
  if (!["failed", "completed", "running", "paused"].includes(a.outcome as string)) return "has no outcome";
  if (a.entries !== null && (!isObject(a.entries) || !isIndex(a.entries.first) || !isIndex(a.entries.last))) return "has a malformed entry range";
  const e = a.error;
  if (e === null) return null;
  if (!isObject(e) || !numOrNull(e.code) || !isStr(e.message) || !strOrNull(e.restateCode)) return "has a malformed error";
  const c = e.command;
  return c === null || (isObject(c) && isIndex(c.index) && isStr(c.name) && isStr(c.type)) ? null : "has a malformed failed command";
}

export function invocationAttemptsProblem(i: unknown): string | null {
  if (!isObject(i) || !isStr(i.invocationId) || !isStr(i.target) || !isStr(i.status)) return "has no invocation id, target or status";
  return listProblem(i.attempts, "attempt", attemptProblem);
}

function linkProblem(l: unknown): string | null {
  if (!isObject(l) || !isStr(l.ledgerId) || !strOrNull(l.invocationId) || !(l.attempt === null || isIndex(l.attempt)))
    return "has no ledger id, invocation or attempt";
  const j = l.journal;
  if (j === null) return null;
  return isObject(j) && isIndex(j.index) && isStr(j.type) && isStr(j.name) && typeof j.inRun === "boolean" && strOrNull(j.appendedAt)
    ? null
    : "has a malformed journal trace";
}

function eventProblem(e: unknown): string | null {
  if (!isObject(e) || !isNum(e.atMs)) return "has no time";
  switch (e.kind) {
    case "retention":
      return isStr(e.service) && isStr(e.previous) && isStr(e.set) && typeof e.restored === "boolean" ? null : "is a malformed retention event";
    case "crash":
      return isStr(e.run) && (e.state === "started" || e.state === "completed") ? null : "is a malformed crash event";
    case "stop":
      return ["kill", "cancel", "purge", "resume", "restart-as-new"].includes(e.how as string) &&
        isStr(e.invocationId) &&
        isNum(e.status) &&
        optStr(e.newInvocationId)
        ? null
        : "is a malformed stop event";
    case "wait":
      return ["expiry", "removal", "receipt", "paused"].includes(e.until as string) &&
        typeof e.reached === "boolean" &&
        isNum(e.waitedMs) &&
        optStr(e.invocationId) &&
        optStr(e.expires) &&
        optStr(e.recordedAt)
        ? null
        : "is a malformed wait event";
    default:
      return "has an unknown kind";
  }
}

/** What is wrong with a run record that the panel cannot show, or null when it is well formed; `runRequestOk` judges its request. */
export function runRecordShapeProblem(record: unknown, runRequestOk: (request: unknown) => boolean): string | null {
  const deep = depthProblem(record);
  if (deep !== null) return `it ${deep}`;
  if (!isObject(record) || !isStr(record.runId) || record.runId.length === 0 || record.runId.length > 200) return "it has no run id";
  if (!runRequestOk(record.request)) return "it has no valid request";
  if (!isStr(record.finishedAt) || !isStr(record.conceptsSection)) return "it has no finishing time or concepts section";
  if (record.prediction !== undefined) {
    const p = predictionProblem(record.prediction);
    if (p !== null) return `its prediction ${p}`;
  }
  if (record.score !== undefined) {
    const p = scoreProblem(record.score);
    if (p !== null) return `its score ${p}`;
  }
  const r = record.result;
  if (!isObject(r)) return "it has no result";
  for (const k of ["invariants", "notes", "paymentIds", "ledger", "invocations", "requestsDetail"])
    if (!Array.isArray(r[k])) return `its result has no ${k} list`;
  for (const k of ["requests", "distinctResponses", "distinctInvocations", "charges", "refunds", "durationMs"])
    if (!isNum(r[k])) return `its result has no number ${k}`;
  for (const k of ["title", "lesson", "verdict", "expectedVerdict", "explanation", "startedAt"]) if (!isStr(r[k])) return `its result has no ${k}`;
  if (!VERDICTS.includes(r.verdict as Verdict) || (r.expectedVerdict !== "safe" && r.expectedVerdict !== "unsafe")) return "its result has an unknown verdict";
  if (r.kind !== "idempotent" && r.kind !== "anti-pattern") return "its result has no kind";
  if (!(r.paymentIds as unknown[]).every(isStr) || !(r.notes as unknown[]).every(isStr)) return "its result has malformed payment ids or notes";
  const lists: Array<[string, unknown, string, (v: unknown) => string | null]> = [
    ["requestsDetail", r.requestsDetail, "request", requestProblem],
    ["ledger", r.ledger, "entry", ledgerProblem],
    ["invocations", r.invocations, "row", invocationProblem],
  ];
  // Fields added later: absent in older records, checked whole when present.
  if (r.attempts !== undefined) lists.push(["attempts", r.attempts, "invocation", invocationAttemptsProblem]);
  if (r.ledgerLinks !== undefined) lists.push(["ledgerLinks", r.ledgerLinks, "link", linkProblem]);
  if (r.events !== undefined) lists.push(["events", r.events, "event", eventProblem]);
  for (const [name, list, item, check] of lists) {
    const p = listProblem(list, item, check);
    if (p !== null) return name === "requestsDetail" && p.endsWith("is malformed") ? "a request in it is malformed" : `its ${name}: ${p}`;
  }
  return null;
}
