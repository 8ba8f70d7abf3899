// The one way to replay: find the scenario (or build the learner's custom one), check the
// options, run it against the running lab, and keep the run in the workspace's history. The
// CLI, the Replay command, the lab panel and the Test Explorer all come here. While it runs,
// .lab/replays/ says so, and a lab that stops ends it early (its result marked incomplete).
import { randomBytes } from "node:crypto";
import { CUSTOM_SCENARIO, type RunRecord, type RunRequest } from "../../shared/protocol.js";
import { LabError } from "../errors.js";
import { saveRun } from "../history.js";
import type { ExistingRestate } from "../supervisor.js";
import { customScenario, parseBody } from "./custom.js";
import { checkRunOptions, runScenario } from "./run.js";
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

/** Checks everything a request asks for before anything is sent; throws a LabError when it cannot run. */
export function checkRequest(request: RunRequest): Scenario {
  const scenario = scenarioFor(request);
  checkRunOptions(scenario, { count: request.count, concurrency: request.concurrency });
  if (request.body !== undefined) parseBody(request.body);
  return scenario;
}

export async function replay(workspace: string, request: RunRequest, options: ReplayOptions = {}): Promise<RunRecord> {
  const scenario = checkRequest(request);
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
  let result;
  try {
    options.onStart?.(scenario);
    result = await runScenario(target, scenario, {
      count: request.count,
      concurrency: request.concurrency,
      // A custom scenario carries its body in its plan; a catalog one takes the learner's instead of its own.
      ...(!custom && request.body !== undefined ? { body: parseBody(request.body) } : {}),
      ...(custom && request.paymentId ? { paymentId: request.paymentId } : {}),
      ...(custom && request.key === "fixed" && request.fixedKey ? { idempotencyKey: request.fixedKey } : {}),
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
    request,
    finishedAt: new Date().toISOString(),
    result,
    conceptsSection: scenario.conceptsSection,
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
