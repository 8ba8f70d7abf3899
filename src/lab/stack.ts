// The lab stack as the CLI and the extension see it: up, down, status. The processes
// themselves belong to a detached supervisor (supervisor.ts); this side starts it, reads
// its state file, and stops it. Starts and stops take turns (start-lock.ts).
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file.js";
import { LabError } from "./errors.js";
import { installDependencies, needsInstall } from "./install.js";
import { findNode } from "./node-runtime.js";
import { checkLabDir, isLink, linkRefused, realWorkspace } from "./lab-files.js";
import { childEnvironment, isLocalLabUrl } from "./origins.js";
import { requireLabWorkspace, supervisorScript, workspacePaths, type WorkspacePaths } from "./paths.js";
import { poll, sleep } from "./poll.js";
import { isOurs, newRunToken, RUN_TOKEN_ENV, terminate, type ProcessIdentity } from "./processes.js";
import { isHealthy } from "./restate-admin.js";
import { workspaceRestateServer } from "./restate-server.js";
import { acquireStartLock, startLockHolder, type LockHolder } from "./start-lock.js";
import { identitiesOf, identityOf, inspectState, readState, removeState, type StackState, type StackUrls } from "./state.js";
import type { ExistingRestate } from "./origins.js";
import { EXIT_ALREADY_RUNNING, LEAN_MALLOC, type SupervisorOptions } from "./supervisor.js";

export interface UpOptions {
  /** Node.js for the service and the gateway; found automatically when absent. */
  nodePath?: string;
  /** A restate-server binary; the workspace's npm package when absent. */
  restateServerPath?: string;
  /** The lab stops when this process dies (the extension host); see SupervisorOptions. */
  ownerPid?: number;
  /** Use a Restate that runs elsewhere: start no local server, register and replay there. */
  existingRestate?: ExistingRestate;
  /** Preferred ports (0 = any free port). Taken ports fall back to free ones. */
  ports?: Partial<SupervisorOptions["ports"]>;
  /** What the start is doing, in a few words, for a progress display. */
  onProgress?: (message: string) => void;
  /** Details worth a log line (npm's output, which Node.js): not for a progress display. */
  onLog?: (line: string) => void;
  signal?: AbortSignal;
}

export const DEFAULT_PORTS: SupervisorOptions["ports"] = { ingress: 8080, admin: 9070, node: 5122, gateway: 9081, service: 9080 };

export interface RunningStack {
  workspace: string;
  urls: StackUrls;
  pids: { supervisor: number; restate?: number; gateway?: number; service?: number };
  deploymentId?: string;
  serviceRestarts: number;
  /** True when a lab that was already running was found and used. */
  adopted: boolean;
}

export type StackStatus =
  /** `problem`: the state file was there but not valid (it was ignored). */
  | { state: "stopped"; workspace: string; leftovers: number[]; problem?: string }
  | { state: "starting" | "stopping"; workspace: string; detail: string }
  | { state: "failed"; workspace: string; error: string }
  | ({ state: "ready"; healthy: boolean } & RunningStack);

const READY_TIMEOUT_MS = 150_000;

export async function up(given: string, options: UpOptions = {}): Promise<RunningStack> {
  const workspace = realWorkspace(given);
  const paths = workspacePaths(workspace);
  const progress = options.onProgress ?? (() => {});
  requireLabWorkspace(workspace);
  checkLabDir(workspace, paths.lab, false);
  // The supervisor writes these: a link in their place is refused here, where the message reaches the user.
  for (const file of [paths.state, paths.lock, paths.log, paths.ledger, paths.installing]) {
    if (isLink(file)) throw linkRefused(file);
  }
  const lock = await acquireStartLock(paths, "start", {
    signal: options.signal,
    onWait: (holder) => progress(`Another ${holder.action} of this lab is in progress (pid ${holder.pid}); waiting for it`),
  });
  // Aborted by the caller (Cancel) or by a stop from elsewhere (Stop Lab in another window, `down`).
  const abort = new AbortController();
  const onCancel = () => abort.abort(new LabError("Start cancelled", "Start the lab again when you are ready.", "start-failed"));
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener("abort", onCancel, { once: true });
  const watch = setInterval(() => {
    if (lock.stopRequested())
      abort.abort(
        new LabError(
          "The lab was stopped while it was starting (Stop Lab, or `down`, from another window or terminal)",
          "Start it again when you want it.",
          "start-stopped",
        ),
      );
  }, 100);
  try {
    return await startLocked(workspace, { ...options, signal: abort.signal });
  } catch (err) {
    throw abort.signal.aborted ? (abort.signal.reason as LabError) : err;
  } finally {
    clearInterval(watch);
    options.signal?.removeEventListener("abort", onCancel);
    lock.release();
  }
}

/** up, once this caller holds the start lock. */
async function startLocked(workspace: string, options: UpOptions & { signal: AbortSignal }): Promise<RunningStack> {
  const paths = workspacePaths(workspace);
  const progress = options.onProgress ?? (() => {});
  const read = inspectState(paths.state);
  if (read.kind === "invalid") {
    // Not a file this lab wrote: nothing in it is acted on, and a fresh start replaces it.
    progress(`Ignoring ${read.problem}`);
    removeState(paths.state);
  }
  const existing = read.kind === "ok" ? read.state : null;
  const supervisor = existing ? identityOf(paths, "supervisor", existing.pids.supervisor, existing.runToken, existing.starts?.supervisor) : undefined;
  if (existing && isOurs(supervisor)) {
    if (existing.phase === "stopping") {
      await waitForExit(supervisor!, options.signal);
      if (options.signal.aborted) throw options.signal.reason;
    } else {
      progress("The lab is already running: using it");
      return { ...(await waitForReady(workspace, supervisor!, options)), adopted: true };
    }
  }
  if (existing) {
    // A run that was killed: stop what it left and forget its state before starting afresh.
    const { stopped } = await stopLocked(workspace);
    if (stopped.length > 0) progress(`Stopped ${stopped.length} process(es) left by an earlier run`);
  }

  const node = findNode({ configured: options.nodePath });
  options.onLog?.(`Using Node.js ${node.version} (${node.source}: ${node.path})`);

  // The marker outlives an install that is cut short (a stop, a cancel, a crash): the next start installs again.
  if (needsInstall(workspace) || existsSync(paths.installing)) {
    progress("Installing the lab's packages (first start only)");
    writeFileAtomic(paths.installing, new Date().toISOString());
    await installDependencies(workspace, { nodePath: node.path, onLine: (l) => options.onLog?.(`npm: ${l}`), signal: options.signal });
    rmSync(paths.installing, { force: true });
  }
  const restateServer = options.restateServerPath ?? workspaceRestateServer(workspace);
  if (options.existingRestate) {
    checkUrl(options.existingRestate.admin, "admin");
    checkUrl(options.existingRestate.ingress, "ingress");
  } else if (!existsSync(restateServer)) {
    throw new LabError(
      `restate-server was not found at ${restateServer}`,
      options.restateServerPath
        ? "Point the restate-server path setting (--restate-server) at the binary, or clear it to use the workspace's."
        : `Run "npm install" in ${workspace}, or set a restate-server path (--restate-server).`,
      "restate-missing",
    );
  }

  const runToken = newRunToken();
  const supervisorOptions: SupervisorOptions = {
    workspace: paths.workspace,
    runToken,
    nodePath: node.path,
    restateServer,
    existingRestate: options.existingRestate,
    ownerPid: options.ownerPid,
    ports: { ...DEFAULT_PORTS, ...options.ports },
  };
  progress("Starting the lab's supervisor");
  const child = spawn(process.execPath, [supervisorScript(), paths.workspace], {
    cwd: paths.workspace,
    detached: true,
    // Options (a token among them) go on stdin: the environment is inherited by every child.
    stdio: ["pipe", "ignore", "ignore"],
    // ELECTRON_RUN_AS_NODE: inside VS Code desktop, execPath is Electron; this makes it a plain Node.
    // The run token marks the supervisor and everything it starts as this start's processes.
    env: childEnvironment({ ELECTRON_RUN_AS_NODE: "1", [RUN_TOKEN_ENV]: runToken, ...LEAN_MALLOC }),
  });
  child.stdin!.on("error", () => {}); // a supervisor that exits at once is reported below
  child.stdin!.end(JSON.stringify(supervisorOptions));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.unref();

  try {
    const started = identityOf(paths, "supervisor", child.pid!, runToken);
    const result = await Promise.race([waitForReady(workspace, started, options), exited.then((code) => supervisorExited(workspace, code))]);
    return { ...result, adopted: false };
  } catch (err) {
    // Cancelled or stopped from elsewhere: what this start began stops with it (this caller holds the lock).
    if (options.signal.aborted) await stopLocked(workspace);
    throw err;
  }
}

async function supervisorExited(workspace: string, code: number | null): Promise<never> {
  if (code === EXIT_ALREADY_RUNNING) {
    throw new LabError("Another lab start is in progress for this workspace", "Wait for it to finish, then try again.", "start-failed");
  }
  await sleep(200); // let the last state write land
  const state = readState(workspacePaths(workspace).state);
  throw startFailed(workspace, state?.error ?? `the supervisor exited with code ${code}`);
}

function startFailed(workspace: string, error: string): LabError {
  return new LabError(
    `The lab did not start: ${error}`,
    `See the log (${workspacePaths(workspace).log}), fix the cause, and start the lab again.`,
    "start-failed",
  );
}

async function waitForReady(workspace: string, supervisor: ProcessIdentity, options: UpOptions): Promise<Omit<RunningStack, "adopted">> {
  const paths = workspacePaths(workspace);
  let reported = 0;
  const check = () => {
    if (options.signal?.aborted) throw new LabError("Start cancelled", "Start the lab again when you are ready.", "start-failed");
    const found = readState(paths.state);
    const state = found?.pids.supervisor === supervisor.pid && found.runToken === supervisor.runToken ? found : null;
    if (!state) return null;
    // Every step since the last read, even one that came and went between two reads.
    const steps = state.steps ?? [state.detail];
    // "ready" and a failure's "stopping" are said by the caller, not as a step.
    const finished = state.phase === "ready" || state.phase === "failed";
    for (const step of steps.slice(reported, finished ? -1 : undefined)) options.onProgress?.(capitalize(step));
    reported = Math.max(reported, finished ? steps.length - 1 : steps.length);
    if (state.phase === "ready" && state.urls) return toRunning(paths, state, options.existingRestate);
    if (state.phase === "failed") return { failed: state.error ?? "unknown error" };
    return null;
  };
  const outcome = await poll(check, {
    what: "the lab to be ready",
    everyMs: 10, // a state file read: cheap, and time to ready is measured (npm run bench)
    timeoutMs: READY_TIMEOUT_MS,
    onTimeout: () => {
      throw startFailed(workspace, `not ready after ${READY_TIMEOUT_MS / 1000} s`);
    },
  });
  if ("failed" in outcome) {
    // The supervisor is stopping what it started: the caller hears of the failure once nothing runs.
    await poll(() => !isOurs(supervisor), { what: "the failed lab to stop", everyMs: 50, timeoutMs: 30_000, onTimeout: () => true });
    throw startFailed(workspace, outcome.failed);
  }
  return outcome;
}

export interface DownResult {
  stopped: number[];
  /** Why the state file was ignored (it was not one this lab wrote); nothing it named was signalled. */
  problem?: string;
  /** A start was in progress: it gave up at this stop's request, and what it had begun is stopped. */
  startStopped?: boolean;
}

/**
 * Stops the lab and whatever a killed run left. Only processes proven to be this lab's are
 * signalled (processes.ts): a state file naming any other process changes nothing. A start in
 * progress (another window, the CLI) is asked to give up first.
 */
export async function down(given: string, options: { onProgress?: (message: string) => void } = {}): Promise<DownResult> {
  const workspace = realWorkspace(given);
  const paths = workspacePaths(workspace);
  checkLabDir(workspace, paths.lab, false);
  if (!existsSync(paths.lab)) return { stopped: [] }; // never started here
  let waited: LockHolder | undefined;
  const lock = await acquireStartLock(paths, "stop", {
    onWait: (holder) => {
      waited = holder;
      options.onProgress?.(
        holder.action === "start"
          ? `A start of this lab is in progress (pid ${holder.pid}): asking it to stop`
          : `Another stop of this lab is in progress (pid ${holder.pid}); waiting for it`,
      );
    },
  });
  try {
    const result = await stopLocked(workspace, options);
    return waited?.action === "start" ? { ...result, startStopped: true } : result;
  } finally {
    lock.release();
  }
}

/** down, for a caller that holds the start lock (up cleaning up, a reset). */
export async function stopLocked(workspace: string, options: { onProgress?: (message: string) => void } = {}): Promise<DownResult> {
  const paths = workspacePaths(workspace);
  const read = inspectState(paths.state);
  if (read.kind === "invalid") {
    options.onProgress?.(`Ignoring ${read.problem}; nothing it names was stopped`);
    removeState(paths.state);
    return { stopped: [], problem: read.problem };
  }
  const state = read.kind === "ok" ? read.state : null;
  const stopped: number[] = [];
  const supervisor = state ? identityOf(paths, "supervisor", state.pids.supervisor, state.runToken, state.starts?.supervisor) : undefined;
  if (supervisor && isOurs(supervisor)) {
    options.onProgress?.("Stopping the lab");
    stopped.push(supervisor.pid);
    await terminate([supervisor], 30_000);
  }
  // Whatever is still there was left by a supervisor that was killed (or the one above).
  const after = readState(paths.state) ?? state;
  const leftovers = after ? identitiesOf(paths, after, ["restate", "gateway", "service"]).filter(isOurs) : [];
  if (leftovers.length > 0) {
    options.onProgress?.(`Stopping ${leftovers.length} process(es) left behind`);
    stopped.push(...leftovers.map((p) => p.pid));
    await terminate(leftovers);
  }
  removeState(paths.state);
  rmSync(paths.lock, { force: true });
  return { stopped };
}

export async function status(given: string, options: { existingRestate?: ExistingRestate } = {}): Promise<StackStatus> {
  const workspace = realWorkspace(given);
  const paths = workspacePaths(workspace);
  let read;
  try {
    checkLabDir(workspace, paths.lab, false);
    read = inspectState(paths.state);
  } catch (err) {
    read = { kind: "invalid" as const, problem: (err as Error).message };
  }
  if (read.kind === "none") {
    // No state file yet: another caller may be installing the lab's packages before its supervisor starts.
    const holder = startLockHolder(paths);
    if (holder?.action === "start") return { state: "starting", workspace, detail: `another caller (pid ${holder.pid}) is starting the lab` };
    return { state: "stopped", workspace, leftovers: [] };
  }
  if (read.kind === "invalid") return { state: "stopped", workspace, leftovers: [], problem: read.problem };
  const state = read.state;
  if (!isOurs(identityOf(paths, "supervisor", state.pids.supervisor, state.runToken, state.starts?.supervisor))) {
    const leftovers = identitiesOf(paths, state, ["restate", "gateway", "service"])
      .filter(isOurs)
      .map((p) => p.pid);
    if (state.phase === "failed") return { state: "failed", workspace, error: state.error ?? "unknown error" };
    return { state: "stopped", workspace, leftovers };
  }
  if (state.phase === "ready" && state.urls) {
    let running;
    try {
      running = toRunning(paths, state, options.existingRestate);
    } catch (err) {
      return { state: "failed", workspace, error: (err as Error).message };
    }
    const healthy =
      (await isHealthy(`${running.urls.admin}/health`, { credential: options.existingRestate?.credential })) &&
      (await isHealthy(`${running.urls.gateway}/health`));
    return { state: "ready", healthy, ...running, adopted: true };
  }
  if (state.phase === "failed") return { state: "failed", workspace, error: state.error ?? "unknown error" };
  return { state: state.phase === "stopping" ? "stopping" : "starting", workspace, detail: state.detail };
}

/**
 * The running lab as callers see it. Its URLs come from a file anyone may have written, so
 * they are taken only when they are this machine's lab (http://127.0.0.1:<port>) or, for
 * Restate, exactly the existing Restate the caller configured.
 */
function toRunning(paths: WorkspacePaths, state: StackState, existing: ExistingRestate | undefined): Omit<RunningStack, "adopted"> {
  const urls = state.urls!;
  const same = (a: string, b: string | undefined) => b !== undefined && a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
  for (const name of ["gateway", "service"] as const) {
    if (!isLocalLabUrl(urls[name])) throw unsafeUrl(paths, name, urls[name]);
  }
  for (const name of ["ingress", "admin"] as const) {
    if (!isLocalLabUrl(urls[name]) && !same(urls[name], existing?.[name])) throw unsafeUrl(paths, name, urls[name]);
  }
  return {
    workspace: paths.workspace,
    urls,
    pids: { ...state.pids },
    deploymentId: state.deploymentId,
    serviceRestarts: state.serviceRestarts,
  };
}

function unsafeUrl(paths: WorkspacePaths, name: string, url: string): LabError {
  return new LabError(
    `The lab's state file (${paths.state}) names ${url} as its ${name} URL, which is neither this machine's lab (http://127.0.0.1:<port>) nor the existing Restate in your settings`,
    "Stop the lab and start it again; to use a Restate elsewhere, set it in the existingRestate settings.",
    "bad-state",
  );
}

async function waitForExit(identity: ProcessIdentity, signal: AbortSignal): Promise<void> {
  await poll(() => signal.aborted || !isOurs(identity), { what: "the stopping lab to exit", everyMs: 100, timeoutMs: Infinity });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function checkUrl(url: string, which: string): void {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    throw new LabError(
      `The existing Restate's ${which} URL "${url}" is not an http(s) URL`,
      `Set it to something like ${which === "admin" ? "http://127.0.0.1:9070" : "http://127.0.0.1:8080"}.`,
    );
  }
}
