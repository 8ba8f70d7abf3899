// The supervisor: one detached process per running lab. It owns the Restate server, the
// gateway and the service, writes the state file, restarts the service when it dies, and
// stops everything on SIGTERM. Detached so that `up --detach`, the CLI and the extension
// can all come and go while the lab keeps running.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, rmSync, type WriteStream } from "node:fs";
import { createFileAtomic } from "./atomic-file.js";
import { checkLabDir, isLink, openLabFileForAppend, readLabFile } from "./lab-files.js";
import { childEnvironment, type RestateCredential } from "./origins.js";
import { workspacePaths, type WorkspacePaths } from "./paths.js";
import { choosePorts, isListening, LOOPBACK } from "./ports.js";
import { findLabProcesses, isAlive, isOurs, isRunToken, RUN_TOKEN_ENV, sleep, terminate } from "./processes.js";
import { isHealthy, registerDeployment } from "./restate-admin.js";
import { identitiesOf, identityOf, readState, removeState, writeState, type StackState } from "./state.js";

export interface SupervisorOptions {
  /** The workspace's real path. */
  workspace: string;
  /** The random token of this start; the supervisor and its children carry it in RUN_TOKEN_ENV. */
  runToken: string;
  nodePath: string;
  /** The restate-server binary; unused when `existingRestate` is set. */
  restateServer: string;
  /** Use a Restate that runs elsewhere (a cluster, the cloud): register and replay there, start none. */
  existingRestate?: ExistingRestate;
  /**
   * A process whose death stops the lab (the VS Code extension host that started it), so a
   * window that closes or crashes leaves nothing running. Absent for `up --detach`.
   */
  ownerPid?: number;
  /** Preferred ports; 0 or a taken port means any free one. */
  ports: { ingress: number; admin: number; node: number; gateway: number; service: number };
}

export interface ExistingRestate {
  ingress: string;
  admin: string;
  /** A token for it, sent only to the origins it was entered for; never put in a child's environment. */
  credential?: RestateCredential;
}

export const EXIT_ALREADY_RUNNING = 3;

const STARTUP_TIMEOUT_MS = 90_000;
type Role = "restate" | "gateway" | "service";

export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  const paths = workspacePaths(options.workspace);
  if (!isRunToken(options.runToken) || process.env[RUN_TOKEN_ENV] !== options.runToken) {
    throw new Error(`the supervisor needs its run token in ${RUN_TOKEN_ENV}, as the lab starts it`);
  }
  checkLabDir(paths.workspace, paths.lab, true);
  if (!acquireLock(paths, options.runToken)) return EXIT_ALREADY_RUNNING;

  const log = createWriteStream("", { fd: openLabFileForAppend(paths.log) });
  const say = (line: string) => log.write(`[lab] ${line}\n`);
  const children = new Map<Role, ChildProcess>();
  let stopping = false;
  const state: StackState = {
    version: 2,
    phase: "starting",
    detail: "cleaning up leftovers",
    runToken: options.runToken,
    pids: { supervisor: process.pid },
    serviceRestarts: 0,
    updatedAt: "",
  };
  const save = (patch: Partial<StackState>) => {
    Object.assign(state, patch);
    writeState(paths, state);
  };
  const ownChildren = () => identitiesOf(paths, state, ["restate", "gateway", "service"]);

  const stop = async (exitCode: number, error?: string) => {
    if (stopping) return;
    stopping = true;
    save({ phase: error ? "failed" : "stopping", detail: "stopping", ...(error ? { error } : {}) });
    say(error ? `stopping after an error: ${error}` : "stopping");
    await terminate(ownChildren());
    say("stopped");
    // A failed start keeps its state file, so the caller can read the error; a clean stop leaves none.
    if (!error) removeState(paths.state);
    rmSync(paths.lock, { force: true });
    log.end(() => process.exit(exitCode));
  };
  if (options.ownerPid !== undefined) {
    const owner = options.ownerPid;
    setInterval(() => {
      if (!isAlive(owner)) {
        say(`the process that started the lab (pid ${owner}) is gone`);
        void stop(0);
      }
    }, 500).unref();
  }
  process.on("SIGTERM", () => void stop(0));
  process.on("SIGINT", () => void stop(0));
  process.on("SIGHUP", () => void stop(0));

  try {
    const previous = readState(paths.state); // read before the first save replaces it
    save({});
    await cleanUpLeftovers(paths, previous, say);
    // The gateway appends to the ledger: never through a link someone left in its place.
    if (isLink(paths.ledger)) throw new Error(`${paths.ledger} is a symbolic link; delete it (the lab will not write through it)`);

    save({ detail: "choosing ports" });
    let ports = await choosePorts(options.ports);
    const existing = options.existingRestate;
    const credential = existing?.credential;
    const urlsOf = () => ({
      ingress: existing ? trimSlash(existing.ingress) : `http://${LOOPBACK}:${ports.ingress}`,
      admin: existing ? trimSlash(existing.admin) : `http://${LOOPBACK}:${ports.admin}`,
      gateway: `http://${LOOPBACK}:${ports.gateway}`,
      service: `http://${LOOPBACK}:${ports.service}`,
    });
    let urls = urlsOf();
    save({ urls });

    const commandFor = (role: Role): { command: string; args: string[]; env: Record<string, string> } => {
      switch (role) {
        case "restate":
          return {
            command: options.restateServer,
            args: ["--base-dir", paths.restateData, "--node-name", "lab", "--no-logo"],
            env: {
              RESTATE_LISTEN_MODE: "tcp",
              RESTATE_BIND_IP: LOOPBACK,
              RESTATE_BIND_PORT: String(ports.node),
              RESTATE_INGRESS__BIND_ADDRESS: `${LOOPBACK}:${ports.ingress}`,
              RESTATE_ADMIN__BIND_ADDRESS: `${LOOPBACK}:${ports.admin}`,
              RESTATE_LOG_FORMAT: "compact",
              RESTATE_LOG_DISABLE_ANSI_CODES: "true",
              RESTATE_WORKER__CLEANUP_INTERVAL: "5s", // the retention lessons wait for the cleaner of expired keys (default: hourly)
            },
          };
        case "gateway":
          return {
            command: options.nodePath,
            args: ["--import", "tsx", paths.gatewayScript],
            env: { GATEWAY_PORT: String(ports.gateway), LEDGER_FILE: paths.ledger },
          };
        case "service":
          return {
            command: options.nodePath,
            args: ["--import", "tsx", paths.serviceScript],
            env: { SERVICE_PORT: String(ports.service), GATEWAY_URL: urls.gateway },
          };
      }
    };

    // Set when a child loses a race for its port to another program during start-up.
    let portRaceLost = false;
    const start = (role: Role) => {
      const { command, args, env } = commandFor(role);
      const child = spawn(command, args, {
        cwd: paths.workspace,
        env: childEnvironment({ ...env, ELECTRON_RUN_AS_NODE: undefined, NO_COLOR: "1" }),
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.set(role, child);
      const recent = pipeLines(child, role, log);
      child.on("error", (err) => say(`${role} could not start: ${err.message}`));
      if (child.pid !== undefined) {
        save({ pids: { ...state.pids, [role]: child.pid } });
      }
      child.on("exit", (code, signal) => {
        if (stopping || children.get(role) !== child) return;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        if (role === "service" && state.phase === "ready") {
          void restartService(how);
          return;
        }
        if (role === "gateway" && state.phase === "ready") {
          say(`gateway exited (${how}); starting it again`);
          start("gateway");
          return;
        }
        if (state.phase !== "ready" && /EADDRINUSE|address already in use|address in use/i.test(recent.join("\n"))) {
          portRaceLost = true;
          return;
        }
        const last = recent.at(-1);
        void stop(1, `${role} exited (${how}) ${state.phase === "ready" ? "while the lab was running" : "during start-up"}${last ? `: ${last}` : ""}`);
      });
      return child;
    };

    let recentRestarts: number[] = [];
    const restartService = async (how: string) => {
      // Back off when it keeps crashing (a syntax error, say), instead of spinning.
      const now = Date.now();
      recentRestarts = recentRestarts.filter((t) => now - t < 30_000);
      const delay = Math.min(200 * 2 ** recentRestarts.length, 5000);
      recentRestarts.push(now);
      say(`service exited (${how}); starting it again in ${delay} ms`);
      await sleep(delay);
      if (stopping) return;
      save({ serviceRestarts: state.serviceRestarts + 1 });
      start("service");
    };

    for (let attempt = 1; ; attempt++) {
      save({ detail: "starting restate-server, gateway and service" });
      say(`starting in ${paths.workspace}`);
      portRaceLost = false;
      if (!existing) start("restate");
      start("gateway");
      start("service");

      save({ detail: "waiting for Restate, the gateway and the service to be healthy" });
      const healthy = await waitUntil(async () => {
        if (stopping) throw new Error("stopped during start-up");
        if (portRaceLost) return "port-race";
        return (
          (await isHealthy(`${urls.admin}/health`, { credential })) &&
          (await isHealthy(`${urls.ingress}/restate/health`, { credential })) &&
          (await isHealthy(`${urls.gateway}/health`)) &&
          (await isListening(ports.service))
        );
      }, STARTUP_TIMEOUT_MS);
      if (healthy !== "port-race") break;
      if (attempt === 3) throw new Error("another program kept taking the lab's ports during start-up");
      // Another program took a port between choosing it and binding it: start again on fresh ones.
      say("a port was taken by another program during start-up; starting again on free ports");
      children.clear(); // first, so the exits below are not taken for crashes
      await terminate(ownChildren());
      ports = await choosePorts({ ingress: 0, admin: 0, node: 0, gateway: 0, service: 0 });
      urls = urlsOf();
      save({ urls, pids: { supervisor: process.pid } });
    }

    save({ phase: "registering", detail: "registering the service with Restate" });
    const deploymentId = await registerDeployment(urls.admin, urls.service, { credential });
    save({ phase: "ready", detail: "ready", deploymentId });
    say(`ready: ingress ${urls.ingress}, admin ${urls.admin}, gateway ${urls.gateway}, service ${urls.service}`);
    return await new Promise<number>(() => {
      // Runs until a signal stops it.
    });
  } catch (err) {
    await stop(1, (err as Error).message);
    return 1;
  }
}

/** One supervisor per workspace: an exclusive lock file holding its pid and run token. */
function acquireLock(paths: WorkspacePaths, runToken: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createFileAtomic(paths.lock, `${process.pid} ${runToken}`)) return true;
    const [pid, token] = readLockSafe(paths.lock).split(" ");
    if (isOurs(identityOf(paths, "supervisor", Number(pid), token ?? ""))) return false;
    rmSync(paths.lock, { force: true }); // a supervisor that was killed left it
  }
  return false;
}

/** Processes a killed supervisor left behind; never two Restate servers on one data folder. */
async function cleanUpLeftovers(paths: WorkspacePaths, previous: StackState | null, say: (line: string) => void): Promise<void> {
  const recorded = previous ? identitiesOf(paths, previous, ["restate", "gateway", "service"]).filter(isOurs) : [];
  const strays = findLabProcesses(["restate-server", paths.restateData]);
  const all = [...recorded, ...strays.filter((s) => !recorded.some((r) => r.pid === s.pid))];
  if (all.length > 0) {
    say(`stopping ${all.length} process(es) left by an earlier run: ${all.map((p) => p.pid).join(", ")}`);
    await terminate(all);
  }
}

/** Copies a child's output to the log, prefixed; returns its last few lines, kept up to date. */
function pipeLines(child: ChildProcess, role: Role, log: WriteStream): string[] {
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim() || isNoise(line)) continue;
        log.write(`[${role}] ${line}\n`);
        recent.push(line.trim());
        if (recent.length > 5) recent.shift();
      }
    });
  }
  return recent;
}

/** Offline, Restate reports a failed release check as an ERROR; it is not the learner's problem. */
function isNoise(line: string): boolean {
  return line.includes("octocrab") || line.includes("release check");
}

/** Polls until `check` answers something other than false, and returns that. */
async function waitUntil<T>(check: () => Promise<T | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== false) return result;
    if (Date.now() > deadline) throw new Error(`the lab was not healthy within ${timeoutMs / 1000} s`);
    await sleep(25);
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function readLockSafe(file: string): string {
  try {
    return readLabFile(file) ?? "";
  } catch {
    return "";
  }
}
