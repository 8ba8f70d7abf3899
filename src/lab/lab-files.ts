// The lab's own files in a workspace (.lab/ and what is in it). A workspace may come from
// someone else, so a link there could point our writes (or the log we show) anywhere:
// .lab/ and its folders must be real folders inside the workspace, and its files are opened
// without following links.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, realpathSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { LabError } from "./errors.js";

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

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

/** Reads a lab file without following a link; null when it does not exist. */
export function readLabFile(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ELOOP") throw linkRefused(file);
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new LabError(`${file} is not a file`, "Move it away and try again.", "unsafe-path");
    return readAll(fd);
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
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW);
  } catch {
    return { text: "", end: offset };
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { text: "", end: size };
    const buffer = Buffer.alloc(size - offset);
    const read = readSync(fd, buffer, 0, buffer.length, offset);
    return { text: buffer.subarray(0, read).toString("utf8"), end: offset + read };
  } finally {
    closeSync(fd);
  }
}

function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, null);
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString("utf8");
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
