// Reset Lab State: stop the lab and delete Restate's data and the gateway's ledger (the learner's
// code is not touched). Never while a replay runs: its verdict is read from exactly that data.
import { rmSync } from "node:fs";
import { LabError } from "./errors.js";
import { checkLabDir, realWorkspace } from "./lab-files.js";
import { workspacePaths } from "./paths.js";
import { runningReplays } from "./replay/running.js";
import { stopLocked } from "./stack.js";
import { acquireStartLock } from "./start-lock.js";

export interface ResetResult {
  stopped: number[];
  deleted: string[];
}

/** Throws a LabError naming the replay when one runs in the workspace; changes nothing. */
export function refuseDuringReplay(workspace: string): void {
  const [replay, ...more] = runningReplays(workspace);
  if (!replay) return;
  throw new LabError(
    `A replay is running in this lab (${replay.scenario}, pid ${replay.pid}, since ${replay.since}${more.length > 0 ? `, and ${more.length} more` : ""}), so its state was not reset: ` +
      "that would delete the data the replay is judged by. Nothing was stopped or deleted",
    "Wait for the replay to finish (or stop it), then reset again.",
    "replay-running",
  );
}

export async function resetLab(given: string, options: { onProgress?: (message: string) => void } = {}): Promise<ResetResult> {
  const workspace = realWorkspace(given);
  const paths = workspacePaths(workspace);
  checkLabDir(workspace, paths.lab, false); // never delete through a link
  refuseDuringReplay(workspace);
  // Holding the start lock: no start (in any window) brings Restate up on the data being deleted.
  const lock = await acquireStartLock(paths, "stop", {
    onWait: (holder) => options.onProgress?.(`Waiting for another ${holder.action} of this lab (pid ${holder.pid})`),
  });
  try {
    refuseDuringReplay(workspace); // one may have begun while this waited
    const { stopped } = await stopLocked(workspace, options);
    checkLabDir(workspace, paths.lab, false);
    rmSync(paths.restateData, { recursive: true, force: true });
    rmSync(paths.ledger, { force: true });
    return { stopped, deleted: [paths.restateData, paths.ledger] };
  } finally {
    lock.release();
  }
}
