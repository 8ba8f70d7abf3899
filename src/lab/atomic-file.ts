import { randomBytes } from "node:crypto";
import { linkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

function tempNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Replaces `file` in one step: readers see the old content or the new, never half of it. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const temp = tempNameFor(file);
  try {
    // "wx": the temp name must be new (never a link someone planted); rename replaces a link
    // at `file` instead of writing through it.
    writeFileSync(temp, content, { flag: "wx" });
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Creates `file` in one step and never replaces an existing one.
 * Returns false when the file already exists.
 */
export function createFileAtomic(file: string, content: string | Uint8Array, mode?: number): boolean {
  const temp = tempNameFor(file);
  try {
    writeFileSync(temp, content, { flag: "wx", ...(mode === undefined ? {} : { mode }) });
    linkSync(temp, file); // link(2) fails with EEXIST instead of overwriting
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    rmSync(temp, { force: true });
  }
}
