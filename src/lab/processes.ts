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
  /** Strings its command line must contain: paths the lab chose, never read from a file. */
  commandLine: string[];
  /** The run token the lab put in its environment. */
  runToken: string;
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

/** The process's command line and environment, or null when it is gone or cannot be read. */
function inspect(pid: number): { commandLine: string; environment: string[] } | null {
  if (process.platform === "linux") {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
      const environment = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      // A zombie has an empty command line: it is gone for our purposes.
      return commandLine ? { commandLine, environment } : null;
    } catch {
      return null;
    }
  }
  if (process.platform === "darwin" || process.platform.endsWith("bsd")) {
    try {
      // BSD ps prints the environment after the arguments with -E; one line, words split on spaces.
      const line = execFileSync("ps", ["-E", "-ww", "-o", "command=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      return line ? { commandLine: line, environment: line.split(" ") } : null;
    } catch {
      return null;
    }
  }
  return null; // elsewhere nothing tells us whose a process is: never signal it
}

/** True when the pid is alive, its command line holds every expected part and its environment the run token. */
export function isOurs(identity: ProcessIdentity | undefined): boolean {
  if (!identity || !isSignallablePid(identity.pid) || !isRunToken(identity.runToken) || !isAlive(identity.pid)) return false;
  const found = inspect(identity.pid);
  if (!found) return false;
  return (
    identity.commandLine.every((part) => part.length > 0 && found.commandLine.includes(part)) &&
    found.environment.includes(`${RUN_TOKEN_ENV}=${identity.runToken}`)
  );
}

/**
 * Processes a lab started (they carry a run token, whichever) whose command line holds every one
 * of `parts`: what a killed supervisor left behind, found without its state file. Linux only.
 */
export function findLabProcesses(parts: string[]): ProcessIdentity[] {
  if (process.platform !== "linux" || parts.some((p) => p.length === 0)) return [];
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!isSignallablePid(pid)) continue;
    const seen = inspect(pid);
    if (!seen || !parts.every((p) => seen.commandLine.includes(p))) continue;
    const runToken = seen.environment.find((v) => v.startsWith(`${RUN_TOKEN_ENV}=`))?.slice(RUN_TOKEN_ENV.length + 1);
    if (isRunToken(runToken)) found.push({ pid, commandLine: parts, runToken });
  }
  return found;
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
