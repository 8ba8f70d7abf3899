// The one way to replay: find the scenario (or build the learner's custom one), check the
// options, run it against the running lab, and keep the run in the workspace's history. The
// CLI, the Replay command, the lab panel and the Test Explorer all come here. While it runs,
// .lab/replays/ says so, and a lab that stops ends it early (its result marked incomplete).
import { randomBytes } from "node:crypto";
import { scorePrediction, type Prediction } from "../../shared/prediction.js";
import { CUSTOM_SCENARIO, type RunRecord, type RunRequest } from "../../shared/protocol.js";
import { LabError } from "../errors.js";
import { saveRun } from "../history.js";
import type { ExistingRestate } from "../origins.js";
import { customScenario, parseBody } from "./custom.js";
import { checkRunOptions, runChecked } from "./run.js";
import { findScenario, SCENARIOS } from "./scenarios.js";
import { watchLab } from "./lab-watch.js";
import { markReplayRunning } from "./running.js";
import { localTarget } from "./target.js";
import type { Scenario } from "./types.js";

export interface ReplayOptions {
  /** The Restate elsewhere the lab was started with, if any (its URLs and token). */
  existingRestate?: ExistingRestate;
  signal?: AbortSignal;
  /** Called once the lab answered and just before the first request goes out. */
  onStart?: (scenario: Scenario) => void;
  /** Called as requests are answered, for progress displays. */
  onProgress?: (done: number, total: number) => void;
  /** Keep the run in .lab/history (default: yes). */
  record?: boolean;
  /** The learner's prediction before the run: scored against it and kept in its record. */
  prediction?: Prediction;
  /** Called when the history could not be written (the result also carries a note saying so). */
  onHistoryError?: (message: string) => void;
}

/** The scenario a request names; throws a LabError listing the ids when there is none. */
export function scenarioFor(request: RunRequest): Scenario {
  if (request.scenario === CUSTOM_SCENARIO.id) return customScenario(request);
  const scenario = findScenario(request.scenario);
  if (!scenario) throw new LabError(`Unknown scenario "${request.scenario}"`, `Use one of: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  return scenario;
}

/** A request checked once, before anything is sent: its scenario and the values it runs with. */
export interface CheckedRequest {
  readonly request: RunRequest;
  readonly scenario: Scenario;
  readonly count: number;
  readonly concurrency: number;
  /** A catalog scenario's body from the learner (a custom scenario carries its body in its plan). */
  readonly body?: unknown;
}

/** Checks everything a request asks for before anything is sent; throws a LabError when it cannot run. */
export function checkRequest(request: RunRequest): CheckedRequest {
  const scenario = scenarioFor(request);
  const { count, concurrency } = checkRunOptions(scenario, { count: request.count, concurrency: request.concurrency });
  const custom = scenario.id === CUSTOM_SCENARIO.id;
  return { request, scenario, count, concurrency, ...(!custom && request.body !== undefined ? { body: parseBody(request.body) } : {}) };
}

const isChecked = (r: RunRequest | CheckedRequest): r is CheckedRequest => typeof r.scenario !== "string";

export async function replay(workspace: string, request: RunRequest | CheckedRequest, options: ReplayOptions = {}): Promise<RunRecord> {
  const checked = isChecked(request) ? request : checkRequest(request);
  const { scenario } = checked;
  const target = await localTarget(workspace, options.existingRestate);
  const custom = scenario.id === CUSTOM_SCENARIO.id;
  // Seen by every window and the CLI (Reset Lab State refuses while it is there); gone when the run ends.
  // A record that cannot be written (a link, a file in the folder's place) does not stop the run.
  let running = () => {};
  let unrecorded: string | undefined;
  try {
    running = markReplayRunning(workspace, scenario.id);
  } catch (err) {
    unrecorded = `This run was not recorded as running (${(err as Error).message}), so Reset Lab State could not see it.`;
  }
  const lab = watchLab(workspace);
  const r = checked.request;
  let result;
  try {
    options.onStart?.(scenario);
    result = await runChecked(target, scenario, {
      count: checked.count,
      concurrency: checked.concurrency,
      ...(checked.body !== undefined ? { body: checked.body } : {}),
      ...(custom && r.paymentId ? { paymentId: r.paymentId } : {}),
      ...(custom && r.key === "fixed" && r.fixedKey ? { idempotencyKey: r.fixedKey } : {}),
      signal: options.signal,
      labStopped: lab.signal,
      onProgress: options.onProgress,
    });
  } finally {
    lab.dispose();
    running();
  }
  if (unrecorded) result.notes.push(unrecorded);
  const run: RunRecord = {
    runId: randomBytes(6).toString("hex"),
    request: r,
    finishedAt: new Date().toISOString(),
    result,
    conceptsSection: scenario.conceptsSection,
    // The learner's prediction is scored against this run and kept with it: the history is written once.
    ...(options.prediction && result.verdict !== "skipped" ? { prediction: options.prediction, score: scorePrediction(options.prediction, result) } : {}),
  };
  if (options.record !== false) {
    try {
      saveRun(workspace, run);
    } catch (err) {
      // The run happened and its result stands: say where the learner reads it that history missed it.
      const message = `This run could not be kept in the history (${(err as Error).message}); it is shown here only.`;
      run.result.notes.push(message);
      options.onHistoryError?.(message);
    }
  }
  return run;
}
