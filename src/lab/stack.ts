// The lab stack as the CLI and the extension see it: up, down, status. The processes
// themselves belong to a detached supervisor (supervisor.ts); this side starts it, reads
// its state file, and stops it.
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { LabError } from "./errors.js";
import { installDependencies, needsInstall } from "./install.js";
import { findNode } from "./node-runtime.js";
import { isLabWorkspace, supervisorScript, workspacePaths } from "./paths.js";
import { isOurs, sleep, terminate, type ProcessRecord } from "./processes.js";
import { isHealthy } from "./restate-admin.js";
import { readState, removeState, type StackState, type StackUrls } from "./state.js";
import { EXIT_ALREADY_RUNNING, SUPERVISOR_OPTIONS_ENV, type ExistingRestate, type SupervisorOptions } from "./supervisor.js";
import { isListening } from "./ports.js";
import type { LabTarget } from "./replay/run.js";

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
  onProgress?: (message: string) => void;
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
  | { state: "stopped"; workspace: string; leftovers: number[] }
  | { state: "starting" | "stopping"; workspace: string; detail: string }
  | { state: "failed"; workspace: string; error: string }
  | ({ state: "ready"; healthy: boolean } & RunningStack);

const READY_TIMEOUT_MS = 150_000;

export async function up(workspace: string, options: UpOptions = {}): Promise<RunningStack> {
  const paths = workspacePaths(workspace);
  const progress = options.onProgress ?? (() => {});
  if (!isLabWorkspace(workspace)) {
    throw new LabError(`${workspace} is not an Idempotency Lab workspace`, `Run "idempotency-lab scaffold ${workspace}" first.`, "not-a-lab");
  }

  const existing = readState(paths.state);
  if (existing && isOurs(existing.supervisor)) {
    if (existing.phase === "stopping") await waitForExit(existing.supervisor);
    else {
      progress("The lab is already running: using it");
      return { ...(await waitForReady(workspace, existing.supervisor.pid, options)), adopted: true };
    }
  }
  if (existing) {
    // A run that was killed: stop what it left and forget its state before starting afresh.
    const { stopped } = await down(workspace);
    if (stopped.length > 0) progress(`Stopped ${stopped.length} process(es) left by an earlier run`);
  }

  const node = findNode({ configured: options.nodePath });
  progress(`Using Node.js ${node.version} (${node.source}: ${node.path})`);

  if (needsInstall(workspace)) {
    progress("Installing the lab's dependencies (npm ci), once per workspace");
    await installDependencies(workspace, { nodePath: node.path, onLine: (l) => progress(`npm: ${l}`), signal: options.signal });
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

  const supervisorOptions: SupervisorOptions = {
    workspace: paths.workspace,
    nodePath: node.path,
    restateServer,
    existingRestate: options.existingRestate,
    ownerPid: options.ownerPid,
    ports: { ...DEFAULT_PORTS, ...options.ports },
  };
  progress("Starting Restate, the payment gateway and the payment service");
  const child = spawn(process.execPath, [supervisorScript(), paths.workspace], {
    cwd: paths.workspace,
    detached: true,
    stdio: "ignore",
    // ELECTRON_RUN_AS_NODE: inside VS Code desktop, execPath is Electron; this makes it a plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: "1", [SUPERVISOR_OPTIONS_ENV]: JSON.stringify(supervisorOptions) },
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.unref();

  const onAbort = () => void down(workspace);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const result = await Promise.race([waitForReady(workspace, child.pid!, options), exited.then((code) => supervisorExited(workspace, code))]);
    return { ...result, adopted: false };
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
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

async function waitForReady(workspace: string, supervisorPid: number, options: UpOptions): Promise<Omit<RunningStack, "adopted">> {
  const paths = workspacePaths(workspace);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastDetail = "";
  for (;;) {
    if (options.signal?.aborted) throw new LabError("Start cancelled", "Start the lab again when you are ready.", "start-failed");
    const found = readState(paths.state);
    const state = found?.supervisor.pid === supervisorPid ? found : null;
    if (state?.phase === "ready" && state.urls) return toRunning(state);
    if (state?.phase === "failed") throw startFailed(workspace, state.error ?? "unknown error");
    if (state && state.detail !== lastDetail) {
      lastDetail = state.detail;
      options.onProgress?.(capitalize(state.detail));
    }
    if (Date.now() > deadline) throw startFailed(workspace, `not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(25); // a state file read: cheap, and time to ready is measured (npm run bench)
  }
}

export async function down(workspace: string, options: { onProgress?: (message: string) => void } = {}): Promise<{ stopped: number[] }> {
  const paths = workspacePaths(workspace);
  const state = readState(paths.state);
  const stopped: number[] = [];
  if (state && isOurs(state.supervisor)) {
    options.onProgress?.("Stopping the lab");
    stopped.push(state.supervisor.pid);
    await terminate([state.supervisor], 30_000);
  }
  // Whatever is still there was left by a supervisor that was killed (or the one above).
  const leftovers = processRecords(readState(paths.state) ?? state).filter(isOurs);
  if (leftovers.length > 0) {
    options.onProgress?.(`Stopping ${leftovers.length} process(es) left behind`);
    stopped.push(...leftovers.map((p) => p.pid));
    await terminate(leftovers);
  }
  removeState(paths.state);
  rmSync(paths.lock, { force: true });
  return { stopped };
}

export async function status(workspace: string): Promise<StackStatus> {
  const paths = workspacePaths(workspace);
  const state = readState(paths.state);
  if (!state) return { state: "stopped", workspace, leftovers: [] };
  if (!isOurs(state.supervisor)) {
    const leftovers = processRecords(state).filter(isOurs).map((p) => p.pid);
    if (state.phase === "failed") return { state: "failed", workspace, error: state.error ?? "unknown error" };
    return { state: "stopped", workspace, leftovers };
  }
  if (state.phase === "ready" && state.urls) {
    const healthy = (await isHealthy(`${state.urls.admin}/health`)) && (await isHealthy(`${state.urls.gateway}/health`));
    return { state: "ready", healthy, ...toRunning(state), adopted: true };
  }
  if (state.phase === "failed") return { state: "failed", workspace, error: state.error ?? "unknown error" };
  return { state: state.phase === "stopping" ? "stopping" : "starting", workspace, detail: state.detail };
}

function toRunning(state: StackState): Omit<RunningStack, "adopted"> {
  return {
    workspace: state.workspace,
    urls: state.urls!,
    pids: {
      supervisor: state.supervisor.pid,
      restate: state.processes.restate?.pid,
      gateway: state.processes.gateway?.pid,
      service: state.processes.service?.pid,
    },
    deploymentId: state.deploymentId,
    serviceRestarts: state.serviceRestarts,
  };
}

function processRecords(state: StackState | null): ProcessRecord[] {
  return Object.values(state?.processes ?? {}).filter((p): p is ProcessRecord => p !== undefined);
}

async function waitForExit(record: ProcessRecord): Promise<void> {
  while (isOurs(record)) await sleep(100);
}

export function workspaceRestateServer(workspace: string): string {
  const require = createRequire(join(workspace, "package.json"));
  const binary = `@restatedev/restate-server-${process.platform}-${process.arch}/bin/restate-server`;
  try {
    return require.resolve(binary);
  } catch {
    return join(workspace, "node_modules", binary);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Kills the lab's service with SIGKILL (a crash) and resolves once the supervisor has it back up. */
export async function crashService(workspace: string): Promise<void> {
  const paths = workspacePaths(workspace);
  const state = readState(paths.state);
  const service = state?.processes.service;
  if (!state || !service || !isOurs(service) || !state.urls) {
    throw new LabError("The lab's service is not running", `Start the lab: idempotency-lab up ${workspace}`, "not-running");
  }
  process.kill(service.pid, "SIGKILL");
  const port = Number(new URL(state.urls.service).port);
  for (let i = 0; i < 300; i++) {
    const now = readState(paths.state);
    if (now && now.serviceRestarts > state.serviceRestarts && (await isListening(port))) return;
    await sleep(100);
  }
  throw new Error("the service did not come back within 30 s after the crash; see the log");
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

/** The running lab as the replay engine sees it. */
export async function localTarget(workspace: string, restateHeaders?: Record<string, string>): Promise<LabTarget> {
  const current = await status(workspace);
  if (current.state !== "ready") {
    throw new LabError(
      `The lab in ${workspace} is not running (${current.state})`,
      `Start it first: idempotency-lab up ${workspace} --detach`,
      "not-running",
    );
  }
  return { ...current.urls, restateHeaders, crashService: () => crashService(workspace) };
}
