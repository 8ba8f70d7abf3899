// The attempts timeline's model: one lane per invocation (from the run's `attempts`, Restate's own
// records) with its attempts and failures, the requests it answered, the ledger entries each attempt
// made, and the run's events on the same time axis. Times are milliseconds from the run's start.
import type { AdminAction, AttemptRecord, InvocationAttempts, JournalTrace, LedgerLink, PlanEvent, RequestOutcome } from "../../shared/protocol.js";
import { counted, formatCount, formatMs } from "../ui/format.js";
import { ledgerForPayments } from "./run-model.js";
import type { Result } from "./run-model.js";
import { eventMark, expiryMark } from "./run-events.js";
import type { EventMark } from "./run-events.js";
import { niceTicks } from "./timeline-model.js";
import { requestGroups, requestGroupsOf, type RequestGroup } from "./request-groups-model.js";

export type { EventMark } from "./run-events.js";

export interface LaneAttempt {
  number: number;
  /** Where its bar begins: its recorded start, or (a retry) the failure it followed. */
  fromMs: number;
  /** False for a retry: Restate records no start, so the bar begins at the failure before it (back-off included). */
  startKnown: boolean;
  endMs: number;
  /** False while it still ran when the run ended (the bar ends at the run's end). */
  endKnown: boolean;
  outcome: AttemptRecord["outcome"];
  error: AttemptRecord["error"];
  entries: AttemptRecord["entries"];
  /** One sentence: what Restate recorded of it. */
  text: string;
}

/** How the journal records a ledger entry; "unknown": no recorded attempt was running, so no journal could be searched. */
export type Trace = "run" | "none" | "unknown";

/**
 * The journal entry that holds a ledger entry: a ctx.run result only. Runs recorded by an older
 * lab may name an entry that merely mentions the id (inRun false): that is no journal entry of
 * the money movement, so it is read as none.
 */
export function journalOf(link: LedgerLink | undefined): JournalTrace | null {
  return link?.journal?.inRun ? link.journal : null;
}

export interface LedgerMark {
  id: string;
  type: "charge" | "refund";
  /** When the request reached the gateway (the attempt asked), and when the gateway recorded it. */
  askedMs: number;
  recordedMs: number;
  invocationId: string | null;
  attempt: number | null;
  trace: Trace;
  /** The journal entry that records it, and when it was appended (maybe in a later attempt). */
  traceIndex: number | null;
  traceMs: number | null;
  /** The journal recorded it after the attempt that asked for it had ended: a later attempt got it back. */
  tracedLater: boolean;
  /** The attempt that asked for it failed afterwards, its answer in none of its journal entries: when, and why. */
  failedAfter: { atMs: number; message: string } | null;
  /** Short, for the chart: "not in the journal", 'ctx.run "charge"'. */
  short: string;
  text: string;
}

export interface Lane {
  key: string;
  /** An invocation of Restate's records; several folded into one; one a request named that Restate has no record of; requests with no invocation. */
  kind: "invocation" | "others" | "unrecorded" | "none";
  invocationId: string | null;
  heading: string;
  title: string;
  attempts: LaneAttempt[];
  marks: LedgerMark[];
  stops: Array<{ atMs: number; how: AdminAction; status: number }>;
  requests: RequestGroup[];
  /** How many invocations the lane stands for. */
  invocations: number;
}

export interface LanesModel {
  lanes: Lane[];
  /** Ledger entries no recorded attempt was running for. */
  unlinked: LedgerMark[];
  events: EventMark[];
  domainMs: number;
  ticks: number[];
  ariaLabel: string;
}

/** Lanes drawn one by one; the rest fold into one. */
export const MAX_LANES = 8;

/** Whether the chart draws when the journal recorded a ledger entry: when a later attempt did (the retry got it back). */
export function traceApart(m: LedgerMark): m is LedgerMark & { traceMs: number } {
  return m.traceMs !== null && m.tracedLater;
}

export function hasAttempts(result: Result): boolean {
  return Array.isArray(result.attempts);
}

/** Every lane of a run, none folded, and what they were built from. */
function laneParts(result: Result) {
  const start = Date.parse(result.startedAt);
  const at = (iso: string | null | undefined): number | null => {
    const t = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(t) && Number.isFinite(start) ? t - start : null;
  };
  const details = [...result.requestsDetail].sort((a, b) => a.index - b.index);
  const invocations = result.attempts ?? [];
  const links = new Map((result.ledgerLinks ?? []).map((l) => [l.ledgerId, l]));
  const events = result.events ?? [];

  const marks = ledgerForPayments(result).map((e) => ledgerMark(e, links.get(e.id), invocations, at));
  const byInvocation = groupBy(details, (d) => d.invocationId);
  const recorded = new Set(invocations.map((i) => i.invocationId));
  const times = [
    ...details.map((d) => d.sentAtMs + Math.max(0, d.latencyMs)),
    ...events.map((e) => e.atMs),
    ...marks.flatMap((m) => [m.askedMs, m.recordedMs, m.traceMs ?? 0]),
    ...invocations.flatMap((i) => i.attempts.flatMap((a) => [at(a.endedAt) ?? 0, at(a.startedAt) ?? 0, at(a.retryOf) ?? 0])),
  ];
  const lastKnown = Math.max(1, ...times);

  const completions = new Map(result.invocations.map((i) => [i.id, i.completion_result]));
  const lanes: Lane[] = invocations.map((inv) =>
    invocationLane(inv, completions.get(inv.invocationId) ?? null, byInvocation.get(inv.invocationId) ?? [], marks, events, at, lastKnown),
  );
  for (const [id, requests] of byInvocation) {
    if (id !== null && !recorded.has(id)) lanes.push(requestLane("unrecorded", id, requests));
  }
  const noInvocation = byInvocation.get(null);
  if (noInvocation) lanes.push(requestLane("none", null, noInvocation));
  return { lanes, marks, events, details, at, lastKnown };
}

export function buildLanes(result: Result): LanesModel {
  const { lanes, marks, events, details, at, lastKnown } = laneParts(result);
  const shown = pickLanes(lanes);
  const expiries = [...new Set(details.map((d) => d.expires).filter((e): e is string => e !== undefined))]
    .map((e) => ({ iso: e, ms: at(e) }))
    .filter((e): e is { iso: string; ms: number } => e.ms !== null && e.ms >= 0 && e.ms <= lastKnown * 1.1);
  const eventMarks = [
    ...events.filter((e) => e.kind !== "stop" || !shown.some((l) => l.invocationId === e.invocationId)).map(eventMark),
    ...expiries.map(expiryMark),
  ];
  const domainMs = Math.max(lastKnown, ...expiries.map((e) => e.ms));
  const unlinked = marks.filter((m) => m.attempt === null);
  return {
    lanes: shown,
    unlinked,
    events: eventMarks.sort((a, b) => a.atMs - b.atMs),
    domainMs,
    ticks: niceTicks(domainMs),
    ariaLabel: ariaLabel(shown, unlinked, domainMs),
  };
}

/** One invocation's lane (never folded), for the inspector; undefined when the run has no record of it. */
export function laneOf(result: Result, invocationId: string): Lane | undefined {
  return hasAttempts(result) ? laneParts(result).lanes.find((l) => l.invocationId === invocationId) : undefined;
}

function ledgerMark(
  e: Result["ledger"][number],
  link: LedgerLink | undefined,
  invocations: readonly InvocationAttempts[],
  at: (iso: string | null | undefined) => number | null,
): LedgerMark {
  const recordedMs = at(e.at) ?? 0;
  const askedMs = at(e.requestedAt) ?? recordedMs;
  const attempt = link?.attempt ?? null;
  const invocationId = link?.invocationId ?? null;
  const journal = journalOf(link);
  const trace: Trace = journal !== null ? "run" : attempt === null ? "unknown" : "none";
  const made = invocations.find((i) => i.invocationId === invocationId)?.attempts.find((a) => a.number === attempt);
  const failedAt = made?.outcome === "failed" ? at(made.endedAt) : null;
  const traceMs = journal ? at(journal.appendedAt) : null;
  const madeEnd = made ? at(made.endedAt) : null;
  // The attempt failed after asking, and no journal entry of its own records the answer: the answer never reached it.
  const unanswered = journal === null || (traceMs !== null && madeEnd !== null && traceMs > madeEnd);
  const failedAfter = failedAt !== null && failedAt >= askedMs && unanswered ? { atMs: failedAt, message: firstLine(made?.error?.message ?? "") } : null;

  const short = journal !== null ? `ctx.run "${journal.name}"` : trace === "unknown" ? "no recorded attempt" : "in no journal entry";
  const by =
    attempt === null
      ? "no attempt in Restate's records was running when it was asked for"
      : `made by attempt ${attempt}${invocationId ? ` of ${invocationId}` : ""}`;
  const where =
    journal === null
      ? attempt === null
        ? "so the run cannot tie it to a journal"
        : "in no journal entry: Restate knows nothing of this money movement (made outside ctx.run), so a retry cannot replay it"
      : `its id is the result of ctx.run "${journal.name}" (journal entry ${journal.index})`;
  const recorded = Math.abs(recordedMs - askedMs) >= 50 ? `, recorded by the gateway at +${formatMs(recordedMs)}` : "";
  const later =
    traceMs !== null && madeEnd !== null && traceMs > madeEnd
      ? ` The journal recorded it at +${formatMs(traceMs)}, after attempt ${attempt} had ended: a later attempt got it back.`
      : "";
  return {
    id: e.id,
    type: e.type,
    askedMs,
    recordedMs,
    invocationId,
    attempt,
    trace,
    traceIndex: journal ? journal.index : null,
    traceMs,
    tracedLater: traceMs !== null && madeEnd !== null && traceMs > madeEnd,
    failedAfter,
    short,
    text: `${e.type === "charge" ? "Charge" : "Refund"} ${e.id} (asked at +${formatMs(askedMs)}${recorded}): ${by}; ${where}.${later}`,
  };
}

function invocationLane(
  inv: InvocationAttempts,
  completion: string | null,
  requests: RequestOutcome[],
  marks: LedgerMark[],
  events: readonly PlanEvent[],
  at: (iso: string | null | undefined) => number | null,
  runEnd: number,
): Lane {
  const attempts: LaneAttempt[] = [];
  for (const a of inv.attempts) {
    const started = at(a.startedAt);
    const retried = at(a.retryOf);
    const previous = attempts.at(-1);
    const fromMs = started ?? retried ?? previous?.endMs ?? Math.min(runEnd, ...requests.map((r) => r.sentAtMs));
    const ended = at(a.endedAt);
    const endMs = Math.max(fromMs, ended ?? runEnd);
    attempts.push({
      number: a.number,
      fromMs,
      startKnown: started !== null,
      endMs,
      endKnown: ended !== null,
      outcome: a.outcome,
      error: a.error,
      entries: a.entries,
      text: attemptText(a, started, retried, ended),
    });
  }
  const failures = attempts.filter((a) => a.outcome === "failed").length;
  return {
    key: inv.invocationId,
    kind: "invocation",
    invocationId: inv.invocationId,
    heading: shortId(inv.invocationId),
    title: `${inv.target} · ${inv.status}${completion ? ` (${completion})` : ""} · ${counted(attempts.length, "attempt")}${failures > 0 ? `, ${failures} failed` : ""}`,
    attempts,
    marks: marks.filter((m) => m.invocationId === inv.invocationId && m.attempt !== null),
    stops: events
      .filter((e): e is Extract<PlanEvent, { kind: "stop" }> => e.kind === "stop" && e.invocationId === inv.invocationId)
      .map((e) => ({ atMs: e.atMs, how: e.how, status: e.status })),
    requests: requestGroups(requests),
    invocations: 1,
  };
}

function attemptText(a: AttemptRecord, started: number | null, retried: number | null, ended: number | null): string {
  const begin =
    started !== null
      ? `started at +${formatMs(started)}`
      : retried !== null
        ? `a retry after a back-off from the failure at +${formatMs(retried)} (Restate records no start for a retry)`
        : "no start recorded";
  const end =
    a.outcome === "failed"
      ? `failed at +${formatMs(ended ?? NaN)}${a.error ? `: ${firstLine(a.error.message)}${errorCodes(a.error)}${a.error.command ? `, on ${a.error.command.type.toLowerCase()} "${a.error.command.name}" (journal entry ${a.error.command.index})` : ""}` : ""}`
      : a.outcome === "completed"
        ? `completed at +${formatMs(ended ?? NaN)}`
        : `still ${a.outcome} when the run ended`;
  const entries = a.entries ? `; journal entries ${a.entries.first}–${a.entries.last}` : "; no journal entries";
  return `Attempt ${a.number}: ${begin}; ${end}${entries}.`;
}

function errorCodes(e: NonNullable<AttemptRecord["error"]>): string {
  const codes = [e.restateCode, e.code !== null ? `code ${e.code}` : null].filter((c) => c !== null);
  return codes.length > 0 ? ` (${codes.join(", ")})` : "";
}

function requestLane(kind: "unrecorded" | "none", id: string | null, requests: RequestOutcome[]): Lane {
  return {
    key: id ?? "(none)",
    kind,
    invocationId: id,
    heading: id ? shortId(id) : "no invocation",
    title: id ? `${id}: not in Restate's records of this run` : `${counted(requests.length, "request")} answered without an invocation id`,
    attempts: [],
    marks: [],
    stops: [],
    requests: requestGroups(requests),
    invocations: id ? 1 : 0,
  };
}

/** The lanes worth a row of their own (retried, charged, stopped, then the earliest), the rest folded into one. */
function pickLanes(lanes: Lane[]): Lane[] {
  const firstMs = (l: Lane) => Math.min(...l.attempts.map((a) => a.fromMs), ...l.requests.map((r) => r.startMs));
  const byTime = [...lanes].sort((a, b) => firstMs(a) - firstMs(b));
  if (lanes.length <= MAX_LANES) return byTime;
  const weight = (l: Lane) => (l.attempts.length > 1 ? 4 : 0) + (l.marks.length > 0 ? 2 : 0) + (l.stops.length > 0 ? 2 : 0) + (l.kind === "none" ? 1 : 0);
  const keep = new Set([...lanes].sort((a, b) => weight(b) - weight(a) || firstMs(a) - firstMs(b)).slice(0, MAX_LANES - 1));
  const rest = byTime.filter((l) => !keep.has(l));
  const attempts = rest.flatMap((l) => l.attempts);
  const failures = attempts.filter((a) => a.outcome === "failed").length;
  const count = rest.reduce((n, l) => n + l.invocations, 0);
  const span: LaneAttempt[] =
    attempts.length === 0
      ? []
      : [
          {
            number: 0,
            fromMs: Math.min(...attempts.map((a) => a.fromMs)),
            startKnown: attempts.every((a) => a.startKnown),
            endMs: Math.max(...attempts.map((a) => a.endMs)),
            endKnown: attempts.every((a) => a.endKnown),
            outcome: failures > 0 ? "failed" : attempts.every((a) => a.outcome === "completed") ? "completed" : "running",
            error: null,
            entries: null,
            text: `${counted(attempts.length, "attempt")} of ${counted(count, "invocation")}, from +${formatMs(Math.min(...attempts.map((a) => a.fromMs)))} to +${formatMs(Math.max(...attempts.map((a) => a.endMs)))}${failures > 0 ? `, ${failures} failed` : ", none failed"}.`,
          },
        ];
  const others: Lane = {
    key: "(others)",
    kind: "others",
    invocationId: null,
    heading: `+${formatCount(count)} more`,
    title: `${counted(count, "more invocation")}${attempts.length > 0 ? `: ${counted(attempts.length, "attempt")}${failures > 0 ? `, ${failures} failed` : ", none failed"}` : ""}`,
    attempts: span,
    marks: rest.flatMap((l) => l.marks),
    stops: rest.flatMap((l) => l.stops),
    requests: requestGroupsOf(rest),
    invocations: count,
  };
  return [...byTime.filter((l) => keep.has(l)), others];
}

function ariaLabel(lanes: Lane[], unlinked: LedgerMark[], domainMs: number): string {
  const invocations = lanes.reduce((n, l) => n + (l.kind === "none" ? 0 : l.invocations), 0);
  const attempts = lanes.reduce((n, l) => n + (l.kind === "others" ? 0 : l.attempts.length), 0);
  const charges = lanes
    .flatMap((l) => l.marks)
    .concat(unlinked)
    .filter((m) => m.type === "charge");
  const untraced = charges.filter((m) => m.trace === "none").length;
  return `Attempts timeline over ${formatMs(domainMs)}: ${counted(invocations, "invocation")}${attempts > 0 ? `, ${counted(attempts, "attempt")} drawn` : ""}; ${counted(charges.length, "charge")}${untraced > 0 ? `, ${untraced} in no journal entry` : ""}. The list below the chart says the same in words.`;
}

export function shortId(id: string): string {
  return id.length <= 14 ? id : `${id.slice(0, 8)}…${id.slice(-4)}`;
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
