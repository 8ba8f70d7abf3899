// Where a replay runs: the running lab's URLs (checked by stack.status), the token for an
// existing Restate, and, for a local lab, a way to crash its service mid-handler.
import { LabError } from "../errors.js";
import { realWorkspace } from "../lab-files.js";
import { isLocalLabUrl, type ExistingRestate, type RestateCredential } from "../origins.js";
import { workspacePaths } from "../paths.js";
import { isListening } from "../ports.js";
import { poll } from "../poll.js";
import { isRestateHealthy } from "../restate-server.js";
import { signal as signalProcess } from "../processes.js";
import { status } from "../stack.js";
import { identityOf, readState, type StackState } from "../state.js";

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
    throw new LabError(`The lab in ${workspace} is not running (${current.state})`, `Start it first: idempotency-lab up ${workspace} --detach`, "not-running");
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
export function crashRestate(workspace: string): Promise<void> {
  return crash(
    workspace,
    "restate",
    "restate-server",
    60_000,
    async (before, now) => now.pids.restate !== undefined && now.pids.restate !== before.pids.restate && !!now.urls && (await isRestateHealthy(now.urls)),
  );
}

/** Kills the lab's service with SIGKILL (a crash) and resolves once the supervisor has it back up. */
export function crashService(workspace: string): Promise<void> {
  return crash(
    workspace,
    "service",
    "service",
    30_000,
    async (before, now) => now.serviceRestarts > before.serviceRestarts && !!now.urls && (await isListening(Number(new URL(now.urls.service).port))),
  );
}

/**
 * SIGKILL for one of the lab's processes (proven ours, as every signal is), then waits until
 * `isBack` sees the supervisor's replacement in the state file.
 */
async function crash(
  given: string,
  role: "restate" | "service",
  name: string,
  timeoutMs: number,
  isBack: (before: StackState, now: StackState) => Promise<boolean>,
): Promise<void> {
  const workspace = realWorkspace(given);
  const paths = workspacePaths(workspace);
  const before = readState(paths.state);
  const pid = before?.pids[role];
  const victim = pid === undefined || !before ? undefined : identityOf(paths, role, pid, before.runToken);
  // The state file's URLs are only claims: the ones this waits on must be the lab's own.
  const own = before?.urls && (role === "service" ? [before.urls.service] : [before.urls.admin, before.urls.ingress]).every(isLocalLabUrl);
  if (!before || !victim || !own || !signalProcess(victim, "SIGKILL")) {
    throw new LabError(`The lab's ${name} is not running`, `Start the lab: idempotency-lab up ${workspace}`, "not-running");
  }
  await poll(
    async () => {
      const now = readState(paths.state);
      return !!now && (await isBack(before, now));
    },
    {
      what: `the ${name} to come back`,
      everyMs: 100,
      timeoutMs,
      onTimeout: () => {
        throw new Error(`the ${name} did not come back within ${timeoutMs / 1000} s after the crash; see the log`);
      },
    },
  );
}
