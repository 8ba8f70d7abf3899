// Replays in progress, as every caller can see them: one file per run in .lab/replays/, named by
// a run token and naming the process that runs it (pid and start time). Reset Lab State reads
// them and refuses while one runs; a file whose process is gone (a killed CLI) is removed.
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createFileAtomic } from "../atomic-file.js";
import { checkLabDir, readLabFile } from "../lab-files.js";
import { asStamp, isStillRunning, ownStamp, type ProcessStamp } from "../live-process.js";
import { workspacePaths } from "../paths.js";
import { isRunToken, newRunToken } from "../processes.js";

export interface RunningReplay extends ProcessStamp {
  scenario: string;
  /** When it began (ISO). */
  since: string;
}

/** Records a replay of `scenario` as running in this process; the returned function ends the record. */
export function markReplayRunning(workspace: string, scenario: string): () => void {
  const { replays } = workspacePaths(workspace);
  checkLabDir(workspace, replays, true);
  const file = join(replays, `${newRunToken()}.json`);
  const record: RunningReplay = { ...ownStamp(), scenario, since: new Date().toISOString() };
  createFileAtomic(file, JSON.stringify(record));
  return () => rmSync(file, { force: true });
}

/** The replays running now in the workspace, oldest first. */
export function runningReplays(workspace: string): RunningReplay[] {
  const { replays } = workspacePaths(workspace);
  checkLabDir(workspace, replays, false);
  let names: string[];
  try {
    names = readdirSync(replays);
  } catch {
    return [];
  }
  const running: RunningReplay[] = [];
  for (const name of names) {
    if (!name.endsWith(".json") || !isRunToken(name.slice(0, -5))) continue;
    const file = join(replays, name);
    const record = parse(file);
    if (record && isStillRunning(record)) running.push(record);
    else if (record) rmSync(file, { force: true }); // its process is gone: it ended without saying so
  }
  return running.sort((a, b) => a.since.localeCompare(b.since));
}

function parse(file: string): RunningReplay | null {
  try {
    const value = JSON.parse(readLabFile(file) ?? "null") as Record<string, unknown>;
    const stamp = asStamp(value);
    if (!stamp || typeof value.scenario !== "string" || typeof value.since !== "string") return null;
    return { ...stamp, scenario: value.scenario.slice(0, 100), since: value.since.slice(0, 40) };
  } catch {
    return null; // a link, a folder or not JSON: not a record this lab wrote, and left alone
  }
}
