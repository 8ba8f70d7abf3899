// Notices that the lab a replay runs against has stopped (Stop Lab, `down`, its supervisor
// killed), so the replay can end at once with what it has instead of sending thousands of
// requests into a lab that is gone.
import { workspacePaths } from "../paths.js";
import { isOurs } from "../processes.js";
import { identityOf, readState } from "../state.js";

export const LAB_STOPPED = "the lab stopped during the run";

export interface LabWatch {
  /** Aborts, with LAB_STOPPED as its reason, once the lab that runs now has stopped or is stopping. */
  signal: AbortSignal;
  dispose(): void;
}

export function watchLab(workspace: string, everyMs = 200): LabWatch {
  const paths = workspacePaths(workspace);
  const controller = new AbortController();
  const first = readState(paths.state);
  const supervisor = first ? identityOf(paths, "supervisor", first.pids.supervisor, first.runToken) : undefined;
  const check = () => {
    const now = readState(paths.state);
    const same = now !== null && first !== null && now.runToken === first.runToken && now.pids.supervisor === first.pids.supervisor;
    if (same && now.phase !== "stopping" && now.phase !== "failed" && isOurs(supervisor)) return;
    controller.abort(LAB_STOPPED);
    clearInterval(timer);
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  check();
  return { signal: controller.signal, dispose: () => clearInterval(timer) };
}
