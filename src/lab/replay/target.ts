// Where a replay runs: the running lab's URLs (checked by stack.status), the token for an
// existing Restate, and, for a local lab, a way to crash its service mid-handler.
import { LabError } from "../errors.js";
import { realWorkspace } from "../lab-files.js";
import { isLocalLabUrl, type RestateCredential } from "../origins.js";
import { workspacePaths } from "../paths.js";
import { isListening } from "../ports.js";
import { poll } from "../poll.js";
import { isRestateHealthy } from "../restate-server.js";
import { signal as signalProcess } from "../processes.js";
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
  /** Kills restate-server; resolves when the supervisor has it answering again. Absent for a Restate elsewhere. */
  crashRestate?: () => Promise<void>;
  /** True when Restate is the lab's own restate-server (with its settings, e.g. a cleaner every 5 s), not one elsewhere. */
  ownRestate?: boolean;
  /** The gateway's ledger file: what a run reads when the lab stopped during it and the gateway is gone. */
  ledgerFile?: string;
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
  return {
    ...current.urls,
    credential: existingRestate?.credential,
    crashService: () => crashService(workspace),
    ownRestate: existingRestate === undefined,
    ledgerFile: workspacePaths(current.workspace).ledger,
    ...(current.pids.restate !== undefined ? { crashRestate: () => crashRestate(workspace) } : {}),
  };
}

/** Kills the lab's restate-server with SIGKILL and resolves once the supervisor has a new one answering. */
export async function crashRestate(given: string): Promise<void> {
  const workspace = realWorkspace(given);
  const paths = workspacePaths(workspace);
  const state = readState(paths.state);
  const restate = state?.pids.restate === undefined ? undefined : identityOf(paths, "restate", state.pids.restate, state.runToken);
  if (!state || !restate || !state.urls || !isLocalLabUrl(state.urls.admin) || !signalProcess(restate, "SIGKILL")) {
    throw new LabError("The lab's restate-server is not running", `Start the lab: idempotency-lab up ${workspace}`, "not-running");
  }
  const urls = state.urls;
  const isBack = async () => {
    const now = readState(paths.state);
    return !!now && now.pids.restate !== undefined && now.pids.restate !== restate.pid && (await isRestateHealthy(urls));
  };
  await poll(isBack, {
    what: "restate-server to come back",
    everyMs: 100,
    timeoutMs: 60_000,
    onTimeout: () => {
      throw new Error("restate-server did not come back within 60 s after the crash; see the log");
    },
  });
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
  const isBack = async () => {
    const now = readState(paths.state);
    return !!now && now.serviceRestarts > state.serviceRestarts && (await isListening(port));
  };
  await poll(isBack, {
    what: "the service to come back",
    everyMs: 100,
    timeoutMs: 30_000,
    onTimeout: () => {
      throw new Error("the service did not come back within 30 s after the crash; see the log");
    },
  });
}
