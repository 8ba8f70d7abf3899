// The runs of a workspace (scenario runs and chaos runs), kept in .lab/history/ so the panel can
// list, reopen, compare and export them after a reload. Each run is a JSON file, and beside it
// the same JSON gzipped (`.json.gz`): what the panel posts to its webview as it is. Reading and
// gzipping a 10,000-request run (4.5 MB) cost its first open 30-60 ms of the extension host; the
// packed copy is ~100 KB, made once when the run is saved.
import { lstatSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { isChaosRecord, STOPPED_BY_LEARNER } from "../shared/protocol.js";
import type { AnyRunRecord, RunRecord, RunSummary } from "../shared/protocol.js";
import { MAX_RUN_JSON_BYTES } from "../shared/wire.js";
import { writeFileAtomic } from "./atomic-file.js";
import { checkLabDir, readLabFile, readLabFileBytes } from "./lab-files.js";
import { workspacePaths } from "./paths.js";

export const MAX_HISTORY = 100;
/** A packed copy larger than this was not made by the lab (a run's JSON packs about 40 times smaller). */
const MAX_PACKED_BYTES = 16 * 1024 * 1024;
/** A hundred summaries are some tens of KB. */
const MAX_INDEX_BYTES = 4 * 1024 * 1024;

function dir(workspace: string): string {
  return join(workspacePaths(workspace).lab, "history");
}

/** File names sort by time: <finishedAt without punctuation>-<runId>.json */
function fileName(run: AnyRunRecord): string {
  return `${run.finishedAt.replace(/[^0-9]/g, "")}-${run.runId}.json`;
}

export function saveRun(workspace: string, run: AnyRunRecord): RunSummary[] {
  checkLabDir(workspace, dir(workspace), true);
  const json = JSON.stringify(run);
  const file = join(dir(workspace), fileName(run));
  writeFileAtomic(file, json);
  writeFileAtomic(`${file}.gz`, packRecordJson(json));
  // The index keeps listing cheap: a 10,000-request run is megabytes, its summary a line.
  const summaries = [summaryOf(run), ...listRuns(workspace).filter((r) => r.runId !== run.runId)];
  const kept = summaries.slice(0, MAX_HISTORY);
  writeFileAtomic(indexFile(workspace), JSON.stringify(kept));
  const keep = new Set(kept.map((r) => r.runId));
  for (const file of listFiles(workspace, true)) {
    if (!keep.has(file.replace(/^\d+-/, "").replace(/\.json(\.gz)?$/, ""))) rmSync(join(dir(workspace), file), { force: true });
  }
  return kept;
}

/** A scenario's run (undefined for a chaos run: loadRecord has both). */
export function loadRun(workspace: string, runId: string): RunRecord | undefined {
  const run = loadRecord(workspace, runId);
  return run && !isChaosRecord(run) ? run : undefined;
}

export function loadRecord(workspace: string, runId: string): AnyRunRecord | undefined {
  const text = loadRecordText(workspace, runId);
  return text === undefined ? undefined : (JSON.parse(text) as AnyRunRecord);
}

/** A run's record as its file holds it (JSON text). */
export function loadRecordText(workspace: string, runId: string): string | undefined {
  return loadRecordBytes(workspace, runId)?.toString("utf8");
}

/** A run's record as its file's bytes (UTF-8 JSON): the panel gzips them for the webview, undecoded. */
export function loadRecordBytes(workspace: string, runId: string): Buffer | undefined {
  if (!/^[A-Za-z0-9-]+$/.test(runId)) return undefined;
  checkLabDir(workspace, dir(workspace), false);
  const file = listFiles(workspace).find((f) => f.endsWith(`-${runId}.json`));
  return (file === undefined ? null : readLabFileBytes(join(dir(workspace), file), { maxBytes: MAX_RUN_JSON_BYTES })) ?? undefined;
}

/** A record's JSON gzipped, as the panel posts it (level 1: the fastest; a run's repetition still shrinks it about 40 times). */
export function packRecordJson(json: string | Uint8Array): Buffer {
  return gzipSync(json, { level: 1 });
}

/**
 * A run's packed copy (its file's JSON, gzipped), when there is one that goes with its file:
 * written no earlier than the JSON, and unpacking to the JSON file's size (gzip's trailer says
 * it). A JSON edited since is read instead. Undefined: read the JSON
 * (loadRecordBytes). Throws (a LabError) for a link, a device or a copy too large, as for the JSON.
 */
export function loadRecordPacked(workspace: string, runId: string): Buffer | undefined {
  if (!/^[A-Za-z0-9-]+$/.test(runId)) return undefined;
  checkLabDir(workspace, dir(workspace), false);
  const file = listFiles(workspace).find((f) => f.endsWith(`-${runId}.json`));
  if (file === undefined) return undefined;
  const packed = readLabFileBytes(join(dir(workspace), `${file}.gz`), { maxBytes: MAX_PACKED_BYTES });
  if (packed === null || packed.length < 18) return undefined;
  try {
    const json = lstatSync(join(dir(workspace), file));
    if (!json.isFile()) return undefined; // loadRecordBytes says what is wrong with it
    // Written after the JSON (saveRun writes the copy second), and of the JSON's size: ISIZE, the
    // last 4 bytes, is the unpacked size modulo 2^32 (RFC 1952).
    const written = lstatSync(join(dir(workspace), `${file}.gz`)).mtimeMs >= json.mtimeMs;
    return written && packed.readUInt32LE(packed.length - 4) === json.size % 2 ** 32 ? packed : undefined;
  } catch {
    return undefined;
  }
}

/** Most recent first. Throws (a LabError) when the history folder is a link. */
export function listRuns(workspace: string): RunSummary[] {
  checkLabDir(workspace, dir(workspace), false);
  try {
    return JSON.parse(readLabFile(indexFile(workspace), { maxBytes: MAX_INDEX_BYTES }) ?? "[]") as RunSummary[];
  } catch {
    return [];
  }
}

function summaryOf(run: AnyRunRecord): RunSummary {
  if (isChaosRecord(run)) {
    const c = run.chaos;
    return {
      runId: run.runId,
      kind: "chaos",
      scenario: "chaos",
      // The handler alone for an anti-pattern: the history's line is narrow.
      title: `Chaos run: ${c.target.replace(/^PaymentAntiPatterns\//, "")}`,
      verdict: c.verdict,
      requests: c.requests.length,
      charges: c.payments.reduce((n, p) => n + p.charges, 0),
      finishedAt: run.finishedAt,
      seed: c.seed,
    };
  }
  return {
    runId: run.runId,
    scenario: run.result.id,
    title: run.result.title,
    verdict: run.result.verdict,
    requests: run.result.requests,
    charges: run.result.charges,
    finishedAt: run.finishedAt,
    ...(run.score ? { score: { correct: run.score.correct, of: run.score.of } } : {}),
    ...(run.result.incomplete ? { ended: run.result.incomplete.reason === STOPPED_BY_LEARNER ? "stopped" : "cut short" } : {}),
  };
}

function indexFile(workspace: string): string {
  return join(dir(workspace), "index.json");
}

/** The runs' JSON files, newest first; `packed`: their packed copies (.json.gz) too. */
function listFiles(workspace: string, packed = false): string[] {
  const name = packed ? /^\d+-[A-Za-z0-9-]+\.json(\.gz)?$/ : /^\d+-[A-Za-z0-9-]+\.json$/;
  try {
    return readdirSync(dir(workspace))
      .filter((f) => name.test(f))
      .sort()
      .reverse();
  } catch {
    return [];
  }
}
