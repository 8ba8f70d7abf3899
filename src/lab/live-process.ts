// Who holds a lab file that says "busy" (the start lock, a running replay): a pid and when that
// process started, so that a pid the system gave to another program after a crash is not taken
// for the holder. Read only to wait or to refuse: nothing named here is ever signalled.
import { statSync } from "node:fs";
import { isAlive, startTimeOf } from "./processes.js";

export interface ProcessStamp {
  pid: number;
  /** The process's start time in clock ticks since boot (Linux); null where it cannot be read. */
  started: string | null;
}

export function ownStamp(): ProcessStamp {
  return { pid: process.pid, started: startTimeOf(process.pid) };
}

/** How long a holder is believed at most, from its `since` (a replay runs an hour at most, plus its checks). */
export const MAX_HOLD_MS = 2 * 60 * 60_000;

/**
 * True while the stamped process still runs: the same pid, started at the same time, run by this
 * user, and (when the stamp says since when) for no longer than `maxHoldMs`. The stamp comes from
 * a file anyone may have written: where start times can be read (Linux), a stamp without one is
 * not believed, and a stamp that is too old is not believed either, whatever it names.
 */
export function isStillRunning(stamp: ProcessStamp & { since?: string }, maxHoldMs = MAX_HOLD_MS): boolean {
  if (!Number.isSafeInteger(stamp.pid) || stamp.pid < 1 || !isAlive(stamp.pid)) return false;
  if (stamp.since !== undefined) {
    const since = Date.parse(stamp.since);
    const now = Date.now();
    if (!Number.isFinite(since) || since > now + 60_000 || now - since > maxHoldMs) return false;
  }
  if (!sameUser(stamp.pid)) return false;
  const started = startTimeOf(stamp.pid);
  return started === null ? stamp.started === null : started === stamp.started;
}

/** The process runs as this user (Linux, where /proc says so); elsewhere assumed. */
function sameUser(pid: number): boolean {
  if (process.platform !== "linux" || typeof process.getuid !== "function") return true;
  try {
    return statSync(`/proc/${pid}`).uid === process.getuid();
  } catch {
    return false;
  }
}

/** A stamp read from a file (anyone may have written it), or null when it is not one. */
export function asStamp(value: unknown): ProcessStamp | null {
  if (typeof value !== "object" || value === null) return null;
  const { pid, started } = value as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || (pid as number) < 1) return null;
  if (started !== null && !(typeof started === "string" && /^\d{1,20}$/.test(started))) return null;
  return { pid: pid as number, started };
}
