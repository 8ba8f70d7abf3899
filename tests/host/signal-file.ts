// The signal files the driver (vitest, Chromium) and the suite inside VS Code take turns by.
// A signal is written whole or not at all: written to a temporary name, then renamed. The reader
// polls for the file, and a plain write let it read the file between its creation and its content
// ("Unexpected end of JSON input", seen in CI).
import { renameSync, writeFileSync } from "node:fs";

/** Writes `data` as JSON to `file` atomically: the reader sees no file, or all of it. */
export function writeSignal(file: string, data: unknown): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(data));
  renameSync(partial, file);
}
