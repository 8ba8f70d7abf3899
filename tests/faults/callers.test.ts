// The faults suite's rows for callers that overlap: two starts at once (the CLI and the extension,
// a double click), a stop during a start and a start during a stop, Reset Lab State during a
// replay, and Stop Lab during a 10,000-request replay. Real processes, real npm ci, real races.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { LabError } from "../../src/lab/errors.js";
import { loadRun } from "../../src/lab/history.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { poll } from "../../src/lab/poll.js";
import { findProcesses } from "../../src/lab/processes.js";
import { replay } from "../../src/lab/replay/replay.js";
import { runningReplays } from "../../src/lab/replay/running.js";
import { resetLab } from "../../src/lab/reset.js";
import { down, status, up, type RunningStack } from "../../src/lab/stack.js";
import { readState } from "../../src/lab/state.js";
import { cleanUpLabs, newLab, runCliAsync, spawnCli } from "../stack/helpers.js";
import { Table } from "./table.js";

const table = new Table();
const ANY_PORTS = { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 };

afterAll(async () => {
  table.print();
  await cleanUpLabs();
});

/** Processes working in the lab's folder (npm ci among them) or naming it on their command line. */
function running(lab: string): number[] {
  const inLab = readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
    .filter((e) => {
      try {
        return readlinkSync(`/proc/${e}/cwd`).startsWith(lab);
      } catch {
        return false;
      }
    })
    .map(Number);
  return [...new Set([...inLab, ...findProcesses([lab])])];
}

/** The lab's own bookkeeping of a start or stop in progress, which must be gone once both are done. */
function locksLeft(lab: string): string[] {
  const paths = workspacePaths(lab);
  return [paths.startLock, paths.stopRequest].filter((f) => existsSync(f));
}

describe("two callers on one lab", () => {
  // One lab with no packages yet: the first start runs npm ci, which is when a second caller used to fail.
  const lab = newLab({ installed: false });

  it("Stop during the first start's npm ci: the start gives up, npm is stopped, nothing is left", async () => {
    const messages: string[] = [];
    let installing!: () => void;
    const installStarted = new Promise<void>((resolve) => (installing = resolve));
    const starting = up(lab, {
      ports: ANY_PORTS,
      onProgress: (m) => {
        messages.push(m);
        if (m.startsWith("Installing")) installing();
      },
    }).catch((err: unknown) => err);
    await installStarted;
    const stop = await runCliAsync(["down", lab]);
    const error = await starting;
    const observed = {
      startGaveUp: error instanceof LabError && error.code === "start-stopped" && /stopped while it was starting/.test(error.message),
      downSays: /Stopped the lab in .* while it was starting/.test(stop.stdout),
      downExit: stop.code,
      leftRunning: running(lab),
      locksLeft: locksLeft(lab),
      installAgainNextTime: existsSync(workspacePaths(lab).installing),
    };
    const expected = { startGaveUp: true, downSays: true, downExit: 0, leftRunning: [], locksLeft: [], installAgainNextTime: true };
    table.add("concurrency", "`down` (CLI) during a start's npm ci", expected, observed);
    expect(observed, `${String(error)}\n${stop.stdout}${stop.stderr}`).toEqual(expected);
  });

  it("three starts at once (the CLI, a window, a double click) while npm ci runs: one stack, all three ready", async () => {
    const progress: string[][] = [[], []];
    const cli = runCliAsync(["up", lab, "--detach", "--json", "--ingress-port", "0", "--admin-port", "0", "--gateway-port", "0", "--service-port", "0"]);
    const inProcess = progress.map((lines) => up(lab, { ports: ANY_PORTS, onProgress: (m) => lines.push(m) }).catch((err: unknown) => err));
    const [fromCli, ...fromHere] = await Promise.all([cli, ...inProcess]);
    const stacks = fromHere.filter((s): s is RunningStack => !(s instanceof Error));
    const cliStack = fromCli.code === 0 ? (JSON.parse(fromCli.stdout) as { pids: RunningStack["pids"]; adopted: boolean }) : null;
    const all = [...stacks, ...(cliStack ? [cliStack] : [])];
    const installs = [...progress.flat(), ...fromCli.stderr.split("\n")].filter((l) => l.includes("Installing the lab's packages")).length;
    const observed = {
      ready: all.length,
      startedFresh: all.filter((s) => !s.adopted).length,
      oneSupervisor: new Set(all.map((s) => s.pids.supervisor)).size,
      installs,
      restateServers: findProcesses(["restate-server", workspacePaths(lab).restateData]).length,
      healthy: (await status(lab)).state === "ready",
    };
    const expected = { ready: 3, startedFresh: 1, oneSupervisor: 1, installs: 1, restateServers: 1, healthy: true };
    table.add("concurrency", "3 starts at once during npm ci (CLI + 2 in-process)", expected, observed);
    expect(observed, `${fromHere.map(String).join("\n")}\n${fromCli.stderr}`).toEqual(expected);
    await down(lab);
  });
});

describe("stops, starts and resets that overlap", () => {
  it("a start during a stop: it waits for the stop, then starts a fresh lab", async () => {
    const lab = newLab();
    const first = await up(lab, { ports: ANY_PORTS });
    const messages: string[] = [];
    const stopping = down(lab);
    const second = await up(lab, { ports: ANY_PORTS, onProgress: (m) => messages.push(m) });
    await stopping;
    const observed = {
      waited: messages.some((m) => /Another stop of this lab is in progress/.test(m)),
      fresh: !second.adopted && second.pids.supervisor !== first.pids.supervisor,
      oldGone: !findProcesses([lab]).includes(first.pids.supervisor),
      ready: (await status(lab)).state,
    };
    const expected = { waited: true, fresh: true, oldGone: true, ready: "ready" };
    table.add("concurrency", "`up` while a `down` runs", expected, observed);
    expect(observed).toEqual(expected);
    await down(lab);
  });

  it("Reset Lab State during a replay (the CLI's): refused, nothing stopped or deleted, the replay completes", async () => {
    const lab = newLab();
    await up(lab, { ports: ANY_PORTS });
    const paths = workspacePaths(lab);
    const cli = runCliAsync(["replay", lab, "--scenario", "concurrent-burst", "--count", "3000", "--concurrency", "50", "--json"]);
    await poll(() => runningReplays(lab).length > 0, { what: "the CLI's replay to begin", everyMs: 50, timeoutMs: 60_000 });
    const ledgerBefore = readFileSync(paths.ledger, "utf8");
    const restateBefore = statSync(paths.restateData).ino;
    const refusal = await resetLab(lab).catch((err: unknown) => err);
    const replayed = await cli;
    const result =
      replayed.code === 0
        ? (JSON.parse(replayed.stdout) as { scenarios: Array<{ verdict: string; requests: number; incomplete?: unknown }> }).scenarios[0]
        : undefined;
    const observed = {
      refused: refusal instanceof LabError && refusal.code === "replay-running",
      says:
        refusal instanceof Error &&
        /A replay is running in this lab \(concurrent-burst, pid \d+/.test(refusal.message) &&
        /Nothing was stopped or deleted/.test(refusal.message),
      restateDataKept: existsSync(paths.restateData) && statSync(paths.restateData).ino === restateBefore,
      ledgerKept: readFileSync(paths.ledger, "utf8").startsWith(ledgerBefore),
      labStillReady: (await status(lab)).state,
      replay: result ? { verdict: result.verdict, requests: result.requests, incomplete: result.incomplete !== undefined } : replayed.stderr,
      markersLeft: runningReplays(lab).length,
    };
    const expected = {
      refused: true,
      says: true,
      restateDataKept: true,
      ledgerKept: true,
      labStillReady: "ready",
      replay: { verdict: "safe", requests: 3000, incomplete: false },
      markersLeft: 0,
    };
    table.add("concurrency", "Reset Lab State during a replay", expected, observed);
    expect(observed, String(refusal)).toEqual(expected);

    // Once the replay is over the same reset goes through.
    const reset = await resetLab(lab);
    expect(reset.deleted).toEqual([paths.restateData, paths.ledger]);
    expect(existsSync(paths.restateData)).toBe(false);
  });

  it("Stop Lab during a 10,000-request replay: the replay ends with what it has, kept in history as incomplete; nothing left", async () => {
    const lab = newLab();
    await up(lab, { ports: ANY_PORTS });
    let answered = 0;
    const replaying = replay(lab, { scenario: "concurrent-burst", count: 10_000, concurrency: 100 }, { onProgress: (done) => (answered = done) });
    await poll(() => answered >= 500, { what: "500 answers", everyMs: 20, timeoutMs: 120_000 });
    const stoppedAt = performance.now();
    // As Stop Lab does: from the CLI here, another process than the replay's.
    const stop = spawnCli(["down", lab]);
    const run = await replaying;
    const endedAfterMs = Math.round(performance.now() - stoppedAt);
    await new Promise((resolve) => stop.once("exit", resolve));
    const incomplete = run.result.incomplete;
    const kept = loadRun(lab, run.runId)?.result.incomplete;
    const observed = {
      incomplete: incomplete?.reason,
      cutShort: incomplete !== undefined && incomplete.sent < 10_000 && incomplete.planned === 10_000,
      verdict: run.result.verdict,
      keptAsIncomplete: kept?.reason,
      leftRunning: running(lab),
      replayMarkers: runningReplays(lab).length,
      state: readState(workspacePaths(lab).state),
    };
    const expected = {
      incomplete: "the lab stopped during the run",
      cutShort: true,
      verdict: "unexpected",
      keptAsIncomplete: "the lab stopped during the run",
      leftRunning: [],
      replayMarkers: 0,
      state: null,
    };
    table.add(
      "concurrency",
      `Stop Lab during a 10,000-request replay (${incomplete?.sent ?? "?"} sent; ended ${endedAfterMs} ms after the stop began)`,
      expected,
      observed,
    );
    expect(observed, JSON.stringify(run.result.notes)).toEqual(expected);
  });
});
