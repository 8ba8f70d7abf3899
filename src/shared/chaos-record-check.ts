// The deep check of a chaos run before the panel draws it or the extension runs it: the learner's
// request, the ChaosResult (schedule, requests, payments, invariants, violations with their
// histories) and the evidence, each field as chaos-result.ts and chaos-record.ts give it.
import { MAX_CHAOS_SEED } from "./chaos-record.js";
import type { ChaosRunRequest } from "./chaos-record.js";
import type { FaultKind } from "./chaos-result.js";
import { depthProblem, invocationAttemptsProblem, ledgerProblem, listProblem } from "./run-record-check.js";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const isIndex = (v: unknown): v is number => isInt(v, 0, Number.MAX_SAFE_INTEGER);
const FAULT_KINDS: readonly FaultKind[] = ["gateway-latency", "lost-answer", "failing-calls", "service-kill", "restate-kill"];

/** A chaos target's name: a service, or a service and its handler. */
export const CHAOS_TARGET_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,60}(\/[A-Za-z][A-Za-z0-9]{0,60})?$/;
/** Generous bounds for the wire: the engine's checkChaosOptions holds the real limits and says them. */
const WIRE_MAX = { payments: 10_000, duplicates: 1_000, durationS: 3_600 } as const;

/** What is wrong with a chaos request from the webview, or null; the engine then checks its own limits. */
export function chaosRequestProblem(r: unknown): string | null {
  if (!isObject(r)) return "must be an object";
  const extra = Object.keys(r).filter((k) => !["seed", "payments", "duplicates", "durationS", "target"].includes(k));
  if (extra.length > 0) return `has unknown fields: ${extra.join(", ")}`;
  if (r.seed !== null && !isInt(r.seed, 0, MAX_CHAOS_SEED)) return `seed must be null or a whole number from 0 to ${MAX_CHAOS_SEED}`;
  for (const k of ["payments", "duplicates", "durationS"] as const)
    if (!isInt(r[k], 1, WIRE_MAX[k])) return `${k} must be a whole number from 1 to ${WIRE_MAX[k]}`;
  return isStr(r.target) && CHAOS_TARGET_PATTERN.test(r.target) ? null : "target must be a service, or service/handler";
}

/** The request as sent, with only its own fields (after chaosRequestProblem said null). */
export function chaosRequestOf(r: Record<string, unknown>): ChaosRunRequest {
  return {
    seed: r.seed as number | null,
    payments: r.payments as number,
    duplicates: r.duplicates as number,
    durationS: r.durationS as number,
    target: r.target as string,
  };
}

export function chaosSettingsProblem(s: unknown): string | null {
  if (!isObject(s) || !Array.isArray(s.targets) || s.targets.length === 0 || !s.targets.every((t) => isStr(t) && CHAOS_TARGET_PATTERN.test(t)))
    return "has no targets";
  for (const k of ["payments", "duplicates", "durationS"]) {
    const n = s[k];
    if (!isObject(n) || !isIndex(n.min) || !isIndex(n.max) || !isIndex(n.default) || n.min > n.default || n.default > n.max) return `has no range for ${k}`;
  }
  return null;
}

function faultProblem(f: unknown): string | null {
  if (!isObject(f) || !isIndex(f.index) || !FAULT_KINDS.includes(f.kind as FaultKind)) return "has no index or kind";
  if (!isNum(f.atMs) || !isNum(f.durationMs) || !isNum(f.amount)) return "has no time, duration or amount";
  const a = f.applied;
  if (a === null) return null;
  return isObject(a) && isNum(a.atMs) && typeof a.ok === "boolean" && (a.note === undefined || isStr(a.note)) ? null : "has a malformed application";
}

function requestProblem(q: unknown): string | null {
  if (!isObject(q) || !isIndex(q.index) || !isStr(q.paymentId) || (q.handler !== "create" && q.handler !== "refund")) return "has no index, payment or handler";
  if (!(q.idempotencyKey === null || isStr(q.idempotencyKey)) || !isNum(q.sentAtMs) || !(q.answeredAtMs === null || isNum(q.answeredAtMs)))
    return "has a malformed key or time";
  if (
    !isIndex(q.tries) ||
    !(q.status === null || isNum(q.status)) ||
    !(q.invocationId === null || isStr(q.invocationId)) ||
    !(q.error === null || isStr(q.error))
  )
    return "has malformed tries, status, invocation or error";
  return "response" in q ? null : "has no response";
}

function paymentProblem(p: unknown): string | null {
  if (!isObject(p) || !isStr(p.paymentId) || !Array.isArray(p.requests) || !p.requests.every(isIndex)) return "has no id or requests";
  if (!isIndex(p.charges) || !isNum(p.chargedAmount) || !isNum(p.refundedAmount)) return "has no charges or amounts";
  return Array.isArray(p.broken) && p.broken.every(isStr) ? null : "has no list of broken invariants";
}

function invariantProblem(i: unknown): string | null {
  if (!isObject(i) || !isStr(i.name) || !isStr(i.promise)) return "has no name or promise";
  return typeof i.holds === "boolean" && isIndex(i.violations) ? null : "has no verdict or count";
}

function violationProblem(v: unknown): string | null {
  if (!isObject(v) || !isStr(v.invariant) || !isStr(v.paymentId) || !isStr(v.summary)) return "has no invariant, payment or summary";
  const h = v.history;
  if (!isObject(h)) return "has no history";
  const p =
    listProblem(h.requests, "request", requestProblem) ??
    listProblem(h.faults, "fault", faultProblem) ??
    listProblem(h.attempts, "invocation", invocationAttemptsProblem) ??
    listProblem(h.ledger, "entry", ledgerProblem);
  return p === null ? null : `its history: ${p}`;
}

/** What is wrong with a ChaosResult, or null when the panel can draw it. */
export function chaosResultProblem(r: unknown): string | null {
  if (!isObject(r) || r.kind !== "chaos") return "is not a chaos result";
  if (!isInt(r.seed, 0, MAX_CHAOS_SEED) || !isStr(r.target) || !isStr(r.startedAt) || !isNum(r.durationMs)) return "has no seed, target, start or duration";
  const o = r.options;
  if (!isObject(o) || !isIndex(o.payments) || !isIndex(o.duplicates) || !isIndex(o.durationS)) return "has no options";
  if ((r.verdict !== "safe" && r.verdict !== "unsafe") || (r.expectedVerdict !== "safe" && r.expectedVerdict !== "unsafe")) return "has an unknown verdict";
  if (typeof r.stopped !== "boolean") return "does not say whether it was stopped";
  const lists: Array<[string, unknown, string, (v: unknown) => string | null]> = [
    ["schedule", r.schedule, "fault", faultProblem],
    ["requests", r.requests, "request", requestProblem],
    ["payments", r.payments, "payment", paymentProblem],
    ["invariants", r.invariants, "invariant", invariantProblem],
    ["violations", r.violations, "violation", violationProblem],
  ];
  for (const [name, list, item, check] of lists) {
    const p = listProblem(list, item, check);
    if (p !== null) return `its ${name}: ${p}`;
  }
  return null;
}

/** What is wrong with a chaos run record, or null when the panel can show it. */
export function chaosRecordProblem(record: unknown): string | null {
  const deep = depthProblem(record);
  if (deep !== null) return `it ${deep}`;
  if (!isObject(record) || !isStr(record.runId) || record.runId.length === 0 || record.runId.length > 200) return "it has no run id";
  if (record.kind !== "chaos") return "it is not a chaos run";
  const request = chaosRequestProblem(record.request);
  if (request !== null) return `its request ${request}`;
  if (!isStr(record.finishedAt)) return "it has no finishing time";
  const result = chaosResultProblem(record.chaos);
  if (result !== null) return `its chaos result ${result}`;
  const e = record.evidence;
  if (!isObject(e) || (e.error !== undefined && !isStr(e.error))) return "it has no evidence";
  const p = listProblem(e.ledger, "entry", ledgerProblem) ?? listProblem(e.attempts, "invocation", invocationAttemptsProblem);
  return p === null ? null : `its evidence: ${p}`;
}
