// One start or stop of a lab at a time, whoever asks (the CLI, each VS Code window, a double
// click on Start): `up`, `down` and a reset hold .lab/start.lock while they work. A second start
// waits for the first and then adopts the lab it started; a stop asks a start in progress to give
// up (a stop request naming that start's lock) and then stops what is there. The holder is proven
// alive by pid and start time (live-process.ts): it is waited for, never signalled.
import { renameSync, rmSync } from "node:fs";
import { createFileAtomic, writeFileAtomic } from "./atomic-file.js";
import { LabError } from "./errors.js";
import { checkLabDir, isLink, linkRefused, readLabFile } from "./lab-files.js";
import { asStamp, isStillRunning, ownStamp, type ProcessStamp } from "./live-process.js";
import type { WorkspacePaths } from "./paths.js";
import { sleep } from "./poll.js";
import { isRunToken, newRunToken } from "./processes.js";

export type LockAction = "start" | "stop";

export interface LockHolder extends ProcessStamp {
  token: string;
  action: LockAction;
  /** When it took the lock (ISO). */
  since: string;
}

export interface HeldLock {
  /** True once a stop asked this start to give up. */
  stopRequested(): boolean;
  release(): void;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Called once when another caller holds the lock and this one waits. */
  onWait?: (holder: LockHolder) => void;
  timeoutMs?: number;
}

const WAIT_TIMEOUT_MS = 10 * 60_000;
/** A start or stop that has held the lock this long is stuck (or the lock is forged): it is no longer waited for. */
const MAX_LOCK_HOLD_MS = 30 * 60_000;

/** Takes the workspace's start lock, waiting while another live caller holds it. */
export async function acquireStartLock(paths: WorkspacePaths, action: LockAction, options: AcquireOptions = {}): Promise<HeldLock> {
  checkLabDir(paths.workspace, paths.lab, true);
  for (const file of [paths.startLock, paths.stopRequest]) if (isLink(file)) throw linkRefused(file);
  const token = newRunToken();
  const mine: LockHolder = { ...ownStamp(), token, action, since: new Date().toISOString() };
  const deadline = Date.now() + (options.timeoutMs ?? WAIT_TIMEOUT_MS);
  let told = false;
  for (;;) {
    if (createFileAtomic(paths.startLock, JSON.stringify(mine))) {
      // A stop request here names an earlier holder: a stop that read a start's lock just before
      // that start let go writes its request after the start removed its own. It is moot now (a
      // stop that wants this holder writes again within 100 ms), and it must not be left behind.
      rmSync(paths.stopRequest, { force: true });
      return held(paths, token);
    }
    const seen = readLock(paths);
    if (seen.raw === null) continue; // released between the two looks
    if (seen.holder === null || !isStillRunning(seen.holder, MAX_LOCK_HOLD_MS)) {
      // A caller that was killed left it (or it is not a lock this lab wrote).
      breakStaleLock(paths, seen.raw);
      continue;
    }
    const holder = seen.holder;
    if (action === "stop" && holder.action === "start") requestStop(paths, holder.token);
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    if (options.signal?.aborted)
      throw new LabError("Cancelled while waiting for another start or stop of the lab", "Try again when you are ready.", "start-failed");
    if (Date.now() > deadline) {
      throw new LabError(
        `Another ${holder.action} of this lab (pid ${holder.pid}, since ${holder.since}) has held ${paths.startLock} for ${Math.round((Date.now() - Date.parse(holder.since)) / 60_000)} minutes`,
        `Wait for it to finish; if that process is stuck, end it, or delete ${paths.startLock} when no start or stop of the lab is running.`,
        "start-failed",
      );
    }
    await sleep(100);
  }
}

/** The live caller starting or stopping the lab now, if any (for status displays). */
export function startLockHolder(paths: WorkspacePaths): LockHolder | null {
  try {
    const { holder } = readLock(paths);
    return holder !== null && isStillRunning(holder, MAX_LOCK_HOLD_MS) ? holder : null;
  } catch {
    return null;
  }
}

function held(paths: WorkspacePaths, token: string): HeldLock {
  return {
    stopRequested: () => {
      try {
        return readLabFile(paths.stopRequest)?.trim() === token;
      } catch {
        return false;
      }
    },
    release: () => {
      if (startLockHolder(paths)?.token === token) rmSync(paths.startLock, { force: true });
      // A stop request for this lock has been seen (or is moot now): the next holder must not inherit it.
      try {
        if (readLabFile(paths.stopRequest)?.trim() === token) rmSync(paths.stopRequest, { force: true });
      } catch {
        // not ours to remove
      }
    },
  };
}

function requestStop(paths: WorkspacePaths, token: string): void {
  try {
    if (readLabFile(paths.stopRequest)?.trim() !== token) writeFileAtomic(paths.stopRequest, token);
  } catch {
    // The start then runs to its end, and this stop stops what it started.
  }
}

/** The lock's text and holder (null when it is not a lock this lab wrote); a link or a folder in its place throws. */
function readLock(paths: WorkspacePaths): { raw: string | null; holder: LockHolder | null } {
  const raw = readLabFile(paths.startLock);
  if (raw === null) return { raw, holder: null };
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const stamp = asStamp(value);
    const ok = stamp && isRunToken(value.token) && (value.action === "start" || value.action === "stop") && typeof value.since === "string";
    return { raw, holder: ok ? { ...stamp, token: value.token as string, action: value.action as LockAction, since: value.since as string } : null };
  } catch {
    return { raw, holder: null };
  }
}

/**
 * Removes a lock whose holder is gone. Moved aside first and compared with what was judged stale,
 * so that a lock another caller took meanwhile is put back instead of deleted.
 */
function breakStaleLock(paths: WorkspacePaths, seen: string): void {
  const aside = `${paths.startLock}.stale-${newRunToken()}`;
  try {
    renameSync(paths.startLock, aside);
  } catch {
    return; // gone already: another caller broke it
  }
  let moved: string | null = null;
  try {
    moved = readLabFile(aside);
  } catch {
    // not a file we can read: nothing to put back
  }
  if (moved !== null && moved !== seen) createFileAtomic(paths.startLock, moved);
  rmSync(aside, { force: true });
}
