// Who holds a lab file that says "busy" (the start lock, a running replay): a pid and when that
// process started, so that a pid the system gave to another program after a crash is not taken
// for the holder. Read only to wait or to refuse: nothing named here is ever signalled.
import { readFileSync } from "node:fs";
import { isAlive } from "./processes.js";

export interface ProcessStamp {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux); null where it cannot be read. */
  started: string | null;
}

export function ownStamp(): ProcessStamp {
  return { pid: process.pid, started: startTimeOf(process.pid) };
}

/** True while the stamped process still runs: the same pid, started at the same time. */
export function isStillRunning(stamp: ProcessStamp): boolean {
  if (!Number.isSafeInteger(stamp.pid) || stamp.pid < 1 || !isAlive(stamp.pid)) return false;
  return stamp.started === null || startTimeOf(stamp.pid) === stamp.started;
}

/** A stamp read from a file (anyone may have written it), or null when it is not one. */
export function asStamp(value: unknown): ProcessStamp | null {
  if (typeof value !== "object" || value === null) return null;
  const { pid, started } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || (pid as number) < 1) return null;
  if (started !== null && !(typeof started === "string" && /^\d{1,20}$/.test(started))) return null;
  return { pid: pid as number, started };
}

function startTimeOf(pid: number): string | null {
  if (process.platform !== "linux") return null;
  try {
    // Field 22 of /proc/<pid>/stat; the command name before it (in parentheses) may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}
