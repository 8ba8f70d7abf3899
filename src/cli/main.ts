// idempotency-lab: the lab engine from a terminal.
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { describeError, LabError } from "../lab/errors.js";
import { isOurs, sleep } from "../lab/processes.js";
import { workspacePaths } from "../lab/paths.js";
import { scaffold } from "../lab/scaffold.js";
import { down, status, up, type RunningStack, type UpOptions } from "../lab/stack.js";
import { readState } from "../lab/state.js";

const USAGE = `Usage: idempotency-lab <command> [options]

Commands:
  scaffold <dir>                 Create a lab workspace in <dir> (never overwrites a file)
  up <dir> [--detach] [--json]   Start Restate, the gateway and the service; Ctrl-C stops them
  down <dir>                     Stop the lab (also what a killed run left behind)
  status <dir> [--json]          Is the lab running, and where

Options for up:
  --node <path>                  Node.js 22+ for the service (default: this one, then PATH)
  --restate-server <path>        restate-server binary (default: the workspace's npm package)
  --ingress-port, --admin-port, --gateway-port, --service-port <n>
                                 Preferred ports (0 = any free port; a taken port falls back to a free one)
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "scaffold":
      return scaffoldCommand(rest);
    case "up":
      return upCommand(rest);
    case "down":
      return downCommand(rest);
    case "status":
      return statusCommand(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

function parse(args: string[], options: NonNullable<Parameters<typeof parseArgs>[0]>["options"] = {}) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function oneDir(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes one folder, got ${positionals.length}`);
  return resolve(positionals[0]!);
}

const progress = (message: string) => process.stderr.write(`› ${message}\n`);

function scaffoldCommand(args: string[]): number {
  const { positionals } = parse(args);
  const result = scaffold(oneDir(positionals, "scaffold"));
  console.log(`Scaffolded ${result.workspace}: ${result.created.length} file(s) created, ${result.kept.length} kept`);
  for (const file of result.kept) console.log(`  kept    ${file}`);
  console.log(`Next: idempotency-lab up ${result.workspace}`);
  return 0;
}

async function upCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    detach: { type: "boolean" },
    json: { type: "boolean" },
    node: { type: "string" },
    "restate-server": { type: "string" },
    "ingress-port": { type: "string" },
    "admin-port": { type: "string" },
    "gateway-port": { type: "string" },
    "service-port": { type: "string" },
  });
  const workspace = oneDir(positionals, "up");
  const ports: UpOptions["ports"] = {};
  for (const name of ["ingress", "admin", "gateway", "service"] as const) {
    const raw = values[`${name}-port`] as string | undefined;
    if (raw !== undefined) ports[name] = portNumber(raw, `--${name}-port`);
  }
  const json = values.json === true;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const stack = await up(workspace, {
    nodePath: values.node as string | undefined,
    restateServerPath: values["restate-server"] as string | undefined,
    ports,
    onProgress: json ? undefined : progress,
    signal: abort.signal,
  });
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  if (json) console.log(JSON.stringify(upJson(stack)));
  else printStack(stack);
  if (values.detach) {
    if (!json) console.log(`Running in the background. Stop it with: idempotency-lab down ${workspace}`);
    return 0;
  }
  if (!json) console.log("Logs follow. Ctrl-C stops the lab.");
  return followUntilStopped(workspace, !json);
}

function upJson(stack: RunningStack) {
  return { ingress: stack.urls.ingress, admin: stack.urls.admin, gateway: stack.urls.gateway, service: stack.urls.service, pids: stack.pids, adopted: stack.adopted };
}

/** Foreground `up`: print the lab's log until Ctrl-C (then stop it) or until it stops by itself. */
async function followUntilStopped(workspace: string, printLogs: boolean): Promise<number> {
  const paths = workspacePaths(workspace);
  let offset = safeSize(paths.log);
  let stopRequested = false;
  const stop = () => {
    stopRequested = true;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.once("SIGHUP", stop);
  for (;;) {
    if (printLogs) offset = printFrom(paths.log, offset);
    if (stopRequested) {
      progress("Stopping the lab");
      await down(workspace);
      return 0;
    }
    const state = readState(paths.state);
    if (!state || !isOurs(state.supervisor)) {
      if (printLogs) printFrom(paths.log, offset);
      const error = state?.error;
      process.stderr.write(`The lab stopped${error ? `: ${error}` : ""}\n`);
      return error ? 1 : 0;
    }
    await sleep(200);
  }
}

async function downCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args);
  const workspace = oneDir(positionals, "down");
  const { stopped } = await down(workspace, { onProgress: progress });
  console.log(stopped.length > 0 ? `Stopped the lab in ${workspace}` : `The lab in ${workspace} was not running`);
  return 0;
}

async function statusCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  const result = await status(oneDir(positionals, "status"));
  if (values.json) {
    console.log(JSON.stringify(result));
    return 0;
  }
  switch (result.state) {
    case "ready":
      printStack(result);
      if (!result.healthy) console.log("Warning: the lab is running but does not answer its health checks; see the log.");
      break;
    case "stopped":
      console.log(`The lab in ${result.workspace} is stopped.`);
      if (result.leftovers.length > 0) {
        console.log(`Processes left by a killed run are still alive (${result.leftovers.join(", ")}): run "idempotency-lab down ${result.workspace}".`);
      }
      break;
    case "failed":
      console.log(`The lab in ${result.workspace} failed: ${result.error}`);
      break;
    default:
      console.log(`The lab in ${result.workspace} is ${result.state}: ${result.detail}`);
  }
  return 0;
}

function printStack(stack: RunningStack): void {
  console.log(`${stack.adopted ? "The lab was already running" : "The lab is ready"} in ${stack.workspace}`);
  console.log(`  Restate ingress  ${stack.urls.ingress}`);
  console.log(`  Restate admin    ${stack.urls.admin}   (UI: ${stack.urls.admin}/ui/)`);
  console.log(`  Payment gateway  ${stack.urls.gateway}   (ledger: ${stack.urls.gateway}/ledger)`);
  console.log(`  Payment service  ${stack.urls.service}`);
  console.log(`  Log              ${workspacePaths(stack.workspace).log}`);
}

function portNumber(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port from 0 to 65535, got "${raw}"`);
  return n;
}

function safeSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function printFrom(file: string, offset: number): number {
  const size = safeSize(file);
  if (size <= offset) return size < offset ? 0 : offset;
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    process.stdout.write(buffer);
  } finally {
    closeSync(fd);
  }
  return size;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    const { message, fix } = describeError(err);
    process.stderr.write(`error: ${message}\n${fix ? `fix: ${fix}\n` : ""}`);
    if (!(err instanceof LabError) && err instanceof Error && process.env.DEBUG) console.error(err.stack);
    process.exit(1);
  },
);
