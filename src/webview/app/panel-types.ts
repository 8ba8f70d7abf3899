// The panel's state and the events that change it: their shapes. panel-state.ts holds the
// transitions (reduce), chaos-state.ts the chaos run's share of them.
import type {
  ChaosSettings,
  LabStatus,
  PanelSettings,
  RunRequest,
  RunSummary,
  ScenarioCode,
  ScenarioInfo,
  ToExtension,
  ToWebview,
} from "../../shared/protocol.js";
import type { BuilderValues } from "../builder/builder-model.js";
import type { ChaosValues } from "../chaos/chaos-model.js";
import type { ShrinkState } from "../chaos/chaos-shrink-model.js";
import type { PredictionDraft } from "../builder/prediction-model.js";
import type { JournalView } from "../run/run-model.js";
import type { Failure } from "../ui/failure.js";
import type { ChaosEvent } from "./chaos-state.js";
import type { PendingRequest } from "./panel-requests.js";
import type { MainView } from "./persisted-state.js";
import type { RunCache } from "./run-cache.js";

export interface PanelState {
  /** The extension answered ready: scenarios, history and lab are known. */
  initialized: boolean;
  scenarios: readonly ScenarioInfo[];
  /** Most recent first. */
  history: readonly RunSummary[];
  lab: LabStatus | null;
  /** The extension's settings for the panel (until init: their defaults). */
  settings: PanelSettings;
  scenarioId: string;
  builder: BuilderValues | null;
  /** What the engine takes for a chaos run (from init), and the chaos form's values. */
  chaosSettings: ChaosSettings | null;
  chaosValues: ChaosValues | null;
  /** The last shrink of a chaos run: under way while `running` is its requestId, then its answer. */
  shrink: ShrinkState | null;
  /** The payment whose history is open in the chaos result on screen. */
  openPayment: string | null;
  /** What the learner predicts of the next run (asked only while settings.predictBeforeRun). */
  prediction: PredictionDraft;
  /** The requestId of the run in progress (the webview's or the extension's own), or null. */
  running: string | null;
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
  /** Runs the extension could not open: not asked for again until the learner clicks them. */
  unavailable: readonly string[];
  journal: JournalView | null;
  /** Each scenario's handler code, as the extension last read it from the lab's files (sent before each run). */
  code: Readonly<Record<string, ScenarioCode>>;
  runs: RunCache;
  /** The requests the panel waits for: an answer or a failure with another requestId is ignored. */
  requests: readonly PendingRequest[];
  /** The requestIds this panel makes: `${idPrefix}-${nextRequest}`. */
  idPrefix: string;
  nextRequest: number;
  /** Messages for the extension, sent (and emptied) by main.ts after each event. */
  outbox: readonly ToExtension[];
}

export type PanelEvent =
  | { type: "message"; message: ToWebview }
  /** parseToWebview refused an answer to this request. */
  | { type: "refused"; requestId: string; error: string }
  | { type: "selectScenario"; scenarioId: string }
  | { type: "editBuilder"; values: BuilderValues }
  | { type: "editPrediction"; draft: PredictionDraft }
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
  | { type: "copy"; text: string }
  | { type: "openSource"; file: string; line: number }
  | { type: "dismissNotice" }
  | ChaosEvent;
