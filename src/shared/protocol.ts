// The messages between the lab panel's webview (src/webview) and the extension (src/extension/panel).
// Both sides import this file, and both validate what they receive with the parsers below:
// a message that does not parse is logged and dropped, never acted on.
import { predictionProblem } from "./prediction.js";
import type { Prediction, PredictionScore } from "./prediction.js";
import type { ScenarioKind, ScenarioResult, Verdict } from "./run-result.js";
import { listProblem, runRecordShapeProblem } from "./run-record-check.js";
import { CHAOS_SCENARIO_ID, type AnyRunRecord, type ChaosRunRequest, type ChaosSettings } from "./chaos-record.js";
import { chaosRecordProblem, chaosRequestOf, chaosRequestProblem, chaosSettingsProblem } from "./chaos-record-check.js";
import { fail, isInt, isObject, ok, type Parsed } from "./parse.js";
import { scenarioCodeProblem, sourcePlaceProblem, type ScenarioCode } from "./code.js";
import { CUSTOM_SCENARIO, isId, MAX_CONCURRENCY, MAX_COUNT, parseRunRequest, type RunRequest } from "./run-request.js";
import { isChaosCommandLine, shrinkSummaryProblem, type ShrinkSummary } from "./shrink-summary.js";

export * from "./chaos-record.js";
export * from "./code.js";
export * from "./prediction.js";
export * from "./run-result.js";
export * from "./run-request.js";
export * from "./shrink-summary.js";
export { jsonError, type Parsed } from "./parse.js";

/**
 * The extension's context keys (`setContext`): the walkthrough's steps complete on them
 * (package.json names them too; a unit test checks the two agree).
 */
export const CONTEXT_KEYS = {
  /** The lab is running now. */
  labReady: "idempotencyLab.labReady",
  // Milestones: once reached, kept (src/extension/learning-progress.ts).
  labScaffolded: "idempotencyLab.labScaffolded",
  labStarted: "idempotencyLab.labStarted",
  replayed: "idempotencyLab.replayed",
  validationPassed: "idempotencyLab.validationPassed",
  exercisePassed: "idempotencyLab.exercisePassed",
  /** A whole prediction of an anti-pattern's run was right. */
  predicted: "idempotencyLab.predicted",
} as const;

/** The panel's settings (package.json's idempotencyLab.*), read by the extension and sent to the webview. */
export interface PanelSettings {
  /** Ask for a prediction before each run (idempotencyLab.predictBeforeRun). */
  predictBeforeRun: boolean;
}

/** The catalog's groups, in the order it shows them; the final exam is the chaos run's. */
export const SCENARIO_GROUPS = ["basics", "failures", "anti-patterns", "keys-and-retention", "final-exam"] as const;
export type ScenarioGroup = (typeof SCENARIO_GROUPS)[number];

export interface ScenarioInfo {
  id: string;
  title: string;
  lesson: string;
  kind: ScenarioKind;
  /** The catalog's heading it is listed under. */
  group: ScenarioGroup;
  defaults: { count: number; concurrency: number };
  conceptsSection: string;
  needsLocalService: boolean;
  /** Why it needs the lab's own restate-server (it is skipped against a Restate elsewhere); absent when it does not. */
  needsLabRestate?: string;
}

export type LabStatus =
  { state: "stopped" | "starting" | "stopping" } | { state: "ready"; ingress: string; admin: string; gateway: string } | { state: "error"; message: string };

/** One finished run, as the panel shows it (and as history keeps it). */
export interface RunRecord {
  runId: string;
  request: RunRequest;
  finishedAt: string;
  result: ScenarioResult;
  conceptsSection: string;
  /** What the learner predicted before the run, and how it scored (absent when no prediction was made). */
  prediction?: Prediction;
  score?: PredictionScore;
}

export interface RunSummary {
  runId: string;
  /** Absent for a scenario's run (older histories have none). */
  kind?: "chaos";
  scenario: string;
  title: string;
  verdict: Verdict;
  requests: number;
  charges: number;
  finishedAt: string;
  /** The prediction's score, when the learner made one. */
  score?: { correct: number; of: number };
  /** A chaos run's seed: the same seed replays its schedule. */
  seed?: number;
  /** A run that ended before its plan did: "stopped" by the learner, "cut short" by the lab stopping. It has no verdict to show. */
  ended?: "stopped" | "cut short";
}

export interface JournalEntry {
  index: number;
  type: string;
  name: string;
  appendedAt: string | null;
  /** The entry's value as text, cut to JOURNAL_VALUE_MAX characters (a ctx.run's result, the output, a state value), where Restate shows one. */
  value?: string;
  /** Which completion it is or waits for: a Run notification names no step, its command (same id) does. */
  completionId?: number;
  /** A call's target, "Service/handler" (or "Service/key/handler"). */
  target?: string;
  /** The state key a state command reads or writes. */
  stateKey?: string;
}

/** The longest journal value the extension sends the panel. */
export const JOURNAL_VALUE_MAX = 300;

/**
 * A request's id: the webview makes one for each request that gets an answer or can fail, and the
 * extension one for each run it starts itself; the answers and failures carry it back.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export type ToExtension =
  | { type: "ready" }
  /** A run; `prediction`: what the learner expects of it, scored by the extension once it ran. */
  | { type: "run"; requestId: string; request: RunRequest; prediction?: Prediction }
  /** A chaos run: the final exam, against the running lab. */
  | { type: "chaos"; requestId: string; request: ChaosRunRequest }
  | { type: "stop" }
  | { type: "startLab"; requestId: string }
  | { type: "openRun"; requestId: string; runId: string }
  | { type: "inspect"; requestId: string; runId: string; invocationId: string }
  | { type: "export"; requestId: string; runId: string; format: "markdown" | "json" }
  | { type: "openConcepts"; requestId: string; section: string }
  /** Puts an id the panel shows (an invocation id), or a request's curl command line, on VS Code's clipboard. */
  | { type: "copy"; requestId: string; text: string }
  /** Opens a lab source file (src/<name>.ts of the lab workspace) at a line, beside the panel. */
  | { type: "openSource"; requestId: string; file: string; line: number }
  /** Shrinks a chaos run of the history that broke an invariant: its progress counts the runs tried; the answer is "shrunk". */
  | { type: "shrink"; requestId: string; runId: string };

/** The messages of the webview that are requests: answered, or failed, by the extension. */
export type WebviewRequest = Extract<ToExtension, { requestId: string }>;

export type ToWebview =
  | { type: "init"; scenarios: ScenarioInfo[]; history: RunSummary[]; lab: LabStatus; settings: PanelSettings; chaos: ChaosSettings }
  | { type: "lab"; lab: LabStatus }
  /** The learner changed a setting the panel reads. */
  | { type: "settings"; settings: PanelSettings }
  /** The extension started a run the webview did not ask for (a CodeLens); the run's messages carry its requestId. */
  | { type: "runStarted"; requestId: string }
  | { type: "progress"; requestId: string; done: number; total: number }
  /** A run record: the answer to a run or an openRun, or (with the extension's own requestId) a run made elsewhere. */
  | { type: "run"; requestId: string; run: AnyRunRecord }
  /** The request with this id failed. */
  | { type: "failed"; requestId: string; message: string; fix?: string }
  | { type: "history"; history: RunSummary[] }
  | { type: "journal"; requestId: string; runId: string; invocationId: string; entries: JournalEntry[] }
  /** A scenario's handler code, read from the lab's files; sent before each of that scenario's runs. */
  | { type: "code"; code: ScenarioCode }
  /** The answer to a shrink: the smallest failing run found of the chaos run runId. */
  | { type: "shrunk"; requestId: string; runId: string; shrink: ShrinkSummary };

const isRequestId = (v: unknown): v is string => typeof v === "string" && REQUEST_ID_PATTERN.test(v);

/** Validates a message from the webview. Unknown types, extra fields' wrong types and out-of-range values are errors. */
export function parseToExtension(value: unknown): Parsed<ToExtension> {
  if (!isObject(value) || typeof value.type !== "string") return fail("not a message object with a string type");
  if (value.type === "ready" || value.type === "stop") return only(value, [], { type: value.type });
  if (!["run", "chaos", "startLab", "openRun", "inspect", "export", "openConcepts", "copy", "openSource", "shrink"].includes(value.type))
    return fail(`unknown message type ${JSON.stringify(value.type).slice(0, 40)}`);
  if (!isRequestId(value.requestId)) return fail(`${value.type} needs a requestId: 1 to 40 letters, digits, '_' or '-'`);
  const requestId = value.requestId;
  switch (value.type) {
    case "startLab":
      return only(value, ["requestId"], { type: "startLab", requestId });
    case "run": {
      const request = parseRunRequest(value.request);
      if (!request.ok) return request;
      if (value.prediction === undefined) return only(value, ["requestId", "request"], { type: "run", requestId, request: request.message });
      const problem = predictionProblem(value.prediction);
      if (problem !== null) return fail(`the prediction ${problem}`);
      const p = value.prediction as Prediction;
      const prediction: Prediction = {
        ...(p.invocations !== undefined ? { invocations: p.invocations } : {}),
        ...(p.charges !== undefined ? { charges: p.charges } : {}),
        ...(p.answer !== undefined ? { answer: p.answer } : {}),
      };
      return only(value, ["requestId", "request", "prediction"], { type: "run", requestId, request: request.message, prediction });
    }
    case "chaos": {
      const problem = chaosRequestProblem(value.request);
      return problem === null
        ? only(value, ["requestId", "request"], { type: "chaos", requestId, request: chaosRequestOf(value.request as Record<string, unknown>) })
        : fail(`the chaos request ${problem}`);
    }
    case "openRun":
      return isId(value.runId) ? only(value, ["requestId", "runId"], { type: "openRun", requestId, runId: value.runId }) : fail("openRun needs a runId");
    case "inspect":
      return isId(value.runId) && isId(value.invocationId)
        ? only(value, ["requestId", "runId", "invocationId"], { type: "inspect", requestId, runId: value.runId, invocationId: value.invocationId })
        : fail("inspect needs a runId and an invocationId");
    case "export":
      return isId(value.runId) && (value.format === "markdown" || value.format === "json")
        ? only(value, ["requestId", "runId", "format"], { type: "export", requestId, runId: value.runId, format: value.format })
        : fail('export needs a runId and a format, "markdown" or "json"');
    case "copy":
      return (isId(value.text) && /^\S+$/.test(value.text)) || isCurlLine(value.text) || isChaosCommandLine(value.text)
        ? only(value, ["requestId", "text"], { type: "copy", requestId, text: value.text as string })
        : fail(
            "copy needs an id (1 to 200 characters, no spaces or line breaks), a curl or an idempotency-lab chaos command line (one line, at most 8,000 characters)",
          );
    case "shrink":
      return isId(value.runId) ? only(value, ["requestId", "runId"], { type: "shrink", requestId, runId: value.runId }) : fail("shrink needs a runId");
    case "openSource": {
      const problem = sourcePlaceProblem(value.file, value.line);
      return problem === null
        ? only(value, ["requestId", "file", "line"], { type: "openSource", requestId, file: value.file as string, line: value.line as number })
        : fail(`openSource ${problem}`);
    }
    default:
      return typeof value.section === "string" && /^[a-z0-9-]{1,60}$/.test(value.section)
        ? only(value, ["requestId", "section"], { type: "openConcepts", requestId, section: value.section })
        : fail("openConcepts needs a section id");
  }
}

/**
 * Validates a message from the extension (the webview trusts nothing either), down to each scenario,
 * history entry, journal entry and run record: the webview draws what passes without further checks.
 */
export function parseToWebview(value: unknown): Parsed<ToWebview> {
  if (!isObject(value) || typeof value.type !== "string") return fail("not a message object with a string type");
  const requestId = isRequestId(value.requestId) ? value.requestId : undefined;
  const withId = (problem: string | null): Parsed<ToWebview> =>
    requestId === undefined
      ? fail(`${String(value.type)} needs a requestId`)
      : problem === null
        ? ok(value)
        : { ok: false, error: `${String(value.type)}: ${problem}`, requestId };
  switch (value.type) {
    case "init":
      if (!isLabStatus(value.lab)) return fail("init needs a lab status");
      if (!isSettings(value.settings)) return fail("init needs the panel's settings");
      if (chaosSettingsProblem(value.chaos) !== null) return fail(`init: the chaos settings ${chaosSettingsProblem(value.chaos)}`);
      return check("init", listProblem(value.scenarios, "scenario", scenarioProblem) ?? listProblem(value.history, "history entry", runSummaryProblem), value);
    case "lab":
      return isLabStatus(value.lab) ? ok(value) : fail("lab needs a lab status");
    case "settings":
      return isSettings(value.settings) ? ok(value) : fail("settings needs the panel's settings");
    case "runStarted":
      return withId(null);
    case "progress":
      return withId(isInt(value.done, 0, MAX_COUNT * 2) && isInt(value.total, 0, MAX_COUNT * 2) ? null : "needs done and total");
    case "run":
      // Bytes that did not unpack (src/shared/wire.ts) say why, not what the record lacks.
      return withId(isObject(value.run) && typeof value.run.unreadable === "string" ? value.run.unreadable : runRecordProblem(value.run));
    case "failed":
      return withId(typeof value.message === "string" && (value.fix === undefined || typeof value.fix === "string") ? null : "needs a message");
    case "history":
      return check("history", listProblem(value.history, "entry", runSummaryProblem), value);
    case "journal":
      return withId(
        isId(value.runId) && isId(value.invocationId) ? listProblem(value.entries, "entry", journalEntryProblem) : "needs runId, invocationId and entries",
      );
    case "code":
      return check("code", scenarioCodeProblem(value.code), value);
    case "shrunk": {
      const problem = shrinkSummaryProblem(value.shrink);
      return withId(isId(value.runId) ? (problem === null ? null : `the shrink ${problem}`) : "needs a runId");
    }
    default:
      return fail(`unknown message type ${JSON.stringify(value.type).slice(0, 40)}`);
  }
}

const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const VERDICTS: readonly Verdict[] = ["safe", "unsafe", "unexpected", "skipped"];

/** What is wrong with a scenario of the catalog, or null when the panel can show it. */
export function scenarioProblem(s: unknown): string | null {
  if (!isObject(s)) return "is not an object";
  if (!isId(s.id) || !/^[a-z0-9-]+$/.test(s.id)) return "has no scenario id";
  if (s.id === CUSTOM_SCENARIO.id || s.id === CHAOS_SCENARIO_ID) return `claims the ${s.id === CHAOS_SCENARIO_ID ? "chaos run" : "custom request"}'s id`;
  if (!isStr(s.title) || !isStr(s.lesson) || !isStr(s.conceptsSection)) return "has no title, lesson or concepts section";
  if (s.kind !== "idempotent" && s.kind !== "anti-pattern") return "has no kind";
  if (!SCENARIO_GROUPS.some((g) => g === s.group)) return "has no catalog group";
  if (!isObject(s.defaults) || !isInt(s.defaults.count, 1, MAX_COUNT) || !isInt(s.defaults.concurrency, 1, MAX_CONCURRENCY))
    return "has no default count and concurrency";
  if (s.needsLabRestate !== undefined && !isStr(s.needsLabRestate)) return "has a malformed reason for needing the lab's Restate";
  return typeof s.needsLocalService === "boolean" ? null : "does not say whether it needs the local service";
}

/** What is wrong with an entry of the run history, or null when the panel can show it. */
export function runSummaryProblem(h: unknown): string | null {
  if (!isObject(h)) return "is not an object";
  if (!isId(h.runId)) return "has no run id";
  if (!isStr(h.scenario) || !isStr(h.title) || !isStr(h.finishedAt)) return "has no scenario, title or finishing time";
  if (!VERDICTS.includes(h.verdict as Verdict)) return "has no verdict";
  if (h.score !== undefined && (!isObject(h.score) || !isNum(h.score.correct) || !isNum(h.score.of))) return "has a malformed score";
  if ((h.kind !== undefined && h.kind !== "chaos") || (h.seed !== undefined && !isInt(h.seed, 0, Number.MAX_SAFE_INTEGER)))
    return "has a malformed kind or seed";
  if (h.ended !== undefined && h.ended !== "stopped" && h.ended !== "cut short") return 'has an end that is neither "stopped" nor "cut short"';
  return isNum(h.requests) && isNum(h.charges) ? null : "has no request and charge counts";
}

function journalEntryProblem(e: unknown): string | null {
  if (!isObject(e) || !isInt(e.index, 0, Number.MAX_SAFE_INTEGER)) return "has no index";
  if (!isStr(e.type) || !isStr(e.name) || (e.appendedAt !== null && !isStr(e.appendedAt))) return "has no type, name or time";
  if (e.value !== undefined && (!isStr(e.value) || e.value.length > JOURNAL_VALUE_MAX)) return "has a value that is not text or too long";
  if (e.completionId !== undefined && !isInt(e.completionId, 0, Number.MAX_SAFE_INTEGER)) return "has a malformed completion id";
  if (e.stateKey !== undefined && (!isStr(e.stateKey) || e.stateKey.length > 300)) return "has a malformed state key";
  return e.target === undefined || (isStr(e.target) && e.target.length <= 300) ? null : "has a malformed target";
}

/** What is wrong with a run record (a scenario's or a chaos run's) that the panel cannot show, or null when it is well formed. */
export function runRecordProblem(record: unknown): string | null {
  if (isObject(record) && "chaos" in record) return chaosRecordProblem(record);
  return runRecordShapeProblem(record, (request) => parseRunRequest(request).ok);
}

function check(type: string, problem: string | null, value: unknown): Parsed<ToWebview> {
  return problem === null ? ok(value) : fail(`${type}: ${problem}`);
}

function isSettings(v: unknown): boolean {
  return isObject(v) && typeof v.predictBeforeRun === "boolean";
}

function isLabStatus(v: unknown): boolean {
  return isObject(v) && ["stopped", "starting", "stopping", "ready", "error"].includes(v.state as string);
}

function only<T>(value: Record<string, unknown>, fields: string[], message: T): Parsed<T> {
  const extra = Object.keys(value).filter((k) => k !== "type" && !fields.includes(k));
  return extra.length > 0 ? fail(`${String(value.type)} has unknown fields: ${extra.join(", ")}`) : { ok: true, message };
}

/** A request's "Copy as cURL" line (src/webview/run/requests-why-model.ts): one line of printable characters. */
function isCurlLine(text: unknown): boolean {
  return typeof text === "string" && text.length <= 8000 && /^curl [ -~\u00a0-\uffff]+$/.test(text);
}
