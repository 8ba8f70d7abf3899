// The panel's state and its transitions: reduce(state, event) gives the state after a message of
// the extension or an action of the learner. No DOM here (the unit tests run it in Node): main.ts
// sends what the state's outbox holds, saves what persists, and panel-view.ts draws the rest.
import { parseToExtension } from "../shared/protocol.js";
import type { LabStatus, RunRecord, RunRequest, RunSummary, ScenarioInfo, ToExtension, ToWebview } from "../shared/protocol.js";
import { CUSTOM_SCENARIO_ID, defaultBuilderValues, scenarioDefaults, valuesForScenario } from "./builder-model.js";
import type { BuilderValues } from "./builder-model.js";
import { sanitizeHistory, sanitizeJournal, sanitizeScenarios } from "./incoming.js";
import type { JournalEntry } from "../shared/protocol.js";
import type { MainView, PersistedState } from "./persisted-state.js";
import { RunCache } from "./run-cache.js";

/** A failed request as the panel shows it: in the builder (a run) or in the notice (the rest). */
export interface Failure {
  title: string;
  message: string;
  fix?: string;
}

/** The invocation inspector of the run on screen. */
export interface JournalView {
  invocationId: string;
  /** null while the extension has not answered. */
  entries: JournalEntry[] | null;
  /** Why the journal could not be read. */
  error?: string;
}

export interface PanelState {
  /** The extension answered ready: scenarios, history and lab are known. */
  initialized: boolean;
  scenarios: readonly ScenarioInfo[];
  /** Most recent first. */
  history: readonly RunSummary[];
  lab: LabStatus | null;
  scenarioId: string;
  builder: BuilderValues | null;
  running: boolean;
  progress: { done: number; total: number } | null;
  /** The builder's error box: why the last run failed. */
  failure: Failure | null;
  /** The notice above the main view: another request that failed. */
  notice: Failure | null;
  currentRunId: string | null;
  view: MainView;
  compareA: string | null;
  compareB: string | null;
  /** The run the learner (or the restore) asked for with openRun, not yet answered. */
  pendingOpen: string | null;
  /** Keep the main view as it is when the pending open answers (the restore's own openRun). */
  pendingOpenQuiet: boolean;
  /** Runs asked for only to compare them: their `run` answers must not replace the current run. */
  compareFetches: readonly string[];
  /** Runs the extension could not open: not asked for again until the learner clicks them. */
  unavailable: readonly string[];
  journal: JournalView | null;
  runs: RunCache;
  /** Messages for the extension, sent (and emptied) by main.ts after each event. */
  outbox: readonly ToExtension[];
}

export type PanelEvent =
  | { type: "message"; message: ToWebview }
  | { type: "selectScenario"; scenarioId: string }
  | { type: "editBuilder"; values: BuilderValues }
  | { type: "run"; request: RunRequest }
  | { type: "stop" }
  | { type: "startLab" }
  | { type: "openRun"; runId: string }
  | { type: "setView"; view: MainView }
  | { type: "pickCompare"; a: string | null; b: string | null }
  | { type: "inspect"; invocationId: string }
  | { type: "closeInspector" }
  | { type: "exportRun"; format: "markdown" | "json" }
  | { type: "openConcepts"; section: string }
  | { type: "dismissNotice" };

/** How many run records the panel keeps (a 10,000-request record is megabytes). */
const KEPT_RUNS = 6;

export function initialState(restored: PersistedState): PanelState {
  return {
    initialized: false,
    scenarios: [],
    history: [],
    lab: null,
    scenarioId: restored.scenarioId ?? "",
    builder: restored.builder,
    running: false,
    progress: null,
    failure: null,
    notice: null,
    currentRunId: restored.currentRunId,
    view: restored.view,
    compareA: restored.compareA,
    compareB: restored.compareB,
    pendingOpen: null,
    pendingOpenQuiet: false,
    compareFetches: [],
    unavailable: [],
    journal: null,
    runs: new RunCache(KEPT_RUNS),
    outbox: [],
  };
}

/** What survives a reload of the webview. */
export function persistedState(s: PanelState): PersistedState {
  return { version: 1, scenarioId: s.scenarioId || null, builder: s.builder, currentRunId: s.currentRunId, compareA: s.compareA, compareB: s.compareB, view: s.view };
}

/** The run record on screen: the current run's, in the run view. */
export function shownRecord(s: PanelState): RunRecord | undefined {
  return s.view === "run" && s.currentRunId ? s.runs.get(s.currentRunId) : undefined;
}

export function reduce(state: PanelState, event: PanelEvent): PanelState {
  let next = event.type === "message" ? receive(state, event.message) : act(state, event);
  if (next.view === "compare") next = fetchCompareRecords(next);
  // A run view shown anew starts without an inspector.
  if (next.journal !== null && shownRecord(next) !== shownRecord(state)) next = { ...next, journal: null };
  return next;
}

// ---------------------------------------------------------------------------------------------
// Messages from the extension

function receive(s: PanelState, message: ToWebview): PanelState {
  switch (message.type) {
    case "init": {
      const first = !s.initialized;
      let next: PanelState = { ...s, initialized: true, scenarios: sanitizeScenarios(message.scenarios), history: sanitizeHistory(message.history), lab: message.lab };
      const known = next.scenarioId === CUSTOM_SCENARIO_ID || next.scenarios.some((sc) => sc.id === next.scenarioId);
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
    case "progress":
      return { ...s, running: message.done < message.total || s.running, progress: { done: message.done, total: message.total } };
    case "run":
      return receiveRun(s, message.run);
    case "runFailed":
      return failed(s, { message: message.message, ...(message.fix ? { fix: message.fix } : {}) }, message.about);
    case "history":
      return { ...s, history: sanitizeHistory(message.history) };
    case "journal":
      if (s.journal?.invocationId !== message.invocationId || s.currentRunId !== message.runId) return s;
      return { ...s, journal: { invocationId: message.invocationId, entries: sanitizeJournal(message.entries) } };
  }
}

function receiveRun(s: PanelState, record: RunRecord): PanelState {
  const runs = s.runs.put(record, [s.currentRunId, s.compareA, s.compareB]);
  const forCompare = s.compareFetches.includes(record.runId);
  const next = { ...s, runs, compareFetches: without(s.compareFetches, record.runId) };
  // A run the learner opened from the history (or the restore's own openRun).
  if (s.pendingOpen === record.runId) return showRun(next, record);
  if (forCompare) return next;
  // The answer to our run.
  if (s.running) return showRun({ ...next, running: false, progress: null }, record);
  // A second answer for the run on screen: the new record replaces it, the view stays.
  if (record.runId === s.currentRunId) return next;
  // A run made elsewhere (e.g. from the command palette): show it.
  return showRun(next, record);
}

const ACTION_FAILURES: Partial<Record<ToExtension["type"], string>> = {
  run: "The run failed",
  startLab: "Could not start the lab",
  export: "Could not export the run",
  openConcepts: "Could not open the concepts",
  inspect: "Could not read the journal",
  openRun: "Could not open the run",
};

/** runFailed answers any request that failed, not only runs; `about` says which. */
function failed(s: PanelState, f: { message: string; fix?: string }, about: ToExtension["type"]): PanelState {
  if (s.running && about === "run") return { ...s, running: false, progress: null, failure: { title: "The run failed", ...f } };
  if (about === "openRun" && s.pendingOpen !== null) {
    const failedId = s.pendingOpen;
    return {
      ...s,
      unavailable: [...without(s.unavailable, failedId), failedId],
      compareFetches: without(s.compareFetches, failedId),
      pendingOpen: null,
      pendingOpenQuiet: false,
      // The restored run is gone.
      currentRunId: s.currentRunId === failedId ? null : s.currentRunId,
      notice: { title: "Could not open the run", ...f },
    };
  }
  if (about === "openRun" && s.compareFetches.length > 0) {
    return { ...s, unavailable: [...s.unavailable, ...s.compareFetches.filter((id) => !s.unavailable.includes(id))], compareFetches: [], notice: { title: "Could not open a run to compare", ...f } };
  }
  if (about === "inspect" && s.journal !== null && s.journal.entries === null) return { ...s, journal: { ...s.journal, error: f.message } };
  return { ...s, notice: { title: ACTION_FAILURES[about] ?? "Something failed", message: f.message, ...(f.fix ? { fix: f.fix } : {}) } };
}

// ---------------------------------------------------------------------------------------------
// The learner's actions

function act(s: PanelState, event: Exclude<PanelEvent, { type: "message" }>): PanelState {
  switch (event.type) {
    case "selectScenario":
      if (event.scenarioId === s.scenarioId) return s;
      return { ...s, scenarioId: event.scenarioId, builder: valuesForScenario(s.builder ?? defaultBuilderValues(), scenarioDefaults(event.scenarioId, s.scenarios)) };
    case "editBuilder":
      return { ...s, builder: event.values };
    case "run":
      return send(s, { type: "run", request: event.request }, (next) => ({ ...next, running: true, progress: null, failure: null, notice: null }));
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
      return send(s, { type: "inspect", runId: record.runId, invocationId: event.invocationId }, (next) => ({ ...next, journal: { invocationId: event.invocationId, entries: null } }));
    }
    case "closeInspector":
      return { ...s, journal: null };
    case "exportRun": {
      const record = shownRecord(s);
      return record ? send(s, { type: "export", runId: record.runId, format: event.format }) : s;
    }
    case "openConcepts":
      return send(s, { type: "openConcepts", section: event.section });
    case "dismissNotice":
      return { ...s, notice: null };
  }
}

/**
 * Queues a message for the extension; `then` is the state change that sending it makes. A message
 * the protocol refuses is still queued (the channel logs and drops it) but changes nothing.
 */
function send(s: PanelState, message: ToExtension, then: (s: PanelState) => PanelState = (x) => x): PanelState {
  const next = { ...s, outbox: [...s.outbox, message] };
  return parseToExtension(message).ok ? then(next) : next;
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
  // A compare fetch of the same run is on its way: its answer serves this open too.
  return next.compareFetches.includes(runId) ? next : send(next, { type: "openRun", runId });
}

function showRun(s: PanelState, record: RunRecord): PanelState {
  const quiet = s.pendingOpenQuiet && s.pendingOpen === record.runId;
  const next = { ...s, pendingOpen: null, pendingOpenQuiet: false, currentRunId: record.runId };
  return quiet ? next : { ...next, view: "run", notice: null };
}

function setView(s: PanelState, view: MainView): PanelState {
  if (s.view === view) return s;
  const next = { ...s, view };
  if (view === "compare" && s.compareA === null && s.compareB === null && s.history.length >= 2) {
    // A first comparison: the run on screen against the latest other run, the older one as A.
    const current = s.history.find((h) => h.runId === s.currentRunId) ?? s.history[0]!;
    const other = s.history.find((h) => h.runId !== current.runId)!;
    const [newer, older] = s.history.indexOf(current) < s.history.indexOf(other) ? [current, other] : [other, current];
    return { ...next, compareA: older.runId, compareB: newer.runId };
  }
  return next;
}

/** Asks for the compared runs the panel does not hold (the extension answers openRun only after ready). */
function fetchCompareRecords(s: PanelState): PanelState {
  if (!s.initialized) return s;
  let next = s;
  for (const id of [s.compareA, s.compareB]) {
    if (id && !next.runs.has(id) && !next.compareFetches.includes(id) && !next.unavailable.includes(id) && id !== next.pendingOpen) {
      next = send({ ...next, compareFetches: [...next.compareFetches, id] }, { type: "openRun", runId: id });
    }
  }
  return next;
}

function without(list: readonly string[], id: string): string[] {
  return list.filter((x) => x !== id);
}
