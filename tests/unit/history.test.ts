import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { listRuns, loadRecord, loadRecordPacked, loadRun, MAX_HISTORY, saveRun } from "../../src/lab/history.js";
import { runSummaryProblem, STOPPED_BY_LEARNER } from "../../src/shared/protocol.js";
import type { RunRecord } from "../../src/shared/protocol.js";
import { chaosRecord } from "./webview/chaos-fixtures.js";

function record(i: number): RunRecord {
  return {
    runId: `run${i}`,
    request: { scenario: "duplicates-in-a-row" },
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    conceptsSection: "idempotency-keys",
    result: { id: "duplicates-in-a-row", title: "Duplicates in a row", verdict: "safe", requests: i, charges: 1 } as RunRecord["result"],
  };
}

describe("run history", () => {
  it("lists the most recent first, reopens runs, and keeps at most MAX_HISTORY", () => {
    const workspace = mkdtempSync(join(tmpdir(), "history-"));
    for (let i = 1; i <= MAX_HISTORY + 5; i++) saveRun(workspace, record(i));
    const runs = listRuns(workspace);
    expect(runs).toHaveLength(MAX_HISTORY);
    expect(runs[0]).toMatchObject({ runId: `run${MAX_HISTORY + 5}`, verdict: "safe", requests: MAX_HISTORY + 5 });
    expect(loadRun(workspace, "run1")).toBeUndefined();
    expect(loadRun(workspace, `run${MAX_HISTORY}`)?.result.requests).toBe(MAX_HISTORY);
    const files = readdirSync(join(workspace, ".lab", "history"));
    expect(files.filter((f) => f.endsWith(".json") && f !== "index.json")).toHaveLength(MAX_HISTORY);
    // Each run's packed copy goes with it.
    expect(files.filter((f) => f.endsWith(".json.gz")).sort()).toEqual(
      files
        .filter((f) => f.endsWith(".json") && f !== "index.json")
        .map((f) => `${f}.gz`)
        .sort(),
    );
    expect(loadRun(workspace, "../../etc/passwd")).toBeUndefined();
  });

  it("keeps each run's JSON packed beside it, for the panel, and uses that copy only while it goes with the JSON", () => {
    const workspace = mkdtempSync(join(tmpdir(), "history-"));
    const dir = join(workspace, ".lab", "history");
    saveRun(workspace, record(1));
    saveRun(workspace, record(2));
    const fileOf = (runId: string) =>
      join(
        dir,
        readdirSync(dir).find((f) => f.endsWith(`-${runId}.json`))!,
      );
    expect(gunzipSync(loadRecordPacked(workspace, "run1")!).toString("utf8")).toBe(readFileSync(fileOf("run1"), "utf8"));
    // The JSON edited since, to the same size or another: the copy no longer goes with it, and the JSON is read instead.
    const sameSize = readFileSync(fileOf("run1"), "utf8").replace('"requests":1', '"requests":7');
    expect(sameSize).not.toBe(readFileSync(fileOf("run1"), "utf8"));
    expect(sameSize.length).toBe(readFileSync(fileOf("run1"), "utf8").length);
    writeFileSync(fileOf("run1"), sameSize);
    const later = new Date(Date.now() + 5_000);
    utimesSync(fileOf("run1"), later, later);
    expect(loadRecordPacked(workspace, "run1")).toBeUndefined();
    writeFileSync(fileOf("run1"), JSON.stringify({ ...record(1), edited: true }));
    utimesSync(`${fileOf("run1")}.gz`, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    expect(loadRecordPacked(workspace, "run1")).toBeUndefined();
    // No copy (a run an older lab saved): the same.
    rmSync(`${fileOf("run2")}.gz`);
    expect(loadRecordPacked(workspace, "run2")).toBeUndefined();
    expect(loadRecordPacked(workspace, "no-such-run")).toBeUndefined();
    expect(loadRecordPacked(workspace, "../../etc/passwd")).toBeUndefined();
    // A link in the copy's place is refused, as in the JSON's.
    symlinkSync("/etc/hostname", `${fileOf("run2")}.gz`);
    expect(() => loadRecordPacked(workspace, "run2")).toThrow(/link/);
  });

  it("keeps a run's prediction and score, and its summary carries the score", () => {
    const workspace = mkdtempSync(join(tmpdir(), "history-"));
    const run = {
      ...record(1),
      prediction: { charges: 2 },
      score: { parts: [{ part: "charges" as const, predicted: 2, observed: 1, correct: false }], correct: 0, of: 1 },
    };
    saveRun(workspace, record(2));
    saveRun(workspace, run);
    expect(listRuns(workspace).find((r) => r.runId === "run1")).toMatchObject({ score: { correct: 0, of: 1 } });
    expect(listRuns(workspace).find((r) => r.runId === "run2")).not.toHaveProperty("score");
    expect(loadRun(workspace, "run1")).toMatchObject({ prediction: { charges: 2 }, score: { correct: 0, of: 1 } });
  });

  it("marks a run that ended before its plan: stopped by the learner, or cut short by the lab", () => {
    const workspace = mkdtempSync(join(tmpdir(), "history-"));
    const partial = (i: number, reason: string): RunRecord => {
      const r = record(i);
      return { ...r, result: { ...r.result, verdict: "unexpected", incomplete: { reason, planned: 10, sent: i, answered: i } } };
    };
    saveRun(workspace, record(1));
    saveRun(workspace, partial(2, STOPPED_BY_LEARNER));
    saveRun(workspace, partial(3, "the lab stopped during the run"));
    const ended = Object.fromEntries(listRuns(workspace).map((r) => [r.runId, r.ended]));
    expect(ended).toEqual({ run1: undefined, run2: "stopped", run3: "cut short" });
    for (const r of listRuns(workspace)) expect(runSummaryProblem(r)).toBeNull();
    expect(runSummaryProblem({ ...listRuns(workspace)[0], ended: "done" })).toMatch(/neither "stopped" nor "cut short"/);
  });

  it("keeps a chaos run beside the scenario runs: its summary has the kind, the seed, the verdict and the ledger's charges", () => {
    const workspace = mkdtempSync(join(tmpdir(), "history-"));
    const chaos = chaosRecord("chaos1", "anti");
    saveRun(workspace, record(1));
    saveRun(workspace, chaos);
    expect(listRuns(workspace)[0]).toEqual({
      runId: "chaos1",
      kind: "chaos",
      scenario: "chaos",
      title: "Chaos run: chargeOutsideRun",
      verdict: "unsafe",
      requests: chaos.chaos.requests.length,
      charges: chaos.chaos.payments.reduce((n, p) => n + p.charges, 0),
      finishedAt: chaos.finishedAt,
      seed: 7,
    });
    expect(loadRecord(workspace, "chaos1")).toEqual(chaos);
    expect(loadRun(workspace, "chaos1"), "loadRun gives scenario runs only").toBeUndefined();
    expect(loadRecord(workspace, "run1")).toMatchObject({ runId: "run1" });
  });
});
