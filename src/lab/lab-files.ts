// The lab's own files in a workspace (.lab/ and what is in it). A workspace may come from
// someone else, so a link there could point our writes (or the log we show) anywhere:
// .lab/ and its folders must be real folders inside the workspace, and its files are opened
// without following links.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, realpathSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { LabError } from "./errors.js";

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO would block open(2) until someone writes to it; with O_NONBLOCK it opens, and fstat refuses it.
const READ_FLAGS = constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);

/** The most the lab reads of any one file in a workspace, unless the caller says less. */
export const MAX_LAB_FILE_BYTES = 16 * 1024 * 1024;
/** The most one look at a growing log reads; the rest comes on the next look. */
const MAX_TAIL_BYTES = 1024 * 1024;

/** The workspace's real path when it exists (links resolved once, by us), else its absolute path. */
export function realWorkspace(workspace: string): string {
  try {
    return realpathSync(workspace);
  } catch {
    return resolve(workspace);
  }
}

/**
 * Checks that `dir` (a folder of the lab under the workspace, e.g. .lab or .lab/history) is a
 * real folder inside the workspace, creating it (and its parents under the workspace) when
 * `create` is set. Throws a LabError naming the link otherwise.
 */
export function checkLabDir(workspace: string, dir: string, create: boolean): void {
  const root = realWorkspace(workspace);
  const parts = resolve(dir).slice(resolve(workspace).length).split(sep).filter(Boolean);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    let stat;
    try {
      stat = lstatSync(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      if (!create) return; // nothing there yet: nothing to follow
      mkdirSync(current);
      continue;
    }
    if (stat.isSymbolicLink()) throw linkRefused(current);
    if (!stat.isDirectory()) {
      throw new LabError(`${current} is not a folder`, `The lab keeps its state there: move that file away and try again.`, "unsafe-path");
    }
  }
  if (realpathSync(current) !== current) throw linkRefused(current);
}

/**
 * Reads a file of the workspace without following a link, only when it is a regular file of at
 * most `maxBytes`; null when it does not exist. A link, a device, a FIFO or a file too large
 * throws a LabError that says which.
 */
export function readLabFile(file: string, options: { maxBytes?: number } = {}): string | null {
  return readLabFileBytes(file, options)?.toString("utf8") ?? null;
}

/** readLabFile's bytes, undecoded (a run record goes to the panel gzipped, never as a string). */
export function readLabFileBytes(file: string, options: { maxBytes?: number } = {}): Buffer | null {
  const maxBytes = options.maxBytes ?? MAX_LAB_FILE_BYTES;
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ELOOP") throw linkRefused(file);
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new LabError(`${file} is not a regular file`, "Move it away and try again.", "unsafe-path");
    if (stat.size > maxBytes) throw tooLarge(file, stat.size, maxBytes);
    return readAll(fd, file, maxBytes, stat.size);
  } finally {
    closeSync(fd);
  }
}

/** Opens a lab file for appending (created when missing) without following a link. */
export function openLabFileForAppend(file: string): number {
  try {
    return openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOOP") throw linkRefused(file);
    throw err;
  }
}

/** Reads `file` from byte `offset` to its end, without following a link; "" when it is missing. */
export function readLabFileFrom(file: string, offset: number): { text: string; end: number } {
  // Its folder (.lab) must not be a link either: the log would be read from wherever it leads.
  if (isLink(dirname(file))) return { text: "", end: offset };
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch {
    return { text: "", end: offset };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { text: "", end: offset };
    const size = stat.size;
    if (size <= offset) return { text: "", end: size };
    const buffer = Buffer.alloc(Math.min(size - offset, MAX_TAIL_BYTES));
    const read = readSync(fd, buffer, 0, buffer.length, offset);
    return { text: buffer.subarray(0, read).toString("utf8"), end: offset + read };
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end, but never more than `maxBytes` (a file that grows while read is cut off with an error). */
function readAll(fd: number, file: string, maxBytes: number, size: number): Buffer {
  // One buffer of the size fstat gave and a byte more, to see a file that grew; grown only then.
  let buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
      buffer.copy(bigger, 0, 0, total);
      buffer = bigger;
    }
    const n = readSync(fd, buffer, total, buffer.length - total, null);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw tooLarge(file, total, maxBytes);
  }
  return buffer.subarray(0, total);
}

function tooLarge(file: string, size: number, maxBytes: number): LabError {
  return new LabError(
    `${file} is larger than the lab reads (${size > maxBytes ? `over ${formatBytes(maxBytes)}` : formatBytes(size)}), so it was not read`,
    "It is not a file the lab wrote: move it away (or delete it) and try again.",
    "unsafe-path",
  );
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.round(n / 1024)} KB`;
}

export function linkRefused(path: string): LabError {
  return new LabError(
    `${path} is a symbolic link (or leads outside the workspace), so the lab does not use it: it would read or write somewhere else`,
    `Delete the link (it holds only the lab's runtime state) and try again.`,
    "unsafe-path",
  );
}

/** True when `path` is a symbolic link (false when it is anything else or absent). */
export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
