// The supervisor: one detached process per running lab. It owns the Restate server and the
// service (child processes) and runs the gateway in its own process, writes the state file,
// restarts the service when it dies, and stops everything on SIGTERM. Detached so that `up --detach`, the CLI and the extension
// can all come and go while the lab keeps running.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, rmSync, type WriteStream } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { format } from "node:util";
import { compileLab, type Compiled } from "./compile.js";
import { checkLabDir, isLink, openLabFileForAppend } from "./lab-files.js";
import { childEnvironment, type ExistingRestate } from "./origins.js";
import { workspacePaths, type WorkspacePaths } from "./paths.js";
import { poll, sleep } from "./poll.js";
import { choosePorts, isListening, LOOPBACK } from "./ports.js";
import { acquireLock, cleanUpLeftovers, startsOf } from "./leftovers.js";
import { isAlive, isRunToken, RUN_TOKEN_ENV, terminate, type ProcessIdentity } from "./processes.js";
import { isHealthyPlain, isRestateHealthyPlain, registerDeploymentPlain } from "./plain-http.js";
import { guardRestate } from "./restate-guard.js";
import { restateServerLaunch, restateSockets, restateUrls, type RestateServerLaunch } from "./restate-server.js";
import { identitiesOf, readState, removeState, writeState, MAX_STEPS, type StackState, type StackUrls, type StartupMark } from "./state.js";

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

export const EXIT_ALREADY_RUNNING = 3;

const STARTUP_TIMEOUT_MS = 90_000;
const ANY_PORTS = { ingress: 0, admin: 0, node: 0, gateway: 0, service: 0 };
type Ports = SupervisorOptions["ports"];
type Role = "restate" | "gateway" | "service";
const ROLES: Role[] = ["restate", "gateway", "service"];
const RESTATE_NODE = "lab";
/**
 * glibc's allocator settings for the lab's Node.js processes: fewer per-thread arenas, and freed
 * memory handed back sooner. An idle service holds about 4 MB less (77 -> 73 MB RSS here).
 * Not for restate-server (taken out of its environment): the bench compares it with a bare one.
 */
export const LEAN_MALLOC = { MALLOC_ARENA_MAX: "2", MALLOC_TRIM_THRESHOLD_: "65536" };

/** Runs the lab until a signal stops it; resolves with an exit code only when it cannot start. */
export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  const paths = workspacePaths(options.workspace);
  if (!isRunToken(options.runToken) || process.env[RUN_TOKEN_ENV] !== options.runToken) {
    throw new Error(`the supervisor needs its run token in ${RUN_TOKEN_ENV}, as the lab starts it`);
  }
  checkLabDir(paths.workspace, paths.lab, true);
  if (!acquireLock(paths, options.runToken)) return EXIT_ALREADY_RUNNING;
  return new Supervisor(options, paths).run();
}

class Supervisor {
  private readonly log: WriteStream;
  private readonly state: StackState;
  private readonly children = new Map<Role, ChildProcess>();
  private ports: Ports;
  private stopping = false;
  /** Set when a child loses a race for its port to another program during start-up. */
  private portRaceLost = false;
  /** When the service last died by itself, for the back-off. */
  private recentRestarts: number[] = [];
  /** When restate-server last died by itself: a server that keeps dying stops the lab. */
  private recentRestateRestarts: number[] = [];
  /** The gateway and service compiled to JavaScript for this start; null: tsx runs the sources. */
  private compiled: Compiled | null = null;
  private readonly startupMs: Partial<Record<StartupMark, number>> = {};
  /** The lab's doors to restate-server's sockets, on the ingress and admin ports (restate-guard.ts). */
  private guards: { close(): Promise<void> } | null = null;
  /** The gateway's server, when the gateway runs in this process (startGatewayHere). */
  private gatewayHere: Server | null = null;
  /** The service process that said it listens on the service's port (the compiled service reports it; see compile.ts). */
  private serviceBound: ChildProcess | null = null;

  constructor(
    private readonly options: SupervisorOptions,
    private readonly paths: WorkspacePaths,
  ) {
    this.log = createWriteStream("", { fd: openLabFileForAppend(paths.log) });
    this.state = {
      version: 2,
      phase: "starting",
      detail: "cleaning up what an earlier run left",
      steps: ["cleaning up what an earlier run left"],
      runToken: options.runToken,
      pids: { supervisor: process.pid },
      ...startsOf({}, "supervisor", process.pid),
      serviceRestarts: 0,
      updatedAt: "",
    };
    this.ports = options.ports;
  }

  async run(): Promise<number> {
    this.stopOnSignalsAndOwner();
    // Node's default would end this process and leave restate-server and the service running:
    // a failure here (the gateway's code runs here too) stops the lab, children first, and says why.
    process.on("uncaughtException", (err) => {
      this.say(`uncaught error: ${err.stack ?? err.message}`);
      void this.stop(1, `the lab's supervisor failed (${err.message}); see the log`);
    });
    try {
      await this.prepare();
      await this.startChildren();
      await this.register();
      return await new Promise<number>(() => {
        // Runs until a signal stops it.
      });
    } catch (err) {
      await this.stop(1, (err as Error).message);
      return 1;
    }
  }

  /** SIGTERM, SIGINT, SIGHUP and the death of the process that started the lab all stop it. */
  private stopOnSignalsAndOwner(): void {
    const owner = this.options.ownerPid;
    if (owner !== undefined) {
      setInterval(() => {
        if (isAlive(owner)) return;
        this.say(`the process that started the lab (pid ${owner}) is gone`);
        void this.stop(0);
      }, 500).unref();
    }
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => void this.stop(0));
  }

  private async prepare(): Promise<void> {
    const previous = readState(this.paths.state); // read before the first save replaces it
    this.save({});
    await cleanUpLeftovers(this.paths, previous, (line) => this.say(line));
    // The gateway appends to the ledger: never through a link someone left in its place.
    if (isLink(this.paths.ledger)) throw new Error(`${this.paths.ledger} is a symbolic link; delete it (the lab will not write through it)`);
    this.save({ detail: "choosing ports" });
    this.ports = await choosePorts(this.options.ports);
    this.mark("portsChosen");
    this.save({ urls: this.urls });
  }

  /** Starts every child and waits until all are healthy; again on fresh ports when another program took one. */
  private async startChildren(): Promise<void> {
    // restate-server takes the longest to answer: it starts first, while the learner's code compiles.
    let compiling: Promise<Compiled | null> | null = null;
    for (let attempt = 1; ; attempt++) {
      this.save({ detail: "starting Restate, the gateway and the service" });
      this.say(`starting in ${this.paths.workspace}`);
      this.portRaceLost = false;
      if (!this.options.existingRestate) {
        this.start("restate");
        await this.openGuards();
      }
      compiling ??= this.compile();
      this.compiled = await compiling;
      this.mark("compiled");
      this.start("gateway");
      this.start("service");

      this.save({ detail: "waiting for Restate, the gateway and the service to answer" });
      if ((await this.waitUntilHealthy()) === "healthy") return;
      if (attempt === 3) throw new Error("another program kept taking the lab's ports during start-up");
      // Another program took a port between choosing it and binding it: start again on fresh ones.
      this.say("a port was taken by another program during start-up; starting again on free ports");
      this.children.clear(); // first, so the exits below are not taken for crashes
      await terminate(this.ownChildren());
      await this.guards?.close();
      await this.closeGatewayHere();
      this.ports = await choosePorts(ANY_PORTS);
      for (const mark of ["restateHealthy", "gatewayHealthy", "serviceListening"] as const) delete this.startupMs[mark];
      this.save({ urls: this.urls, pids: { supervisor: process.pid }, ...startsOf({}, "supervisor", process.pid) });
    }
  }

  private async openGuards(): Promise<void> {
    const guards = await guardRestate(this.ports, restateSockets(this.paths.restateData, RESTATE_NODE));
    if (guards === "port-taken") this.portRaceLost = true;
    else this.guards = guards;
  }

  private waitUntilHealthy(): Promise<"healthy" | "port-race"> {
    const credential = this.options.existingRestate?.credential;
    const check = async () => {
      if (this.stopping) throw new Error("stopped during start-up");
      if (this.portRaceLost) return "port-race";
      const urls = this.urls;
      // A port that answers may be another program's (another lab starting at the same moment, on
      // the same default ports): the gateway and the service count only once they are ours.
      const gatewayOurs = this.gatewayHere ? this.gatewayHere.listening : true;
      const serviceOurs = this.compiled ? this.serviceBound !== null && this.serviceBound === this.children.get("service") : true;
      const [restate, gateway, service] = await Promise.all([
        isRestateHealthyPlain(urls, credential),
        gatewayOurs && isHealthyPlain(`${urls.gateway}/health`),
        serviceOurs && isListening(this.ports.service),
      ]);
      if (restate) this.mark("restateHealthy", { first: true });
      if (gateway) this.mark("gatewayHealthy", { first: true });
      if (service) this.mark("serviceListening", { first: true });
      return restate && gateway && service && "healthy";
    };
    return poll(check, {
      what: "Restate, the gateway and the service to be healthy",
      everyMs: 10,
      timeoutMs: STARTUP_TIMEOUT_MS,
      onTimeout: () => {
        throw new Error(`the lab was not healthy within ${STARTUP_TIMEOUT_MS / 1000} s`);
      },
    });
  }

  private async register(): Promise<void> {
    const urls = this.urls;
    this.save({ phase: "registering", detail: "registering the service" });
    const deploymentId = await registerDeploymentPlain(urls.admin, urls.service, this.options.existingRestate?.credential);
    this.mark("registered");
    this.save({ phase: "ready", detail: "ready", deploymentId, startupMs: { ...this.startupMs } });
    this.say(`ready: ingress ${urls.ingress}, admin ${urls.admin}, gateway ${urls.gateway}, service ${urls.service}`);
    const marks = Object.entries(this.startupMs).map(([mark, ms]) => `${mark} ${ms} ms`);
    this.say(`start-up, in ms since the supervisor began: ${marks.join(", ")}`);
  }

  /** Notes when a moment of the start came (a port race starts again: its marks are taken again). */
  private mark(what: StartupMark, options: { first?: boolean } = {}): void {
    if (options.first && this.startupMs[what] !== undefined) return;
    this.startupMs[what] = Math.round(performance.now());
  }

  private start(role: Role): void {
    const here = role === "gateway" ? this.compiled?.gatewayModule : null;
    if (here) return this.startGatewayHere(here);
    const { command, args, env } = this.launchOf(role);
    const child = spawn(command, args, {
      cwd: this.paths.workspace,
      env: childEnvironment({
        ...env,
        ...(role === "restate" ? { MALLOC_ARENA_MAX: undefined, MALLOC_TRIM_THRESHOLD_: undefined } : LEAN_MALLOC),
        ELECTRON_RUN_AS_NODE: undefined,
        NO_COLOR: "1",
      }),
      // The compiled service reports the port it listens on through the IPC channel.
      stdio: role === "service" && this.compiled ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
    });
    this.children.set(role, child);
    if (role === "service") {
      child.on("message", (message: unknown) => {
        if (typeof message === "object" && message !== null && (message as { labListening?: unknown }).labListening === this.ports.service)
          this.serviceBound = child;
      });
    }
    const recent = pipeLines(child, role, this.log);
    child.on("error", (err) => this.say(`${role} could not start: ${err.message}`));
    if (child.pid !== undefined) this.save({ pids: { ...this.state.pids, [role]: child.pid }, ...startsOf(this.state.starts, role, child.pid) });
    child.on("exit", (code, signal) => {
      if (this.stopping || this.children.get(role) !== child) return;
      this.exited(role, signal ? `signal ${signal}` : `code ${code}`, recent);
    });
  }

  /**
   * Runs the compiled gateway in this process rather than in one of its own: every Node.js
   * process costs ~45 MB before any code (the bench's idle-memory figure prints the floor), and
   * the gateway needs only to live apart from the service, whose crash must not take the ledger
   * with it. Its console lines go to the lab's log, as a child's output would. Without a compiled
   * CommonJS gateway (no esbuild, or sources with a top-level await) it runs as a child, as before.
   */
  private startGatewayHere(module: string): void {
    const line = (text: string) => {
      for (const part of text.split("\n")) if (part.trim()) this.log.write(`[gateway] ${part}\n`);
    };
    console.log = console.info = console.warn = console.error = (...args: unknown[]) => line(format(...args));
    const { startGateway } = createRequire(module)(module) as { startGateway(options: { port: number; ledgerFile: string }): { server: Server } };
    let server: Server;
    try {
      server = startGateway({ port: this.ports.gateway, ledgerFile: this.paths.ledger }).server;
    } catch (err) {
      throw new Error(`payment gateway could not start: ${(err as Error).message}`, { cause: err });
    }
    this.gatewayHere = server;
    server.on("listening", () => line(`payment gateway listening on ${this.urls.gateway} (ledger ${this.paths.ledger}), in the supervisor's process`));
    server.on("error", (err: NodeJS.ErrnoException) => {
      if (this.state.phase !== "ready" && err.code === "EADDRINUSE") this.portRaceLost = true;
      else void this.stop(1, `payment gateway could not listen on ${this.urls.gateway}: ${err.message}`);
    });
  }

  private closeGatewayHere(): Promise<void> {
    const server = this.gatewayHere;
    this.gatewayHere = null;
    if (!server) return Promise.resolve();
    server.closeAllConnections(); // a hung-up charge must not hold the stop
    return new Promise((done) => server.close(() => done()));
  }

  /** A child that exited by itself: once the lab is ready the service and the gateway come back; anything else stops the lab. */
  private exited(role: Role, how: string, recent: string[]): void {
    const ready = this.state.phase === "ready";
    if (role === "service" && ready) {
      void this.restartService(how);
    } else if (role === "restate" && ready) {
      // Its data folder holds every journal and stored answer: started again, it picks them up.
      void this.restartRestate(how);
    } else if (role === "gateway" && ready) {
      this.say(`gateway exited (${how}); starting it again`);
      this.start("gateway");
    } else if (!ready && /EADDRINUSE|address already in use|address in use/i.test(recent.join("\n"))) {
      this.portRaceLost = true;
    } else {
      const last = recent.at(-1);
      void this.stop(1, `${role} exited (${how}) ${ready ? "while the lab was running" : "during start-up"}${last ? `: ${last}` : ""}`);
    }
  }

  private async restartService(how: string): Promise<void> {
    // Back off when it keeps crashing (a syntax error, say), instead of spinning.
    const now = Date.now();
    this.recentRestarts = this.recentRestarts.filter((t) => now - t < 30_000);
    const delay = Math.min(200 * 2 ** this.recentRestarts.length, 5000);
    this.recentRestarts.push(now);
    this.say(`service exited (${how}); starting it again in ${delay} ms`);
    await sleep(delay);
    if (this.stopping) return;
    try {
      this.compiled = await this.compile(); // the learner may have edited it meanwhile
    } catch (err) {
      this.say(`${(err as Error).message}; trying again`);
      void this.restartService("its code did not compile");
      return;
    }
    // The new pid first: a reader that sees the count go up sees the new service's pid with it.
    this.start("service");
    this.save({ serviceRestarts: this.state.serviceRestarts + 1 });
  }

  private async restartRestate(how: string): Promise<void> {
    const now = Date.now();
    this.recentRestateRestarts = this.recentRestateRestarts.filter((t) => now - t < 60_000);
    if (this.recentRestateRestarts.length >= 3) {
      void this.stop(1, `restate-server exited (${how}) three times within a minute, without answering in between; see the log`);
      return;
    }
    this.recentRestateRestarts.push(now);
    this.say(`restate-server exited (${how}); starting it again on the same ports and data`);
    this.start("restate");
    void this.endRestartStreakOnceHealthy();
  }

  /**
   * The limit above is for a restate-server that cannot come up (its data, its port): a restart
   * that answers again ends the streak. A chaos run kills restate-server on purpose once per run,
   * and a shrink runs those back to back: counted as crashes, the third within a minute stopped the lab.
   */
  private async endRestartStreakOnceHealthy(): Promise<void> {
    const credential = this.options.existingRestate?.credential;
    const healthy = await poll(async () => this.stopping || (await isRestateHealthyPlain(this.urls, credential)), {
      what: "the restarted restate-server to answer",
      everyMs: 200,
      timeoutMs: 60_000,
      onTimeout: () => false,
    });
    if (healthy && !this.stopping) this.recentRestateRestarts = [];
  }

  private async compile(): Promise<Compiled | null> {
    try {
      const compiled = await compileLab(this.paths);
      if (!compiled) this.say("no esbuild in the lab's packages: tsx runs the gateway and the service");
      return compiled;
    } catch (err) {
      throw new Error(`the lab's code does not compile: ${(err as Error).message.split("\n").slice(0, 4).join(" ")}`, { cause: err });
    }
  }

  private launchOf(role: Role): RestateServerLaunch {
    const { options, paths, ports } = this;
    switch (role) {
      case "restate": {
        const launch = restateServerLaunch({ binary: options.restateServer, baseDir: paths.restateData, nodeName: RESTATE_NODE, ports, listen: "unix" });
        // The retention lessons wait for Restate's cleaner of expired keys: every 5 s here (hourly by default).
        return { ...launch, env: { ...launch.env, RESTATE_WORKER__CLEANUP_INTERVAL: "5s" } };
      }
      // The source's path stays in the command line after the compiled file: it is how the lab
      // proves the process is this lab's (state.ts identityOf), and how a learner reads `ps`.
      case "gateway":
        return {
          command: options.nodePath,
          args: this.compiled ? [this.compiled.gateway, paths.gatewayScript] : ["--import", "tsx", paths.gatewayScript],
          env: { GATEWAY_PORT: String(ports.gateway), LEDGER_FILE: paths.ledger },
        };
      case "service":
        return {
          command: options.nodePath,
          args: this.compiled ? [this.compiled.service, paths.serviceScript] : ["--import", "tsx", paths.serviceScript],
          env: { SERVICE_PORT: String(ports.service), GATEWAY_URL: this.urls.gateway },
        };
    }
  }

  private async stop(exitCode: number, error?: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.save({ phase: error ? "failed" : "stopping", detail: "stopping", ...(error ? { error } : {}) });
    this.say(error ? `stopping after an error: ${error}` : "stopping");
    await terminate(this.ownChildren());
    await this.guards?.close();
    await this.closeGatewayHere();
    this.say("stopped");
    // A failed start keeps its state file, so the caller can read the error; a clean stop leaves none.
    if (!error) removeState(this.paths.state);
    rmSync(this.paths.lock, { force: true });
    this.log.end(() => process.exit(exitCode));
  }

  /** Where the lab listens: the ports chosen now, or the existing Restate's URLs. */
  private get urls(): StackUrls {
    const existing = this.options.existingRestate;
    const local = restateUrls(this.ports);
    return {
      ingress: existing ? trimSlash(existing.ingress) : local.ingress,
      admin: existing ? trimSlash(existing.admin) : local.admin,
      gateway: `http://${LOOPBACK}:${this.ports.gateway}`,
      service: `http://${LOOPBACK}:${this.ports.service}`,
    };
  }

  private ownChildren(): ProcessIdentity[] {
    return identitiesOf(this.paths, this.state, ROLES);
  }

  private save(patch: Partial<StackState>): void {
    const steps = this.state.steps ?? [];
    if (patch.detail !== undefined && patch.detail !== steps.at(-1) && steps.length < MAX_STEPS) {
      patch = { ...patch, steps: [...steps, patch.detail] };
    }
    Object.assign(this.state, patch);
    writeState(this.paths, this.state);
  }

  private say(line: string): void {
    this.log.write(`[lab] ${line}\n`);
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

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
