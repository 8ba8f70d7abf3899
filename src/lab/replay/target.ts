// Where a replay runs: the running lab's URLs (checked by stack.status), the token for an
// existing Restate, and, for a local lab, a way to crash its service mid-handler.
import { LabError } from "../errors.js";
import { realWorkspace } from "../lab-files.js";
import { isLocalLabUrl, type RestateCredential } from "../origins.js";
import { workspacePaths } from "../paths.js";
import { isListening } from "../ports.js";
import { signal as signalProcess, sleep } from "../processes.js";
import { status } from "../stack.js";
import { identityOf, readState } from "../state.js";
import type { ExistingRestate } from "../supervisor.js";

/** Where a scenario runs: the lab's URLs, and (for a local lab) a way to crash the service. */
export interface LabTarget {
  ingress: string;
  admin: string;
  gateway: string;
  /** For a Restate that runs elsewhere: sent only to the origins it was entered for. */
  credential?: RestateCredential;
  /** Kills the service process; resolves when it is back. Absent when the service is not ours. */
  crashService?: () => Promise<void>;
  /** True when Restate is the lab's own restate-server (with its settings, e.g. a cleaner every 5 s), not one elsewhere. */
  ownRestate?: boolean;
}

/** The running lab as the replay engine sees it. */
export async function localTarget(workspace: string, existingRestate?: ExistingRestate): Promise<LabTarget> {
  const current = await status(workspace, { existingRestate });
  if (current.state === "failed") throw new LabError(current.error, "Stop the lab and start it again.", "not-running");
  if (current.state !== "ready") {
    throw new LabError(
      `The lab in ${workspace} is not running (${current.state})`,
      `Start it first: idempotency-lab up ${workspace} --detach`,
      "not-running",
    );
  }
  return { ...current.urls, credential: existingRestate?.credential, crashService: () => crashService(workspace), ownRestate: existingRestate === undefined };
}

/** Kills the lab's service with SIGKILL (a crash) and resolves once the supervisor has it back up. */
export async function crashService(given: string): Promise<void> {
  const workspace = realWorkspace(given);
  const paths = workspacePaths(workspace);
  const state = readState(paths.state);
  const service = state?.pids.service === undefined ? undefined : identityOf(paths, "service", state.pids.service, state.runToken);
  if (!state || !service || !state.urls || !isLocalLabUrl(state.urls.service) || !signalProcess(service, "SIGKILL")) {
    throw new LabError("The lab's service is not running", `Start the lab: idempotency-lab up ${workspace}`, "not-running");
  }
  const port = Number(new URL(state.urls.service).port);
  for (let i = 0; i < 300; i++) {
    const now = readState(paths.state);
    if (now && now.serviceRestarts > state.serviceRestarts && (await isListening(port))) return;
    await sleep(100);
  }
  throw new Error("the service did not come back within 30 s after the crash; see the log");
}
