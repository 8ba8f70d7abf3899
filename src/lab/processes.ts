// Processes the lab started, found again by pid and proven to be ours before they are
// signalled. A pid comes from a file in the workspace, which anyone may have written: so
// what a process must look like is computed here (its command line holds paths we chose),
// and it must carry the random run token the lab put in its environment when it started it.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { poll } from "./poll.js";

/** The environment variable that carries a lab start's run token into every process it starts. */
export const RUN_TOKEN_ENV = "IDEMPOTENCY_LAB_RUN";
const RUN_TOKEN_PATTERN = /^[0-9a-f]{32}$/;

export function newRunToken(): string {
  return randomBytes(16).toString("hex");
}

export function isRunToken(value: unknown): value is string {
  return typeof value === "string" && RUN_TOKEN_PATTERN.test(value);
}

/** What proves a process is one the lab started. */
export interface ProcessIdentity {
  pid: number;
  /**
   * Arguments its command line must hold, whole and in this order, one after another (e.g.
   * "--base-dir", "<data folder>"): paths the lab chose, never read from a file.
   */
  commandLine: string[];
  /** The run token the lab put in its environment. */
  runToken: string;
  /** Its start time (Linux: /proc/<pid>/stat field 22) when it was recorded at spawn: a reused pid then differs. */
  started?: string;
}

/** A pid that may be signalled at all: a whole number above 1 that is not this process. */
export function isSignallablePid(pid: unknown): pid is number {
  return Number.isSafeInteger(pid) && (pid as number) > 1 && pid !== process.pid;
}

/** The pid exists (maybe as a zombie, maybe not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process's arguments and environment, each read apart, or null when it is gone or cannot be read. */
interface Inspected {
  /** Linux: the exact argv entries. BSD: the command line as ps prints it (arguments joined by spaces). */
  argv: string[] | null;
  commandLine: string;
  environment: string[];
}

function inspect(pid: number): Inspected | null {
  if (process.platform === "linux") {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (argv.at(-1) === "") argv.pop();
      const environment = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      // A zombie has an empty command line: it is gone for our purposes.
      return argv.length > 0 ? { argv, commandLine: argv.join(" "), environment } : null;
    } catch {
      return null;
    }
  }
  if (process.platform === "darwin" || process.platform.endsWith("bsd")) {
    try {
      // With -E, BSD ps prints the environment after the arguments, all on one line. The arguments
      // alone are read first, so that an argument that looks like NAME=value is never taken for
      // the environment: only what -E adds after them is.
      const ps = (...flags: string[]) =>
        execFileSync("ps", [...flags, "-ww", "-o", "command=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).replace(
          /\n$/,
          "",
        );
      const commandLine = ps();
      const withEnvironment = ps("-E");
      if (!commandLine.trim() || !withEnvironment.startsWith(commandLine)) return null;
      return { argv: null, commandLine, environment: withEnvironment.slice(commandLine.length).split(" ").filter(Boolean) };
    } catch {
      return null;
    }
  }
  return null; // elsewhere nothing tells us whose a process is: never signal it
}

/** The expected arguments are in the command line, whole, one after another. */
function holdsArguments(found: Inspected, parts: string[]): boolean {
  if (parts.length === 0 || parts.some((p) => p.length === 0)) return false;
  if (found.argv) {
    const argv = found.argv;
    for (let i = 0; i + parts.length <= argv.length; i++) if (parts.every((p, j) => argv[i + j] === p)) return true;
    return false;
  }
  // Only ps's joined line: the run of arguments must stand between spaces (or the line's ends).
  return ` ${found.commandLine} `.includes(` ${parts.join(" ")} `);
}

/** True when the pid is alive, started when recorded, holds the expected arguments, and carries the run token. */
export function isOurs(identity: ProcessIdentity | undefined): boolean {
  if (!identity || !isSignallablePid(identity.pid) || !isRunToken(identity.runToken) || !isAlive(identity.pid)) return false;
  if (identity.started !== undefined && startTimeOf(identity.pid) !== identity.started) return false;
  const found = inspect(identity.pid);
  if (!found) return false;
  return holdsArguments(found, identity.commandLine) && found.environment.includes(`${RUN_TOKEN_ENV}=${identity.runToken}`);
}

/**
 * Processes that a start of this workspace left (their run token is one of `runTokens`, which the
 * workspace recorded) and whose command line holds `parts` whole: what a killed supervisor left
 * behind, found without its pids. Linux only.
 */
export function findLabProcesses(parts: string[], runTokens: string[]): ProcessIdentity[] {
  const tokens = runTokens.filter(isRunToken);
  if (process.platform !== "linux" || tokens.length === 0) return [];
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!isSignallablePid(pid)) continue;
    const seen = inspect(pid);
    if (!seen || !holdsArguments(seen, parts)) continue;
    const runToken = tokens.find((t) => seen.environment.includes(`${RUN_TOKEN_ENV}=${t}`));
    if (runToken) found.push({ pid, commandLine: parts, runToken });
  }
  return found;
}

/** A process's start time in clock ticks since boot (Linux: /proc/<pid>/stat field 22); null elsewhere or when gone. */
export function startTimeOf(pid: number): string | null {
  if (process.platform !== "linux") return null;
  try {
    // The command name before it (in parentheses) may hold spaces: count from the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Pids of live processes whose command line contains every one of `parts` (Linux only): for tests and checks, never for signals. */
export function findProcesses(parts: string[]): number[] {
  if (process.platform !== "linux") return [];
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmd = inspect(pid)?.commandLine;
    if (cmd && parts.every((p) => cmd.includes(p))) pids.push(pid);
  }
  return pids;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when every one is gone. Only processes proven ours are signalled. */
export async function terminate(identities: ProcessIdentity[], graceMs = 10_000): Promise<void> {
  const alive = identities.filter(isOurs);
  // Gone means gone from the process table, not merely "no longer provably ours": an exiting
  // process stops showing its environment some moments before it is gone.
  const allGone = () => alive.every((p) => isGone(p.pid));
  for (const p of alive) signal(p, "SIGTERM");
  await poll(allGone, { what: "the lab's processes to stop", everyMs: 50, timeoutMs: graceMs, onTimeout: () => false });
  for (const p of alive) signal(p, "SIGKILL");
  await poll(allGone, { what: "the lab's processes to be killed", everyMs: 20, timeoutMs: 30_000, onTimeout: () => true });
}

/** The pid no longer runs: it does not exist, or it is a zombie waiting for its parent. */
function isGone(pid: number): boolean {
  if (!isAlive(pid)) return true;
  if (process.platform !== "linux") return false;
  try {
    return /^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Sends `sig` when the process is proven ours; returns whether it was sent. */
export function signal(identity: ProcessIdentity, sig: NodeJS.Signals): boolean {
  if (!isOurs(identity)) return false;
  try {
    process.kill(identity.pid, sig);
    return true;
  } catch {
    return false; // already gone
  }
}
