// Incoming data: parseToWebview checks messages' shape; these drop malformed list items so one
// bad entry cannot break the view.
import { ANSWER_KINDS, MAX_ID_LENGTH } from "../shared/protocol.js";
import type { AnswerKind, RunRecord, RunSummary, ScenarioInfo } from "../shared/protocol.js";
import { CUSTOM_SCENARIO_ID } from "./builder-model.js";
import { sortHistory } from "./compare-model.js";

const isStr = (v: unknown): v is string => typeof v === "string";
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
