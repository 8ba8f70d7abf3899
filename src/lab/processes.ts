// Processes the lab started, found again by pid and checked to be ours before they are
// signalled: a pid in a state file may have been reused by something else since.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessRecord {
  pid: number;
  /** A string the process's command line contains (the workspace path): proof it is ours. */
  marker: string;
}

export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return null;
  }
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

/** True when the pid is alive and (where /proc exists) still runs the command we started. */
export function isOurs(record: ProcessRecord | undefined): boolean {
  if (!record || !isAlive(record.pid)) return false;
  if (process.platform !== "linux") return true;
  const cmd = commandLine(record.pid);
  // A zombie has an empty command line: it is gone for our purposes.
  return cmd !== null && cmd.includes(record.marker);
}

/** Processes whose command line contains every one of `parts` (Linux only; [] elsewhere). */
export function findProcesses(parts: string[]): number[] {
  if (process.platform !== "linux") return [];
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmd = commandLine(pid);
    if (cmd && parts.every((p) => cmd.includes(p))) pids.push(pid);
  }
  return pids;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when every one is gone. */
export async function terminate(records: ProcessRecord[], graceMs = 10_000): Promise<void> {
  const alive = records.filter(isOurs);
  for (const r of alive) signal(r.pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive.some(isOurs) && Date.now() < deadline) await sleep(50);
  for (const r of alive.filter(isOurs)) signal(r.pid, "SIGKILL");
  while (alive.some(isOurs)) await sleep(20);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
