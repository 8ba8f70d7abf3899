// The lab panel's view models: pure functions from protocol data to what the webview draws.
// No DOM here (the unit tests run this in Node), and nothing that depends on the clock or locale
// unless it is passed in.
import {
  ANSWER_KINDS,
  CUSTOM_SCENARIO,
  MAX_BODY_LENGTH,
  MAX_CLIENT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_COUNT,
  MAX_ID_LENGTH,
  MAX_KEY_LENGTH,
  MAX_SLOW_GATEWAY_MS,
} from "../shared/protocol.js";
import type { LabStatus, RunRecord, RunRequest, RunSummary, ScenarioInfo } from "../shared/protocol.js";
import type { AnswerKind, InvocationRow, LedgerEntry, RequestOutcome, Verdict } from "../shared/protocol.js";

export type Result = RunRecord["result"];

export const CUSTOM_SCENARIO_ID = CUSTOM_SCENARIO.id;
/** What the extension's custom scenario uses when the builder sends nothing else. */
export const CUSTOM_DEFAULTS = CUSTOM_SCENARIO.defaults;
export const DEFAULT_CUSTOM_BODY = JSON.stringify(CUSTOM_SCENARIO.body, null, 2);

// ---------------------------------------------------------------------------------------------
// Formatting

export function formatCount(n: number): string {
  // Grouped by hand: toLocaleString depends on the webview's locale.
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** "14:03:27" for today, "2026-11-27 14:03" otherwise (in the given time zone offset's local time). */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const sameDay = t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  const time = `${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}`;
  return sameDay ? time : `${t.getFullYear()}-${pad2(t.getMonth() + 1)}-${pad2(t.getDate())} ${time.slice(0, 5)}`;
}

/** Local time of day with milliseconds, "14:03:27.512". */
export function formatClock(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}.${String(t.getMilliseconds()).padStart(3, "0")}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + "…";
}

export function answerLabel(kind: AnswerKind): string {
  return kind.replace(/-/g, " ");
}

/** A value as one line of text: strings as they are, everything else as compact JSON. */
export function oneLine(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Lab status

export interface LabView {
  state: LabStatus["state"];
  headline: string;
  detail: string | null;
  urls: { label: string; url: string }[];
  showStart: boolean;
  startDisabled: boolean;
  canRun: boolean;
}

export function describeLab(lab: LabStatus | null): LabView {
  if (lab === null) return { state: "stopped", headline: "Connecting to the extension…", detail: null, urls: [], showStart: false, startDisabled: true, canRun: false };
  switch (lab.state) {
    case "ready":
      return {
        state: "ready",
        headline: "Lab ready",
        detail: null,
        urls: [
          { label: "ingress", url: lab.ingress },
          { label: "admin", url: lab.admin },
          { label: "gateway", url: lab.gateway },
        ],
        showStart: false,
        startDisabled: true,
        canRun: true,
      };
    case "starting":
      return { state: "starting", headline: "Lab starting…", detail: null, urls: [], showStart: true, startDisabled: true, canRun: false };
    case "stopping":
      return { state: "stopping", headline: "Lab stopping…", detail: null, urls: [], showStart: true, startDisabled: true, canRun: false };
    case "error":
      return { state: "error", headline: "Lab error", detail: lab.message, urls: [], showStart: true, startDisabled: false, canRun: false };
    default:
      return { state: "stopped", headline: "Lab stopped", detail: "Start it to run scenarios.", urls: [], showStart: true, startDisabled: false, canRun: false };
  }
}

// ---------------------------------------------------------------------------------------------
// Request builder

export interface BuilderValues {
  count: string;
  concurrency: string;
  paymentMode: "fresh" | "fixed";
  paymentId: string;
  keyMode: "generate" | "fixed" | "none";
  fixedKey: string;
  body: string;
  clientTimeoutMs: string;
  slowGatewayMs: string;
  gatewayTimeoutAfterCharge: boolean;
  crashAfterJournal: boolean;
}

export type BuilderField = "count" | "concurrency" | "paymentId" | "fixedKey" | "body" | "clientTimeoutMs" | "slowGatewayMs";

export interface BuilderCheck {
  /** The request to send, or null while any field is invalid. */
  request: RunRequest | null;
  errors: Partial<Record<BuilderField, string>>;
}

export function scenarioDefaults(scenarioId: string, scenarios: readonly ScenarioInfo[]): { count: number; concurrency: number } {
  if (scenarioId === CUSTOM_SCENARIO_ID) return { ...CUSTOM_DEFAULTS };
  return scenarios.find((s) => s.id === scenarioId)?.defaults ?? { ...CUSTOM_DEFAULTS };
}

export function defaultBuilderValues(defaults: { count: number; concurrency: number } = CUSTOM_DEFAULTS): BuilderValues {
  return {
    count: String(defaults.count),
    concurrency: String(defaults.concurrency),
    paymentMode: "fresh",
    paymentId: "",
    keyMode: "generate",
    fixedKey: "",
    body: DEFAULT_CUSTOM_BODY,
    clientTimeoutMs: "",
    slowGatewayMs: "",
    gatewayTimeoutAfterCharge: false,
    crashAfterJournal: false,
  };
}

/** Builder values for another scenario: its default count and concurrency, the custom fields kept. */
export function valuesForScenario(values: BuilderValues, defaults: { count: number; concurrency: number }): BuilderValues {
  return { ...values, count: String(defaults.count), concurrency: String(defaults.concurrency) };
}

type IntCheck = { ok: true; value: number } | { ok: false; error: string };

/** A whole number typed in a field, within [min, max]; the message names the same limits as protocol.ts. */
export function parseWholeNumber(text: string, min: number, max: number, what: string): IntCheck {
  const t = text.trim();
  const range = `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a whole number from ${formatCount(min)} to ${formatCount(max)}`;
  if (t === "") return { ok: false, error: `Enter ${what}: a whole number from ${formatCount(min)} to ${formatCount(max)}` };
  if (!/^\d+$/.test(t)) return { ok: false, error: range };
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n < min || n > max) return { ok: false, error: range };
  return { ok: true, value: n };
}

/** The JSON error message of a body text, or null when it parses. */
export function jsonError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Validates the builder and makes the run request; the limits are protocol.ts's own. */
export function validateBuilder(scenarioId: string, values: BuilderValues): BuilderCheck {
  const errors: Partial<Record<BuilderField, string>> = {};
  const count = parseWholeNumber(values.count, 1, MAX_COUNT, "the count");
  if (!count.ok) errors.count = count.error;
  const concurrency = parseWholeNumber(values.concurrency, 1, MAX_CONCURRENCY, "the concurrency");
  if (!concurrency.ok) errors.concurrency = concurrency.error;

  if (scenarioId !== CUSTOM_SCENARIO_ID) {
    if (!count.ok || !concurrency.ok) return { request: null, errors };
    return { request: { scenario: scenarioId, count: count.value, concurrency: concurrency.value }, errors };
  }

  let paymentId: string | null = null;
  if (values.paymentMode === "fixed") {
    const id = values.paymentId.trim();
    if (id === "") errors.paymentId = "Enter a payment id, or choose a new one per run";
    else if (id.length > MAX_ID_LENGTH || !/^[A-Za-z0-9._~-]+$/.test(id)) {
      errors.paymentId = `Use letters, digits, '.', '_', '~' or '-', at most ${MAX_ID_LENGTH} characters`;
    } else paymentId = id;
  }

  let fixedKey: string | undefined;
  if (values.keyMode === "fixed") {
    const key = values.fixedKey;
    if (key === "") errors.fixedKey = "Enter the idempotency key";
    else if (key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
      errors.fixedKey = `Use 1 to ${MAX_KEY_LENGTH} printable ASCII characters without spaces`;
    } else fixedKey = key;
  }

  if (values.body.length > MAX_BODY_LENGTH) errors.body = `The body is ${formatCount(values.body.length)} characters; at most ${formatCount(MAX_BODY_LENGTH)}`;
  else {
    const bodyError = jsonError(values.body);
    if (bodyError !== null) errors.body = `Not valid JSON: ${bodyError}`;
  }

  let clientTimeoutMs: number | null = null;
  if (values.clientTimeoutMs.trim() !== "") {
    const t = parseWholeNumber(values.clientTimeoutMs, 1, MAX_CLIENT_TIMEOUT_MS, "the client timeout");
    if (t.ok) clientTimeoutMs = t.value;
    else errors.clientTimeoutMs = t.error;
  }

  let slowGatewayMs: number | undefined;
  if (values.slowGatewayMs.trim() !== "") {
    const s = parseWholeNumber(values.slowGatewayMs, 0, MAX_SLOW_GATEWAY_MS, "the gateway delay");
    if (s.ok) slowGatewayMs = s.value;
    else errors.slowGatewayMs = s.error;
  }

  if (Object.keys(errors).length > 0 || !count.ok || !concurrency.ok) return { request: null, errors };
  const request: RunRequest = {
    scenario: CUSTOM_SCENARIO_ID,
    count: count.value,
    concurrency: concurrency.value,
    paymentId,
    key: values.keyMode,
    ...(fixedKey !== undefined ? { fixedKey } : {}),
    body: values.body,
    clientTimeoutMs,
    faults: {
      ...(slowGatewayMs !== undefined && slowGatewayMs > 0 ? { slowGatewayMs } : {}),
      gatewayTimeoutAfterCharge: values.gatewayTimeoutAfterCharge,
      crashAfterJournal: values.crashAfterJournal,
    },
  };
  return { request, errors };
}

// ---------------------------------------------------------------------------------------------
// Summary and verdict

export type Tone = "good" | "warn" | "bad" | "neutral";

export interface SummaryCard {
  testid: string;
  label: string;
  value: string;
  /** The number behind the value, for data-value (tests read it without the thousands separators). */
  raw: number;
  tone: Tone;
  hint: string;
}

export function summaryCards(result: Result): SummaryCard[] {
  const payments = Math.max(1, result.paymentIds.length);
  return [
    { testid: "summary-requests", label: "Requests", value: formatCount(result.requests), raw: result.requests, tone: "neutral", hint: "requests sent" },
    {
      testid: "summary-responses",
      label: "Distinct responses",
      value: formatCount(result.distinctResponses),
      raw: result.distinctResponses,
      tone: result.distinctResponses > 1 ? "warn" : "neutral",
      hint: "different answers",
    },
    {
      testid: "summary-invocations",
      label: "Distinct invocations",
      value: formatCount(result.distinctInvocations),
      raw: result.distinctInvocations,
      tone: "neutral",
      hint: "handler runs behind the answers",
    },
    {
      testid: "summary-charges",
      label: "Charges",
      value: formatCount(result.charges),
      raw: result.charges,
      tone: result.charges > payments ? "bad" : result.charges === payments ? "good" : "neutral",
      hint: "in the gateway's ledger",
    },
    { testid: "summary-refunds", label: "Refunds", value: formatCount(result.refunds), raw: result.refunds, tone: "neutral", hint: "in the gateway's ledger" },
    { testid: "summary-duration", label: "Duration", value: formatMs(result.durationMs), raw: result.durationMs, tone: "neutral", hint: "whole run" },
  ];
}

export interface VerdictView {
  word: Verdict;
  tone: Verdict;
  asExpected: boolean;
  /** One sentence about the verdict against the scenario's expected one. */
  comparison: string;
}

export function verdictView(result: Pick<Result, "verdict" | "expectedVerdict" | "kind">): VerdictView {
  const { verdict, expectedVerdict } = result;
  const asExpected = verdict === expectedVerdict;
  let comparison: string;
  if (verdict === "skipped") comparison = `Skipped: this scenario could not run here (a correct lab shows ${expectedVerdict}).`;
  else if (asExpected && verdict === "safe") comparison = "As expected: every invariant held.";
  else if (asExpected) comparison = "As expected: the anti-pattern showed its flaw.";
  else comparison = `Not what the lesson expects: a correct lab shows ${expectedVerdict}.`;
  return { word: verdict, tone: verdict, asExpected, comparison };
}

export function answerCounts(details: readonly RequestOutcome[]): Record<AnswerKind, number> {
  const counts = Object.fromEntries(ANSWER_KINDS.map((k) => [k, 0])) as Record<AnswerKind, number>;
  for (const d of details) counts[d.answer] = (counts[d.answer] ?? 0) + 1;
  return counts;
}

export function describeCounts(counts: Partial<Record<AnswerKind, number>>): string {
  const parts = ANSWER_KINDS.filter((k) => (counts[k] ?? 0) > 0).map((k) => `${formatCount(counts[k] ?? 0)} ${answerLabel(k)}`);
  return parts.length > 0 ? parts.join(", ") : "no answers";
}

// ---------------------------------------------------------------------------------------------
// Timeline

export interface TimelineRow {
  /** First and last request index of the row (equal when the row is one request). */
  first: number;
  last: number;
  startMs: number;
  endMs: number;
  kind: AnswerKind;
  counts: Partial<Record<AnswerKind, number>>;
  label: string;
  title: string;
}

export interface TimelineMarker {
  id: string;
  type: LedgerEntry["type"];
  atMs: number;
  label: string;
}

export interface TimelineModel {
  rows: TimelineRow[];
  markers: TimelineMarker[];
  domainMs: number;
  ticks: number[];
  aggregated: boolean;
  bucketSize: number;
  counts: Record<AnswerKind, number>;
  ariaLabel: string;
}

export interface TimelineOptions {
  /** Above this many requests, rows are buckets of consecutive requests. */
  aggregateAbove?: number;
  /** At most this many bucket rows. */
  maxRows?: number;
}

/** The answer kind with the most requests; ties go to the kind listed first in ANSWER_KINDS. */
export function dominantKind(counts: Partial<Record<AnswerKind, number>>): AnswerKind {
  let best: AnswerKind = "executed";
  let bestCount = -1;
  for (const k of ANSWER_KINDS) {
    const n = counts[k] ?? 0;
    if (n > bestCount) {
      best = k;
      bestCount = n;
    }
  }
  return best;
}

export function ledgerForPayments(result: Pick<Result, "ledger" | "paymentIds">): LedgerEntry[] {
  return result.paymentIds.length === 0 ? result.ledger : result.ledger.filter((e) => result.paymentIds.includes(e.paymentId));
}

export function ledgerMarkers(result: Pick<Result, "ledger" | "paymentIds" | "startedAt">): TimelineMarker[] {
  const start = Date.parse(result.startedAt);
  return ledgerForPayments(result)
    .map((e) => {
      const at = Date.parse(e.at);
      return { id: e.id, type: e.type, atMs: Number.isFinite(at) && Number.isFinite(start) ? at - start : 0, label: `${e.type} ${e.id}` };
    })
    .sort((a, b) => a.atMs - b.atMs);
}

/** About `target` round tick values (1, 2 or 5 times a power of ten) from 0 to at least max. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= max + step * 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

export function buildTimeline(result: Result, options: TimelineOptions = {}): TimelineModel {
  const aggregateAbove = options.aggregateAbove ?? 200;
  const maxRows = options.maxRows ?? 100;
  const details = [...result.requestsDetail].sort((a, b) => a.index - b.index);
  const counts = answerCounts(details);
  const aggregated = details.length > aggregateAbove;
  const bucketSize = aggregated ? Math.ceil(details.length / maxRows) : 1;
  const rows: TimelineRow[] = [];
  for (let i = 0; i < details.length; i += bucketSize) {
    const bucket = details.slice(i, i + bucketSize);
    const first = bucket[0]!;
    const last = bucket[bucket.length - 1]!;
    let startMs = Infinity;
    let endMs = -Infinity;
    const c: Partial<Record<AnswerKind, number>> = {};
    for (const d of bucket) {
      startMs = Math.min(startMs, d.sentAtMs);
      endMs = Math.max(endMs, d.sentAtMs + Math.max(0, d.latencyMs));
      c[d.answer] = (c[d.answer] ?? 0) + 1;
    }
    const kind = dominantKind(c);
    if (bucket.length === 1) {
      rows.push({
        first: first.index,
        last: first.index,
        startMs,
        endMs,
        kind,
        counts: c,
        label: `#${first.index}`,
        title: `#${first.index} ${answerLabel(first.answer)}: sent at ${formatMs(first.sentAtMs)}, answered after ${formatMs(first.latencyMs)}${first.status !== null ? `, status ${first.status}` : ""}${first.error ? ` (${first.error})` : ""}`,
      });
    } else {
      rows.push({
        first: first.index,
        last: last.index,
        startMs,
        endMs,
        kind,
        counts: c,
        label: `#${first.index}–${last.index}`,
        title: `Requests #${first.index}–${last.index} (${bucket.length}): ${describeCounts(c)}; sent from ${formatMs(startMs)}, last answer at ${formatMs(endMs)}`,
      });
    }
  }
  const markers = ledgerMarkers(result);
  const domainMs = Math.max(1, ...rows.map((r) => r.endMs), ...markers.map((m) => m.atMs));
  const charges = markers.filter((m) => m.type === "charge").length;
  const refunds = markers.length - charges;
  const ariaLabel =
    `Timeline of ${formatCount(details.length)} request${details.length === 1 ? "" : "s"} over ${formatMs(domainMs)}` +
    (aggregated ? `, in ${rows.length} groups of ${bucketSize}` : "") +
    `: ${describeCounts(counts)}. Ledger: ${charges} charge${charges === 1 ? "" : "s"}, ${refunds} refund${refunds === 1 ? "" : "s"}` +
    (markers.length > 0 && markers.length <= 5 ? ` (${markers.map((m) => `${m.label} at ${formatMs(m.atMs)}`).join("; ")})` : "") +
    ".";
  return { rows, markers, domainMs, ticks: niceTicks(domainMs), aggregated, bucketSize, counts, ariaLabel };
}

export interface TimelineGeometry {
  width: number;
  height: number;
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  rowHeight: number;
  barHeight: number;
  /** Labels every this many rows (0: none). */
  labelEvery: number;
  x: (ms: number) => number;
  y: (row: number) => number;
}

export function timelineGeometry(model: Pick<TimelineModel, "rows" | "domainMs">, width: number): TimelineGeometry {
  const plotLeft = 72;
  const plotRight = Math.max(plotLeft + 40, width - 16);
  const plotTop = 22;
  const n = Math.max(1, model.rows.length);
  const rowHeight = Math.max(3, Math.min(18, Math.floor(320 / n)));
  const barHeight = Math.max(2, rowHeight - (rowHeight >= 8 ? 4 : 1));
  const labelEvery = rowHeight >= 12 ? 1 : Math.ceil(36 / rowHeight);
  const height = plotTop + n * rowHeight + 26;
  const scale = (plotRight - plotLeft) / Math.max(1, model.domainMs);
  return {
    width,
    height,
    plotLeft,
    plotRight,
    plotTop,
    rowHeight,
    barHeight,
    labelEvery,
    x: (ms) => plotLeft + Math.min(model.domainMs, Math.max(0, ms)) * scale,
    y: (row) => plotTop + row * rowHeight,
  };
}

// ---------------------------------------------------------------------------------------------
// Virtualized lists

export interface VirtualWindow {
  /** First rendered row (inclusive) and last (exclusive). */
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

export function virtualWindow(p: { scrollTop: number; viewportHeight: number; rowHeight: number; total: number; overscan?: number }): VirtualWindow {
  const overscan = p.overscan ?? 8;
  const total = Math.max(0, p.total);
  const maxScroll = Math.max(0, total * p.rowHeight - p.viewportHeight);
  const scrollTop = Math.min(Math.max(0, p.scrollTop), maxScroll);
  const start = Math.max(0, Math.floor(scrollTop / p.rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + p.viewportHeight) / p.rowHeight) + overscan);
  return { start, end: Math.max(start, end), padTop: start * p.rowHeight, padBottom: (total - Math.max(start, end)) * p.rowHeight };
}

/** Request indices (positions in requestsDetail, sorted by index) that show for an answer filter. */
export function filterRequests(details: readonly RequestOutcome[], kind: AnswerKind | "all"): RequestOutcome[] {
  const sorted = [...details].sort((a, b) => a.index - b.index);
  return kind === "all" ? sorted : sorted.filter((d) => d.answer === kind);
}

// ---------------------------------------------------------------------------------------------
// Responses and diff

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) out[key] = canonicalize((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(canonicalize(value === undefined ? null : value), null, indent) ?? "null";
}

export interface ResponseGroup {
  key: string;
  status: number | null;
  count: number;
  firstIndex: number;
  pretty: string;
  answers: Partial<Record<AnswerKind, number>>;
  /** An error of the group's requests, for answers without a status. */
  error: string | null;
}

/** Distinct answers (status + canonical response), most common first. */
export function groupResponses(details: readonly RequestOutcome[]): ResponseGroup[] {
  const groups = new Map<string, ResponseGroup>();
  for (const d of details) {
    const json = canonicalJson(d.response);
    const key = `${d.status ?? "none"} ${json}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, status: d.status, count: 0, firstIndex: d.index, pretty: canonicalJson(d.response, 2), answers: {}, error: d.error ?? null };
      groups.set(key, g);
    }
    g.count++;
    g.firstIndex = Math.min(g.firstIndex, d.index);
    g.answers[d.answer] = (g.answers[d.answer] ?? 0) + 1;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.firstIndex - b.firstIndex);
}

export interface DiffLine {
  op: "same" | "removed" | "added";
  text: string;
}

/** A line diff of two texts by longest common subsequence. */
export function diffLines(a: string, b: string, maxCells = 4_000_000): DiffLine[] {
  const x = a.split("\n");
  const y = b.split("\n");
  if (x.length * y.length > maxCells) {
    return [...x.map((text) => ({ op: "removed" as const, text })), ...y.map((text) => ({ op: "added" as const, text }))];
  }
  const n = x.length;
  const m = y.length;
  // lcs[i][j]: LCS length of x[i..] and y[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: "same", text: x[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) out.push({ op: "removed", text: x[i++]! });
    else out.push({ op: "added", text: y[j++]! });
  }
  while (i < n) out.push({ op: "removed", text: x[i++]! });
  while (j < m) out.push({ op: "added", text: y[j++]! });
  return out;
}

export function statusLabel(status: number | null): string {
  return status === null ? "no answer" : `status ${status}`;
}

// ---------------------------------------------------------------------------------------------
// Tables

export function invocationFor(result: Pick<Result, "invocations">, id: string): InvocationRow | undefined {
  return result.invocations.find((i) => i.id === id);
}

export function formatAmount(amount: number, currency: string): string {
  // Amounts are integer minor units (cents for USD).
  const major = (amount / 100).toFixed(2);
  return `${major} ${currency}`;
}

// ---------------------------------------------------------------------------------------------
// History and comparison

export function sortHistory(history: readonly RunSummary[]): RunSummary[] {
  return [...history].sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt) || (a.runId < b.runId ? 1 : -1));
}

export interface CompareRow {
  group: "run" | "metric" | "invariant";
  label: string;
  a: string;
  b: string;
  /** For invariants: each side's ok (null when that run has no such invariant). */
  okA: boolean | null;
  okB: boolean | null;
  differs: boolean;
}

function requestSettings(r: RunRecord): string {
  const q = r.request;
  const parts = [`count ${q.count ?? "default"}`, `concurrency ${q.concurrency ?? "default"}`];
  if (q.scenario === CUSTOM_SCENARIO_ID) {
    parts.push(`key ${q.key ?? "generate"}${q.key === "fixed" && q.fixedKey ? ` (${q.fixedKey})` : ""}`);
    if (q.clientTimeoutMs) parts.push(`timeout ${q.clientTimeoutMs} ms`);
    const f = q.faults ?? {};
    if (f.slowGatewayMs) parts.push(`slow gateway ${f.slowGatewayMs} ms`);
    if (f.gatewayTimeoutAfterCharge) parts.push("lost gateway answer");
    if (f.crashAfterJournal) parts.push("crash after journal");
  }
  return parts.join(", ");
}

export function compareRuns(a: RunRecord, b: RunRecord): CompareRow[] {
  const row = (group: CompareRow["group"], label: string, va: string, vb: string): CompareRow => ({ group, label, a: va, b: vb, okA: null, okB: null, differs: va !== vb });
  const ra = a.result;
  const rb = b.result;
  const rows: CompareRow[] = [
    row("run", "Scenario", ra.title, rb.title),
    row("run", "Settings", requestSettings(a), requestSettings(b)),
    row("run", "Finished", a.finishedAt, b.finishedAt),
    row("metric", "Verdict", ra.verdict, rb.verdict),
    row("metric", "Expected verdict", ra.expectedVerdict, rb.expectedVerdict),
    row("metric", "Requests", String(ra.requests), String(rb.requests)),
    row("metric", "Distinct responses", String(ra.distinctResponses), String(rb.distinctResponses)),
    row("metric", "Distinct invocations", String(ra.distinctInvocations), String(rb.distinctInvocations)),
    row("metric", "Charges", String(ra.charges), String(rb.charges)),
    row("metric", "Refunds", String(ra.refunds), String(rb.refunds)),
    row("metric", "Duration", formatMs(ra.durationMs), formatMs(rb.durationMs)),
  ];
  const ca = answerCounts(ra.requestsDetail);
  const cb = answerCounts(rb.requestsDetail);
  for (const k of ANSWER_KINDS) {
    if (ca[k] === 0 && cb[k] === 0) continue;
    rows.push(row("metric", `Answers: ${answerLabel(k)}`, String(ca[k]), String(cb[k])));
  }
  // Finished times and durations always differ; they are not what the learner compares.
  for (const r of rows) if (r.label === "Finished" || r.label === "Duration") r.differs = false;
  const names = [...new Set([...ra.invariants.map((i) => i.name), ...rb.invariants.map((i) => i.name)])];
  for (const name of names) {
    const ia = ra.invariants.find((i) => i.name === name);
    const ib = rb.invariants.find((i) => i.name === name);
    const show = (i: typeof ia) => (i ? `${i.ok ? "ok" : "FAIL"}: ${String(i.observed)} (expected ${String(i.expected)})` : "—");
    const okA = ia ? ia.ok : null;
    const okB = ib ? ib.ok : null;
    rows.push({ group: "invariant", label: name, a: show(ia), b: show(ib), okA, okB, differs: okA !== okB || String(ia?.observed) !== String(ib?.observed) });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Persisted webview state

export type MainView = "run" | "compare";

export interface PersistedState {
  version: 1;
  scenarioId: string | null;
  builder: BuilderValues | null;
  currentRunId: string | null;
  compareA: string | null;
  compareB: string | null;
  view: MainView;
}

export const EMPTY_STATE: PersistedState = { version: 1, scenarioId: null, builder: null, currentRunId: null, compareA: null, compareB: null, view: "run" };

const isStr = (v: unknown): v is string => typeof v === "string";
const optId = (v: unknown): string | null => (isStr(v) && v.length > 0 && v.length <= MAX_ID_LENGTH ? v : null);

/** Reads what vscode.getState() returned, keeping only well-formed fields. */
export function restoreState(raw: unknown): PersistedState {
  if (raw === null || typeof raw !== "object") return { ...EMPTY_STATE };
  const s = raw as Record<string, unknown>;
  if (s.version !== 1) return { ...EMPTY_STATE };
  let builder: BuilderValues | null = null;
  const b = s.builder as Record<string, unknown> | null | undefined;
  if (b && typeof b === "object") {
    const d = defaultBuilderValues();
    const str = (k: keyof BuilderValues) => (isStr(b[k]) ? (b[k] as string) : (d[k] as string));
    builder = {
      count: str("count"),
      concurrency: str("concurrency"),
      paymentMode: b.paymentMode === "fixed" ? "fixed" : "fresh",
      paymentId: str("paymentId"),
      keyMode: b.keyMode === "fixed" || b.keyMode === "none" ? b.keyMode : "generate",
      fixedKey: str("fixedKey"),
      body: str("body"),
      clientTimeoutMs: str("clientTimeoutMs"),
      slowGatewayMs: str("slowGatewayMs"),
      gatewayTimeoutAfterCharge: b.gatewayTimeoutAfterCharge === true,
      crashAfterJournal: b.crashAfterJournal === true,
    };
  }
  return {
    version: 1,
    scenarioId: optId(s.scenarioId),
    builder,
    currentRunId: optId(s.currentRunId),
    compareA: optId(s.compareA),
    compareB: optId(s.compareB),
    view: s.view === "compare" ? "compare" : "run",
  };
}

/** A small most-recently-used cache of run records (a 10,000-request record is megabytes). */
export class RunCache {
  private readonly records = new Map<string, RunRecord>();
  constructor(private readonly capacity = 6) {}

  get(runId: string): RunRecord | undefined {
    const r = this.records.get(runId);
    if (r) {
      this.records.delete(runId);
      this.records.set(runId, r);
    }
    return r;
  }

  has(runId: string): boolean {
    return this.records.has(runId);
  }

  /** Stores a record; `keep` names run ids that must not be evicted (the ones on screen). */
  put(record: RunRecord, keep: readonly (string | null)[] = []): void {
    this.records.delete(record.runId);
    this.records.set(record.runId, record);
    for (const id of [...this.records.keys()]) {
      if (this.records.size <= this.capacity) break;
      if (id !== record.runId && !keep.includes(id)) this.records.delete(id);
    }
  }

  get size(): number {
    return this.records.size;
  }
}

// ---------------------------------------------------------------------------------------------
// Incoming data: parseToWebview checks messages' shape; these drop malformed list items so one
// bad entry cannot break the view.

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function sanitizeScenarios(list: readonly unknown[]): ScenarioInfo[] {
  return list.filter(
    (s): s is ScenarioInfo =>
      isObj(s) &&
      isStr(s.id) &&
      /^[a-z0-9-]+$/.test(s.id) &&
      s.id !== CUSTOM_SCENARIO_ID &&
      isStr(s.title) &&
      isStr(s.lesson) &&
      (s.kind === "idempotent" || s.kind === "anti-pattern") &&
      isObj(s.defaults) &&
      isNum(s.defaults.count) &&
      isNum(s.defaults.concurrency),
  );
}

export function sanitizeHistory(list: readonly unknown[]): RunSummary[] {
  return sortHistory(
    list.filter(
      (h): h is RunSummary =>
        isObj(h) && isStr(h.runId) && h.runId.length > 0 && h.runId.length <= MAX_ID_LENGTH && isStr(h.title) && isStr(h.verdict) && isNum(h.requests) && isNum(h.charges) && isStr(h.finishedAt),
    ),
  );
}

export function sanitizeJournal(list: readonly unknown[]): { index: number; type: string; name: string; appendedAt: string | null }[] {
  return list
    .filter((e): e is Record<string, unknown> => isObj(e) && isNum(e.index))
    .map((e) => ({ index: e.index as number, type: isStr(e.type) ? e.type : "?", name: isStr(e.name) ? e.name : "", appendedAt: isStr(e.appendedAt) ? e.appendedAt : null }));
}

/** What is wrong with a run record that the views cannot show, or null when it is well formed. */
export function runRecordProblem(record: RunRecord): string | null {
  const r = record.result as unknown;
  if (!isObj(r)) return "it has no result";
  for (const k of ["invariants", "notes", "paymentIds", "ledger", "invocations", "requestsDetail"]) if (!Array.isArray(r[k])) return `its result has no ${k} list`;
  for (const k of ["requests", "distinctResponses", "distinctInvocations", "charges", "refunds", "durationMs"]) if (!isNum(r[k])) return `its result has no number ${k}`;
  for (const k of ["title", "lesson", "verdict", "expectedVerdict", "explanation", "startedAt"]) if (!isStr(r[k])) return `its result has no ${k}`;
  const details = r.requestsDetail as unknown[];
  if (details.some((d) => !isObj(d) || !isNum(d.index) || !isNum(d.sentAtMs) || !isNum(d.latencyMs) || !ANSWER_KINDS.includes(d.answer as AnswerKind))) {
    return "a request in it is malformed";
  }
  if (!isObj(record.request)) return "it has no request";
  return null;
}
