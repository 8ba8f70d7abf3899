// The panel's state and its transitions: reduce(state, event) gives the state after a message of
// the extension or an action of the learner. No DOM here (the unit tests run it in Node): main.ts
// sends what the state's outbox holds, saves what persists, and panel-view.ts draws the rest.
import { CHAOS_SCENARIO_ID } from "../../shared/protocol.js";
import type { AnyRunRecord, RunRequest, RunSummary, ToWebview, WebviewRequest } from "../../shared/protocol.js";
import { CUSTOM_SCENARIO_ID, defaultBuilderValues, scenarioDefaults, valuesForScenario } from "../builder/builder-model.js";
import { chaosAct, chaosValuesFor } from "./chaos-state.js";
import { forget, pending, remember, send, fetching } from "./panel-requests.js";
import type { MainView, PersistedState } from "./persisted-state.js";
import { checkPrediction, EMPTY_PREDICTION, isEmptyDraft } from "../builder/prediction-model.js";
import { RunCache } from "./run-cache.js";

export type { PendingRequest } from "./panel-requests.js";
export type { PanelEvent, PanelState } from "./panel-types.js";
import type { PanelEvent, PanelState } from "./panel-types.js";

/** How many run records the panel keeps (a 10,000-request record is megabytes). */
const KEPT_RUNS = 6;

/** `idPrefix` keeps this panel's requestIds apart from an earlier panel's whose answers may still come. */
export function initialState(restored: PersistedState, idPrefix = "w"): PanelState {
  return {
    initialized: false,
    scenarios: [],
    history: [],
    lab: null,
    settings: { predictBeforeRun: true },
    scenarioId: restored.scenarioId ?? "",
    builder: restored.builder,
    chaosSettings: null,
    chaosValues: restored.chaos,
    shrink: null,
    openPayment: null,
    prediction: EMPTY_PREDICTION,
    running: null,
    progress: null,
    failure: null,
    notice: null,
    currentRunId: restored.currentRunId,
    view: restored.view,
    compareA: restored.compareA,
    compareB: restored.compareB,
    pendingOpen: null,
    pendingOpenQuiet: false,
    unavailable: [],
    journal: null,
    code: {},
    runs: new RunCache(KEPT_RUNS),
    requests: [],
    idPrefix,
    nextRequest: 1,
    outbox: [],
  };
}

/** What survives a reload of the webview. */
export function persistedState(s: PanelState): PersistedState {
  return {
    version: 1,
    scenarioId: s.scenarioId || null,
    builder: s.builder,
    chaos: s.chaosValues,
    currentRunId: s.currentRunId,
    compareA: s.compareA,
    compareB: s.compareB,
    view: s.view,
  };
}

/**
 * What a learner reads when the protocol refused an answer. A run opened from the history comes as
 * its file holds it, and only this check reads it: an edited or foreign file is named as such.
 */
function refusal(s: PanelState, requestId: string, error: string): { message: string; fix?: string } {
  const request = pending(s, requestId);
  if (request?.type === "openRun" && error.startsWith("run: "))
    return {
      message: `Run ${request.runId ?? ""} in the lab's history cannot be shown: ${error.slice("run: ".length)}`,
      fix: "Its file in .lab/history was changed or is not one the lab wrote: run the scenario again for a new record",
    };
  return { message: `the extension's answer could not be read (${error})` };
}

/** The run record on screen: the current run's, in the run view. */
export function shownRecord(s: PanelState): AnyRunRecord | undefined {
  return s.view === "run" && s.currentRunId ? s.runs.get(s.currentRunId) : undefined;
}

export function reduce(state: PanelState, event: PanelEvent): PanelState {
  let next =
    event.type === "message"
      ? receive(state, event.message)
      : event.type === "refused"
        ? failed(state, event.requestId, refusal(state, event.requestId, event.error))
        : act(state, event);
  if (next.view === "compare") next = fetchCompareRecords(next);
  // A run view shown anew starts without an inspector, and a chaos result without an open payment.
  if ((next.journal !== null || next.openPayment !== null) && shownRecord(next) !== shownRecord(state)) next = { ...next, journal: null, openPayment: null };
  return next;
}

// ---------------------------------------------------------------------------------------------
// Messages from the extension

function receive(s: PanelState, message: ToWebview): PanelState {
  switch (message.type) {
    case "init": {
      const first = !s.initialized;
      let next: PanelState = {
        ...s,
        initialized: true,
        scenarios: message.scenarios,
        history: sortHistory(message.history),
        lab: message.lab,
        settings: message.settings,
      };
      next = { ...next, chaosSettings: message.chaos, chaosValues: chaosValuesFor(next.chaosValues, message.chaos) };
      const known = next.scenarioId === CUSTOM_SCENARIO_ID || next.scenarioId === CHAOS_SCENARIO_ID || next.scenarios.some((sc) => sc.id === next.scenarioId);
      if (!known) {
        const scenarioId = next.scenarios[0]?.id ?? CUSTOM_SCENARIO_ID;
        next = { ...next, scenarioId, builder: valuesForScenario(next.builder ?? defaultBuilderValues(), scenarioDefaults(scenarioId, next.scenarios)) };
      } else if (next.builder === null) {
        next = { ...next, builder: defaultBuilderValues(scenarioDefaults(next.scenarioId, next.scenarios)) };
      }
      // The restored run: asked for quietly, the main view stays as it was.
      if (first && next.currentRunId && !next.runs.has(next.currentRunId)) next = openRun(next, next.currentRunId, true);
      return next;
    }
    case "lab":
      return { ...s, lab: message.lab };
    case "settings":
      return { ...s, settings: message.settings };
    case "runStarted":
      return { ...s, requests: remember(s.requests, { requestId: message.requestId, type: "run" }) };
    case "progress":
      if (!["run", "chaos", "shrink"].includes(pending(s, message.requestId)?.type ?? "")) return s;
      // A run the extension started shows as running from its first progress.
      return { ...s, running: message.done < message.total ? message.requestId : s.running, progress: { done: message.done, total: message.total } };
    case "run":
      return receiveRun(s, message.requestId, message.run);
    case "failed":
      return failed(s, message.requestId, { message: message.message, ...(message.fix !== undefined ? { fix: message.fix } : {}) });
    case "history":
      return { ...s, history: sortHistory(message.history) };
    case "journal": {
      const next = { ...s, requests: forget(s.requests, message.requestId) };
      if (s.journal?.requestId !== message.requestId) return next;
      return { ...next, journal: { requestId: message.requestId, invocationId: s.journal.invocationId, entries: message.entries } };
    }
    case "code":
      return { ...s, code: { ...s.code, [message.code.scenario]: message.code } };
    case "shrunk": {
      const next = { ...s, requests: forget(s.requests, message.requestId), ...(s.running === message.requestId ? { running: null, progress: null } : {}) };
      if (s.shrink?.requestId !== message.requestId) return next;
      return { ...next, shrink: { ...s.shrink, summary: message.shrink } };
    }
  }
}

function receiveRun(s: PanelState, requestId: string, record: AnyRunRecord): PanelState {
  const request = pending(s, requestId);
  const next = { ...s, runs: s.runs.put(record, [s.currentRunId, s.compareA, s.compareB]), requests: forget(s.requests, requestId) };
  // A run the learner opened from the history (or the restore's own openRun), perhaps fetched to compare.
  if (s.pendingOpen === record.runId) return showRun(next, record);
  // Fetched to compare, or an open the learner no longer waits for: kept, not shown.
  if (request?.type === "openRun") return next;
  // The answer to the run in progress.
  if (s.running === requestId) return showRun({ ...next, running: null, progress: null }, record);
  // A new record of the run on screen replaces it; the view stays.
  if (record.runId === s.currentRunId) return next;
  // A run made elsewhere (the Replay command's Open Panel, a CodeLens): show it. The restore's own
  // openRun may still be on its way (the webview was rebuilt to show this run): it must not replace it.
  return showRun(s.pendingOpenQuiet ? { ...next, pendingOpen: null, pendingOpenQuiet: false } : next, record);
}

const FAILURE_TITLES: Record<WebviewRequest["type"], string> = {
  run: "The run failed",
  chaos: "The chaos run failed",
  startLab: "Could not start the lab",
  export: "Could not export the run",
  openConcepts: "Could not open the concepts",
  inspect: "Could not read the journal",
  openRun: "Could not open the run",
  copy: "Could not copy",
  openSource: "Could not open the source file",
  shrink: "Could not find a smaller failing run",
};

/** A request failed: shown where the learner waits for it; a failure of no pending request is stale. */
function failed(s: PanelState, requestId: string, f: { message: string; fix?: string }): PanelState {
  const request = pending(s, requestId);
  if (!request) return s;
  const next = { ...s, requests: forget(s.requests, requestId) };
  switch (request.type) {
    case "run":
    case "chaos":
      if (s.running === requestId) return { ...next, running: null, progress: null, failure: { title: FAILURE_TITLES[request.type], ...f } };
      // A run the extension started that failed before it began.
      return { ...next, notice: { title: FAILURE_TITLES.run, ...f } };
    case "openRun": {
      const runId = request.runId ?? "";
      const unavailable = [...without(s.unavailable, runId), runId];
      if (s.pendingOpen === runId) {
        return {
          ...next,
          unavailable,
          pendingOpen: null,
          pendingOpenQuiet: false,
          // The restored run is gone.
          currentRunId: s.currentRunId === runId ? null : s.currentRunId,
          notice: { title: FAILURE_TITLES.openRun, ...f },
        };
      }
      return { ...next, unavailable, ...(request.forCompare ? { notice: { title: "Could not open a run to compare", ...f } } : {}) };
    }
    case "shrink": {
      const ended = s.running === requestId ? { running: null, progress: null } : {};
      return { ...next, ...ended, shrink: s.shrink?.requestId === requestId ? null : s.shrink, notice: { title: FAILURE_TITLES.shrink, ...f } };
    }
    case "inspect":
      return s.journal?.requestId === requestId ? { ...next, journal: { ...s.journal, error: f.message } } : next;
    default:
      return { ...next, notice: { title: FAILURE_TITLES[request.type], ...f } };
  }
}

// ---------------------------------------------------------------------------------------------
// The learner's actions

function act(s: PanelState, event: Exclude<PanelEvent, { type: "message" | "refused" }>): PanelState {
  switch (event.type) {
    case "selectScenario":
      if (event.scenarioId === s.scenarioId) return s;
      return {
        ...s,
        scenarioId: event.scenarioId,
        builder: valuesForScenario(s.builder ?? defaultBuilderValues(), scenarioDefaults(event.scenarioId, s.scenarios)),
      };
    case "editBuilder":
      return { ...s, builder: event.values };
    case "editPrediction":
      return { ...s, prediction: event.draft };
    case "run":
      return startRun(s, event.request);
    case "stop":
      return send(s, { type: "stop" });
    case "startLab":
      return send(s, { type: "startLab" });
    case "openRun":
      return openRun(s, event.runId, false);
    case "setView":
      return setView(s, event.view);
    case "pickCompare":
      return { ...s, compareA: event.a, compareB: event.b };
    case "inspect": {
      const record = shownRecord(s);
      if (!record) return s;
      return send(s, { type: "inspect", runId: record.runId, invocationId: event.invocationId }, (next, requestId) => ({
        ...next,
        journal: { requestId, invocationId: event.invocationId, entries: null },
      }));
    }
    case "closeInspector":
      return { ...s, journal: null };
    case "exportRun": {
      const record = shownRecord(s);
      return record ? send(s, { type: "export", runId: record.runId, format: event.format }) : s;
    }
    case "openConcepts":
      return send(s, { type: "openConcepts", section: event.section });
    case "copy":
      return send(s, { type: "copy", text: event.text });
    case "openSource":
      return send(s, { type: "openSource", file: event.file, line: event.line });
    case "dismissNotice":
      return { ...s, notice: null };
    default:
      return chaosAct(s, event);
  }
}

/**
 * Sends a run, with the learner's prediction when the panel asks for one and one was made; the
 * prediction is then spent (the next run asks anew). A prediction with a wrong field stops the run.
 */
function startRun(s: PanelState, request: RunRequest): PanelState {
  const asked = s.settings.predictBeforeRun && !isEmptyDraft(s.prediction);
  const check = checkPrediction(s.prediction);
  if (asked && check.prediction === null) {
    return {
      ...s,
      failure: {
        title: "The prediction is not complete",
        message: Object.values(check.errors).join(" ") || "Fix the prediction, or clear it to run without one.",
      },
    };
  }
  const message = asked && check.prediction ? { type: "run" as const, request, prediction: check.prediction } : { type: "run" as const, request };
  return send(s, message, (next, requestId) => ({
    ...next,
    running: requestId,
    progress: null,
    failure: null,
    notice: null,
    prediction: asked ? EMPTY_PREDICTION : next.prediction,
  }));
}

/**
 * Shows a run of the history. The run on screen stays until the extension answers; `quiet`
 * (the restore's own open) keeps the main view as it is.
 */
function openRun(s: PanelState, runId: string, quiet: boolean): PanelState {
  // An explicit open tries again.
  const next = { ...s, unavailable: without(s.unavailable, runId), pendingOpen: runId, pendingOpenQuiet: quiet };
  const cached = next.runs.get(runId);
  if (cached) return showRun({ ...next, runs: next.runs.touch(runId) }, cached);
  // An openRun of the same run (a compare fetch) is on its way: its answer serves this open too.
  return fetching(next, runId) ? next : send(next, { type: "openRun", runId });
}

/** Makes a record the current run; an open the learner waits for another run stays pending. */
function showRun(s: PanelState, record: AnyRunRecord): PanelState {
  const opened = s.pendingOpen === record.runId;
  const quiet = opened && s.pendingOpenQuiet;
  const next = { ...s, currentRunId: record.runId, ...(opened ? { pendingOpen: null, pendingOpenQuiet: false } : {}) };
  return quiet ? next : { ...next, view: "run", notice: null };
}

function setView(s: PanelState, view: MainView): PanelState {
  if (s.view === view) return s;
  const next = { ...s, view };
  // Compare puts scenario runs side by side; a chaos run has its own view.
  const runs = comparable(s.history);
  if (view === "compare" && s.compareA === null && s.compareB === null && runs.length >= 2) {
    // A first comparison: the run on screen against the latest other run, the older one as A.
    const current = runs.find((h) => h.runId === s.currentRunId) ?? runs[0]!;
    const other = runs.find((h) => h.runId !== current.runId)!;
    const [newer, older] = runs.indexOf(current) < runs.indexOf(other) ? [current, other] : [other, current];
    return { ...next, compareA: older.runId, compareB: newer.runId };
  }
  return next;
}

/** Asks for the compared runs the panel does not hold (the extension answers openRun only after ready). */
function fetchCompareRecords(s: PanelState): PanelState {
  if (!s.initialized) return s;
  let next = s;
  for (const id of [s.compareA, s.compareB]) {
    if (id && !next.runs.has(id) && !fetching(next, id) && !next.unavailable.includes(id)) next = send(next, { type: "openRun", runId: id }, undefined, true);
  }
  return next;
}

/** The runs Compare can show: scenario runs, not chaos runs. */
export function comparable(history: readonly RunSummary[]): RunSummary[] {
  return history.filter((h) => h.kind !== "chaos");
}

/** Most recent first. */
export function sortHistory(history: readonly RunSummary[]): RunSummary[] {
  return [...history].sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt) || (a.runId < b.runId ? 1 : -1));
}

function without(list: readonly string[], id: string): string[] {
  return list.filter((x) => x !== id);
}
