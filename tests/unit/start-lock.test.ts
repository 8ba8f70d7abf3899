// The start lock and the running-replay records: who holds them, what a dead holder leaves, and
// what a link or a stranger's file in their place does (nothing is followed or trusted).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LabError } from "../../src/lab/errors.js";
import { ownStamp } from "../../src/lab/live-process.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { poll } from "../../src/lab/poll.js";
import { markReplayRunning, runningReplays } from "../../src/lab/replay/running.js";
import { pool } from "../../src/lab/replay/send.js";
import { acquireStartLock, startLockHolder } from "../../src/lab/start-lock.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "lock-test-"));
  made.push(dir);
  return workspacePaths(dir);
}

/** A pid that was alive a moment ago and is not now. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

const lock = (pid: number, started: string | null, action = "start", since = new Date()) =>
  JSON.stringify({ pid, started, token: "a".repeat(32), action, since: since.toISOString() });
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

describe("the start lock", () => {
  it("is taken, held, and released; a second caller waits for the release", async () => {
    const paths = workspace();
    const first = await acquireStartLock(paths, "start");
    expect(startLockHolder(paths)).toMatchObject({ pid: process.pid, action: "start" });
    const waits: number[] = [];
    const second = acquireStartLock(paths, "start", { onWait: (h) => waits.push(h.pid) });
    await poll(() => waits.length > 0, { what: "the second caller to wait", everyMs: 10, timeoutMs: 10_000 });
    expect(waits).toEqual([process.pid]);
    expect(JSON.parse(readFileSync(paths.startLock, "utf8"))).toMatchObject({ action: "start" }); // still the first's
    first.release();
    (await second).release();
    expect(existsSync(paths.startLock)).toBe(false);
  });

  it("a stop asks the start that holds it to give up; the request goes with the release", async () => {
    const paths = workspace();
    const start = await acquireStartLock(paths, "start");
    const stopping = acquireStartLock(paths, "stop");
    await poll(() => start.stopRequested(), { what: "the stop request", everyMs: 10, timeoutMs: 10_000 });
    start.release();
    (await stopping).release();
    expect(existsSync(paths.stopRequest)).toBe(false);
  });

  it("a stop request written for a start that has just let go is gone once the next caller holds the lock", async () => {
    // The race seen in CI: `down` read the start's lock, the start released it (and its request),
    // then `down` wrote its request for that start anyway, and nothing removed it.
    const paths = workspace();
    const start = await acquireStartLock(paths, "start");
    start.release();
    writeFileSync(paths.stopRequest, "0123456789abcdef0123456789abcdef");
    const stop = await acquireStartLock(paths, "stop");
    expect(existsSync(paths.stopRequest)).toBe(false);
    stop.release();
    expect(readdirSync(paths.lab)).toEqual([]);
  });

  it.each([
    ["whose process is gone", () => lock(deadPid(), null)],
    ["whose pid now belongs to a process started at another time", () => lock(process.pid, "1")],
    ["that is not a lock this lab wrote", () => "garbage"],
    // Forged: pid 1 always runs; without its start time (readable here) the stamp is not believed.
    ["naming pid 1 with no start time", () => lock(1, null)],
    ["naming a live process, start time right, held for over half an hour", () => lock(process.pid, ownStamp().started, "start", minutesAgo(31))],
    ["dated in the future", () => lock(process.pid, ownStamp().started, "start", new Date(Date.now() + 3_600_000))],
  ])("a lock %s is broken and taken", async (_name, content) => {
    const paths = workspace();
    mkdirSync(paths.lab, { recursive: true });
    writeFileSync(paths.startLock, content());
    const held = await acquireStartLock(paths, "start", { timeoutMs: 5000 });
    expect(JSON.parse(readFileSync(paths.startLock, "utf8"))).toMatchObject({ pid: process.pid });
    held.release();
    expect(readdirSync(paths.lab).filter((f) => f.includes("stale"))).toEqual([]);
  });

  it("a lock held past the deadline: an error naming the holder and the file, and the lock left alone", async () => {
    const paths = workspace();
    mkdirSync(paths.lab, { recursive: true });
    const { started } = ownStamp();
    writeFileSync(paths.startLock, lock(process.pid, started));
    const error = await acquireStartLock(paths, "start", { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toMatch(new RegExp(`Another start of this lab \\(pid ${process.pid}`));
    expect((error as LabError).fix).toContain(paths.startLock);
    expect(existsSync(paths.startLock)).toBe(true);
  });

  it("a link in the lock's place is refused, not followed", async () => {
    const paths = workspace();
    mkdirSync(paths.lab, { recursive: true });
    const elsewhere = join(paths.workspace, "elsewhere");
    writeFileSync(elsewhere, "keep");
    symlinkSync(elsewhere, paths.startLock);
    await expect(acquireStartLock(paths, "start")).rejects.toMatchObject({ code: "unsafe-path" });
    expect(readFileSync(elsewhere, "utf8")).toBe("keep");
  });
});

describe("running replays", () => {
  it("are listed while they run and gone when they end; a record whose process died is removed", () => {
    const paths = workspace();
    const done = markReplayRunning(paths.workspace, "concurrent-burst");
    expect(runningReplays(paths.workspace)).toEqual([expect.objectContaining({ pid: process.pid, scenario: "concurrent-burst" })]);
    done();
    expect(runningReplays(paths.workspace)).toEqual([]);

    const stale = join(paths.replays, `${"b".repeat(32)}.json`);
    writeFileSync(stale, JSON.stringify({ pid: deadPid(), started: null, scenario: "x", since: new Date().toISOString() }));
    writeFileSync(join(paths.replays, "notes.txt"), "not a record");
    expect(runningReplays(paths.workspace)).toEqual([]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(join(paths.replays, "notes.txt"))).toBe(true);
  });

  it("a forged record (pid 1 with no start time) or one older than two hours is not a running replay", () => {
    const paths = workspace();
    mkdirSync(paths.replays, { recursive: true });
    const forged = join(paths.replays, `${"c".repeat(32)}.json`);
    const old = join(paths.replays, `${"d".repeat(32)}.json`);
    writeFileSync(forged, JSON.stringify({ pid: 1, started: null, scenario: "x", since: new Date().toISOString() }));
    writeFileSync(old, JSON.stringify({ ...ownStamp(), scenario: "x", since: minutesAgo(121).toISOString() }));
    expect(runningReplays(paths.workspace)).toEqual([]);
  });
});

describe("pool", () => {
  it("starts no task once its signal aborts, and returns the tasks that started", async () => {
    const abort = new AbortController();
    const results = await pool(
      100,
      4,
      async (i) => {
        if (i === 10) abort.abort();
        await new Promise((r) => setTimeout(r, 1));
        return i;
      },
      abort.signal,
    );
    expect(results.length).toBeLessThan(100);
    expect(results).toEqual(Array.from({ length: results.length }, (_, i) => i));
  });
});
