// The lab panel's webview: the entry point of dist/webview.js. It keeps the panel's state, turns
// the extension's messages (checked by parseToWebview) into views, and sends the learner's
// actions back (checked by parseToExtension before they leave).
import "./base.css";
import "./controls.css";
import "./common.css";
import "./layout.css";
import "./notice.css";
import { parseToWebview } from "../shared/protocol.js";
import type { LabStatus, RunRecord, RunRequest, RunSummary, ScenarioInfo, ToExtension, ToWebview } from "../shared/protocol.js";
import { renderCompare } from "./compare.js";
import { button, el, replaceChildren } from "./dom.js";
import { RunView } from "./run-view.js";
import type { JournalView } from "./inspector.js";
import { Builder } from "./builder.js";
import { renderCatalog } from "./catalog.js";
import { renderHistory } from "./history.js";
import { renderLab } from "./lab-status.js";
import { connect } from "./vscode-api.js";
import { CUSTOM_SCENARIO_ID, defaultBuilderValues, scenarioDefaults, valuesForScenario } from "./builder-model.js";
import type { BuilderValues } from "./builder-model.js";
import { runRecordProblem, sanitizeHistory, sanitizeJournal, sanitizeScenarios } from "./incoming.js";
import { describeLab } from "./lab-model.js";
import { restoreState } from "./persisted-state.js";
import type { MainView, PersistedState } from "./persisted-state.js";
import { RunCache } from "./run-cache.js";

const channel = connect();
const restored = restoreState(channel.getState());

const state = {
  initialized: false,
  scenarios: [] as ScenarioInfo[],
  history: [] as RunSummary[],
  lab: null as LabStatus | null,
  scenarioId: restored.scenarioId ?? "",
  builder: restored.builder as BuilderValues | null,
  running: false,
  progress: null as { done: number; total: number } | null,
  failure: null as { title: string; message: string; fix?: string } | null,
  currentRunId: restored.currentRunId,
  view: restored.view as MainView,
  compareA: restored.compareA,
  compareB: restored.compareB,
  /** The run the learner (or the restore) asked for with openRun, not yet answered. */
  pendingOpen: null as string | null,
  /** Keep the main view as it is when the pending open answers (the restore's own openRun). */
  pendingOpenQuiet: false,
  /** Runs asked for only to compare them: their `run` answers must not replace the current run. */
  compareFetches: new Set<string>(),
  /** Runs the extension could not open: not asked for again until the learner clicks them. */
  unavailable: new Set<string>(),
};
const cache = new RunCache(6);
let runView: RunView | null = null;
let builder: Builder | null = null;
let journal: JournalView | null = null;

// ---------------------------------------------------------------------------------------------
// Layout

const labHost = el("div", { class: "lab-host" });
const catalogHost = el("div", { class: "catalog-host" });
const builderHost = el("div", { class: "builder-host" });
const historyHost = el("div", { class: "history-host" });
const viewRun = button("Current run", () => setView("run"), { class: "tab", testid: "view-run" });
const viewCompare = button("Compare", () => setView("compare"), { class: "tab", testid: "view-compare" });
const mainHost = el("div", { class: "main-host" });
const noticeHost = el("div", { class: "notice-host" });

function mount(): void {
  const app = document.getElementById("app") ?? document.body.appendChild(el("div", { attrs: { id: "app" } }));
  app.classList.add("app");
  app.replaceChildren(
    el("aside", { class: "sidebar", attrs: { "aria-label": "Lab controls" } }, [
      el("section", { class: "section", attrs: { "aria-label": "Lab" } }, [labHost]),
      el("section", { class: "section", attrs: { "aria-labelledby": "scenarios-heading" } }, [
        el("div", { class: "section-head" }, [el("h2", { text: "Scenarios", attrs: { id: "scenarios-heading" } })]),
        catalogHost,
      ]),
      builderHost,
      el("section", { class: "section", attrs: { "aria-labelledby": "history-heading" } }, [
        el("div", { class: "section-head" }, [
          el("h2", { text: "History", attrs: { id: "history-heading" } }),
          el("div", { class: "section-actions" }, [button("Compare runs", () => setView("compare"), { class: "secondary small", testid: "compare-open" })]),
        ]),
        historyHost,
      ]),
    ]),
    el("main", { class: "main", attrs: { "aria-label": "Results" } }, [
      el("nav", { class: "tabs", attrs: { "aria-label": "View" } }, [viewRun, viewCompare]),
      noticeHost,
      mainHost,
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderLabHost(): void {
  replaceChildren(labHost, [renderLab(state.lab, () => channel.post({ type: "startLab" }))]);
  builder?.setCanRun(describeLab(state.lab).canRun);
}

function renderCatalogHost(): void {
  if (!state.initialized) {
    replaceChildren(catalogHost, [el("p", { class: "muted small", text: "Loading scenarios…" })]);
    return;
  }
  replaceChildren(catalogHost, [renderCatalog(state.scenarios, state.scenarioId, selectScenario)]);
}

function renderBuilderHost(): void {
  if (!state.initialized || state.builder === null) {
    replaceChildren(builderHost, []);
    builder = null;
    return;
  }
  const scenario = state.scenarios.find((s) => s.id === state.scenarioId);
  const title = state.scenarioId === CUSTOM_SCENARIO_ID ? "Custom request" : (scenario?.title ?? state.scenarioId);
  builder = new Builder(state.scenarioId, title, state.builder, {
    onChange: (values) => {
      state.builder = values;
      save();
    },
    onRun: startRun,
    onStop: () => channel.post({ type: "stop" }),
  });
  builder.setCanRun(describeLab(state.lab).canRun);
  builder.setRunning(state.running, state.progress);
  builder.setFailure(state.failure);
  replaceChildren(builderHost, [builder.element]);
}

function renderHistoryHost(): void {
  replaceChildren(historyHost, [renderHistory(state.history, state.currentRunId, openRun)]);
}

function renderMain(): void {
  viewRun.setAttribute("aria-pressed", String(state.view === "run"));
  viewCompare.setAttribute("aria-pressed", String(state.view === "compare"));
  if (state.view === "compare") {
    runView?.dispose();
    runView = null;
    ensureCompareRecords();
    replaceChildren(mainHost, [
      renderCompare({
        history: state.history,
        a: state.compareA,
        b: state.compareB,
        recordA: state.compareA ? cache.get(state.compareA) : undefined,
        recordB: state.compareB ? cache.get(state.compareB) : undefined,
        unavailable: state.unavailable,
        onPick: (a, b) => {
          state.compareA = a;
          state.compareB = b;
          save();
          renderMain();
        },
      }),
    ]);
    return;
  }
  const record = state.currentRunId ? cache.get(state.currentRunId) : undefined;
  if (runView && record && runView.record === record) return; // already on screen
  runView?.dispose();
  runView = null;
  if (!record) {
    const loading = state.pendingOpen !== null && state.pendingOpen === state.currentRunId;
    replaceChildren(mainHost, [
      el("div", { class: "empty", testid: "empty-state" }, [
        el("h1", { class: "run-title", text: loading ? "Loading the run…" : "No run yet" }),
        el("p", { class: "muted", text: loading ? "Asking the extension for it." : "Pick a scenario on the left and press Run. Its verdict, timeline, requests and ledger show here." }),
      ]),
    ]);
    return;
  }
  const problem = runRecordProblem(record);
  if (problem) {
    replaceChildren(mainHost, [el("div", { class: "error-box", attrs: { role: "alert" }, text: `This run cannot be shown: ${problem}.` })]);
    return;
  }
  runView = new RunView(record, {
    inspect: (invocationId) => {
      if (channel.post({ type: "inspect", runId: record.runId, invocationId })) {
        journal = { invocationId, entries: null };
        runView?.showJournal(journal);
      }
    },
    exportRun: (format) => channel.post({ type: "export", runId: record.runId, format }),
    openConcepts: (section) => channel.post({ type: "openConcepts", section }),
  });
  journal = null;
  replaceChildren(mainHost, [runView.element]);
}

// ---------------------------------------------------------------------------------------------
// Actions

function setView(view: MainView): void {
  if (state.view === view) return;
  state.view = view;
  if (view === "compare" && state.compareA === null && state.compareB === null && state.history.length >= 2) {
    // A first comparison: the run on screen against the latest other run, the older one as A.
    const current = state.history.find((h) => h.runId === state.currentRunId) ?? state.history[0]!;
    const other = state.history.find((h) => h.runId !== current.runId)!;
    const [newer, older] = state.history.indexOf(current) < state.history.indexOf(other) ? [current, other] : [other, current];
    state.compareA = older.runId;
    state.compareB = newer.runId;
  }
  save();
  renderMain();
}

function selectScenario(id: string): void {
  if (id === state.scenarioId) return;
  state.scenarioId = id;
  state.builder = valuesForScenario(state.builder ?? defaultBuilderValues(), scenarioDefaults(id, state.scenarios));
  save();
  renderCatalogHost();
  renderBuilderHost();
}

function startRun(request: RunRequest): void {
  if (!channel.post({ type: "run", request })) return;
  state.running = true;
  state.progress = null;
  state.failure = null;
  showNotice(null);
  builder?.setFailure(null);
  builder?.setRunning(true, null);
}

/**
 * Shows a run of the history. The run on screen stays until the extension answers; `quiet`
 * (the restore's own open) keeps the main view as it is.
 */
function openRun(runId: string, quiet = false): void {
  state.unavailable.delete(runId); // an explicit open tries again
  state.pendingOpen = runId;
  state.pendingOpenQuiet = quiet;
  const cached = cache.get(runId);
  if (cached) {
    showRun(cached);
    return;
  }
  // A compare fetch of the same run is on its way: its answer serves this open too.
  if (!state.compareFetches.has(runId)) channel.post({ type: "openRun", runId });
  if (quiet) renderMain();
  else markHistoryBusy(runId);
}

function markHistoryBusy(runId: string): void {
  for (const item of historyHost.querySelectorAll<HTMLElement>("[data-run-id]")) {
    if (item.dataset.runId === runId) item.setAttribute("aria-busy", "true");
    else item.removeAttribute("aria-busy");
  }
}

function ensureCompareRecords(): void {
  if (!state.initialized) return; // the extension answers openRun only after ready
  for (const id of [state.compareA, state.compareB]) {
    if (id && !cache.has(id) && !state.compareFetches.has(id) && !state.unavailable.has(id) && id !== state.pendingOpen) {
      state.compareFetches.add(id);
      channel.post({ type: "openRun", runId: id });
    }
  }
}

function showRun(record: RunRecord): void {
  const quiet = state.pendingOpenQuiet && state.pendingOpen === record.runId;
  state.pendingOpen = null;
  state.pendingOpenQuiet = false;
  state.currentRunId = record.runId;
  if (!quiet) {
    state.view = "run";
    showNotice(null);
  }
  save();
  renderHistoryHost();
  renderMain();
}

function save(): void {
  const s: PersistedState = {
    version: 1,
    scenarioId: state.scenarioId || null,
    builder: state.builder,
    currentRunId: state.currentRunId,
    compareA: state.compareA,
    compareB: state.compareB,
    view: state.view,
  };
  channel.setState(s);
}

/** runFailed answers any request that failed, not only runs; `about` says which. */
function failed(f: { message: string; fix?: string; about: ToExtension["type"] }): void {
  const about = f.about;
  if (state.running && about === "run") {
    state.running = false;
    state.progress = null;
    state.failure = { title: "The run failed", ...f };
    builder?.setRunning(false, null);
    builder?.setFailure(state.failure);
  } else if (about === "openRun" && state.pendingOpen !== null) {
    const failedId = state.pendingOpen;
    state.unavailable.add(failedId);
    state.compareFetches.delete(failedId);
    state.pendingOpen = null;
    state.pendingOpenQuiet = false;
    if (state.currentRunId === failedId) {
      state.currentRunId = null; // the restored run is gone
      save();
    }
    markHistoryBusy("");
    showNotice({ title: "Could not open the run", ...f });
    renderMain();
  } else if (about === "openRun" && state.compareFetches.size > 0) {
    for (const id of state.compareFetches) state.unavailable.add(id);
    state.compareFetches.clear();
    showNotice({ title: "Could not open a run to compare", ...f });
    if (state.view === "compare") renderMain();
  } else if (about === "inspect" && journal && journal.entries === null && runView) {
    journal = { ...journal, error: f.message };
    runView.showJournal(journal);
  } else {
    showNotice({ title: ACTION_FAILURES[about] ?? "Something failed", message: f.message, ...(f.fix ? { fix: f.fix } : {}) });
  }
}

const ACTION_FAILURES: Partial<Record<ToExtension["type"], string>> = {
  run: "The run failed",
  startLab: "Could not start the lab",
  export: "Could not export the run",
  openConcepts: "Could not open the concepts",
  inspect: "Could not read the journal",
  openRun: "Could not open the run",
};

function showNotice(notice: { title: string; message: string; fix?: string } | null): void {
  if (notice === null) {
    replaceChildren(noticeHost, []);
    return;
  }
  replaceChildren(noticeHost, [
    el("div", { class: "error-box notice", testid: "panel-error", attrs: { role: "alert" } }, [
      el("div", { class: "notice-text" }, [el("strong", { text: `${notice.title}: ` }), notice.message, notice.fix ? el("div", { class: "error-fix", text: notice.fix }) : null]),
      button("Dismiss", () => showNotice(null), { class: "secondary small" }),
    ]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Messages from the extension

function handle(message: ToWebview): void {
  switch (message.type) {
    case "init": {
      const first = !state.initialized;
      state.initialized = true;
      state.scenarios = sanitizeScenarios(message.scenarios);
      state.history = sanitizeHistory(message.history);
      state.lab = message.lab;
      const known = state.scenarioId === CUSTOM_SCENARIO_ID || state.scenarios.some((s) => s.id === state.scenarioId);
      if (!known) {
        state.scenarioId = state.scenarios[0]?.id ?? CUSTOM_SCENARIO_ID;
        state.builder = valuesForScenario(state.builder ?? defaultBuilderValues(), scenarioDefaults(state.scenarioId, state.scenarios));
      } else if (state.builder === null) {
        state.builder = defaultBuilderValues(scenarioDefaults(state.scenarioId, state.scenarios));
      }
      save();
      renderLabHost();
      renderCatalogHost();
      renderBuilderHost();
      renderHistoryHost();
      if (first && state.currentRunId && !cache.has(state.currentRunId)) openRun(state.currentRunId, true);
      renderMain();
      break;
    }
    case "lab":
      state.lab = message.lab;
      renderLabHost();
      break;
    case "progress":
      state.running = message.done < message.total || state.running;
      state.progress = { done: message.done, total: message.total };
      builder?.setRunning(state.running, state.progress);
      break;
    case "run": {
      const record = message.run;
      cache.put(record, [state.currentRunId, state.compareA, state.compareB]);
      const forCompare = state.compareFetches.delete(record.runId);
      if (state.pendingOpen === record.runId) {
        // A run the learner opened from the history (or the restore's own openRun).
        showRun(record);
      } else if (forCompare) {
        if (state.view === "compare") renderMain();
      } else if (state.running) {
        // The answer to our run.
        state.running = false;
        state.progress = null;
        builder?.setRunning(false, null);
        showRun(record);
      } else if (record.runId === state.currentRunId) {
        // A second answer for the run on screen: refresh it, keep the view.
        if (state.view === "run") renderMain();
      } else {
        // A run made elsewhere (e.g. from the command palette): show it.
        showRun(record);
      }
      break;
    }
    case "runFailed":
      failed({ message: message.message, ...(message.fix ? { fix: message.fix } : {}), about: message.about });
      break;
    case "history":
      state.history = sanitizeHistory(message.history);
      renderHistoryHost();
      if (state.view === "compare") renderMain();
      break;
    case "journal":
      if (runView && message.runId === runView.record.runId && journal?.invocationId === message.invocationId) {
        journal = { invocationId: message.invocationId, entries: sanitizeJournal(message.entries) };
        runView.showJournal(journal);
      }
      break;
  }
}

window.addEventListener("message", (event: MessageEvent) => {
  const parsed = parseToWebview(event.data);
  if (!parsed.ok) {
    console.warn(`Idempotency Lab: dropped a message from the extension (${parsed.error})`);
    return;
  }
  try {
    handle(parsed.message);
  } catch (err) {
    console.error("Idempotency Lab: could not show a message", err);
  }
});

mount();
renderLabHost();
renderCatalogHost();
renderHistoryHost();
renderMain();
channel.post({ type: "ready" });
