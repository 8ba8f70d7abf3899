// The shrink search over a failing chaos run, with a runner made of a rule instead of a lab: which
// configurations fail is known, so the smallest one the search keeps can be checked.
import { describe, expect, it } from "vitest";
import type { ChaosResult } from "../../src/shared/chaos-result.js";
import { reproduceCommand, shrink, stillFails, type ShrinkConfig } from "../../src/lab/chaos/shrink.js";
import { startConfig } from "../../src/lab/chaos/shrink-run.js";
import { parseCommandLine, SHRINK_RUNS } from "../../src/cli/args.js";

const START: ShrinkConfig = { seed: 7, target: "PaymentService", payments: 20, duplicates: 4, durationS: 20, faults: [0, 1, 2, 3, 4, 5, 6, 7] };

function result(c: ShrinkConfig, broken: string[], stopped = false): ChaosResult {
  return {
    kind: "chaos",
    seed: c.seed,
    target: c.target,
    options: { payments: c.payments, duplicates: c.duplicates, durationS: c.durationS },
    startedAt: "2026-12-06T10:00:00.000Z",
    durationMs: 1000,
    schedule: [],
    requests: [],
    payments: [],
    invariants: [],
    violations: broken.map((invariant) => ({
      invariant,
      paymentId: `chaos-${c.seed}-ab-0`,
      summary: "",
      history: { requests: [], faults: [], attempts: [], ledger: [] },
    })),
    verdict: broken.length > 0 ? "unsafe" : "safe",
    expectedVerdict: "safe",
    stopped,
  };
}

/** A runner where the run fails when it has at least `payments` payments and every fault of `needs`. */
function rule(payments: number, needs: number[], invariant = "charged exactly once") {
  const calls: ShrinkConfig[] = [];
  const run = async (c: ShrinkConfig) => {
    calls.push(c);
    return result(c, c.payments >= payments && needs.every((f) => c.faults.includes(f)) ? [invariant] : []);
  };
  return { run, calls };
}

describe("shrink", () => {
  it("keeps the smallest run that still fails: the fewest payments, then only the faults it needs", async () => {
    const { run, calls } = rule(3, [2, 5]);
    const out = await shrink(START, result(START, ["charged exactly once"]), run, { maxRuns: 100 });
    expect(out.smallest).toEqual({ ...START, payments: 3, faults: [2, 5] });
    expect(out.cutShort).toBe(false);
    expect(out.tried).toHaveLength(calls.length);
    // Every run is from the same seed and options; only the payments and the faults change.
    for (const c of calls) expect({ ...c, payments: 0, faults: [] }).toEqual({ ...START, payments: 0, faults: [] });
    expect(stillFails(out.smallestResult, out.invariants)).toBe(true);
  });

  it("drops every fault when the run fails without any, and keeps the first run when no smaller one fails", async () => {
    const none = await shrink(START, result(START, ["one answer per key"]), rule(1, [], "one answer per key").run, { maxRuns: 100 });
    expect(none.smallest).toEqual({ ...START, payments: 1, faults: [] });
    const only = await shrink(START, result(START, ["charged exactly once"]), rule(20, [0, 1, 2, 3, 4, 5, 6, 7]).run, { maxRuns: 100 });
    expect(only.smallest).toEqual(START);
  });

  it("counts only a break of the same invariants, and not a stopped run", async () => {
    const other = async (c: ShrinkConfig) => result(c, c.payments < 20 ? ["no request lost"] : ["charged exactly once"]);
    expect((await shrink(START, result(START, ["charged exactly once"]), other, { maxRuns: 100 })).smallest.payments).toBe(20);
    const stopped = async (c: ShrinkConfig) => result(c, ["charged exactly once"], c.payments < 20);
    expect((await shrink(START, result(START, ["charged exactly once"]), stopped, { maxRuns: 100 })).smallest.payments).toBe(20);
  });

  it("stops at its budget of runs and says the search was cut short", async () => {
    const { run, calls } = rule(3, [2, 5]);
    const out = await shrink(START, result(START, ["charged exactly once"]), run, { maxRuns: 4 });
    expect(calls).toHaveLength(4);
    expect(out.cutShort).toBe(true);
    // What it kept still failed when it ran.
    expect(out.smallest.payments).toBeGreaterThanOrEqual(3);
    expect(out.smallest.payments).toBeLessThan(20);
  });

  it("refuses a run that broke nothing", async () => {
    await expect(shrink(START, result(START, []), rule(1, []).run, { maxRuns: 5 })).rejects.toThrow(/nothing to shrink/);
  });

  it("names the command line that runs the smallest one again", () => {
    expect(reproduceCommand("/tmp/my lab", { ...START, payments: 3, faults: [2, 5] }, 8)).toBe(
      "idempotency-lab chaos '/tmp/my lab' --seed 7 --payments 3 --duplicates 4 --duration 20 --target PaymentService --faults 2,5",
    );
    expect(reproduceCommand("/tmp/lab", START, 8)).toBe(
      "idempotency-lab chaos /tmp/lab --seed 7 --payments 20 --duplicates 4 --duration 20 --target PaymentService",
    );
    expect(reproduceCommand("/tmp/lab", { ...START, faults: [] }, 8)).toContain("--faults none");
  });
});

describe("startConfig", () => {
  it("starts from the finished run's options and the faults it applied", () => {
    const fault = (index: number) => ({ index, kind: "lost-answer" as const, atMs: index * 100, durationMs: 0, amount: 1, applied: null });
    const first = { ...result(START, ["charged exactly once"]), schedule: [0, 3, 5].map(fault) };
    expect(startConfig(first)).toEqual({ ...START, faults: [0, 3, 5] });
    expect(startConfig(first, [3])).toEqual({ ...START, faults: [3] });
  });
});

describe("the CLI's chaos --faults and --shrink", () => {
  const parse = (...args: string[]) => parseCommandLine(["chaos", "/tmp/lab", "--seed", "7", ...args], {});
  it("takes the faults to apply, none, and a shrink budget", () => {
    expect(parse("--faults", "5,2,2")).toMatchObject({ ok: true, run: { command: "chaos", faults: [2, 5] } });
    expect(parse("--faults", "none")).toMatchObject({ ok: true, run: { faults: [] } });
    expect(parse("--shrink")).toMatchObject({ ok: true, run: { shrinkRuns: SHRINK_RUNS.default } });
    expect(parse("--shrink", "--shrink-runs", "3")).toMatchObject({ ok: true, run: { shrinkRuns: 3 } });
    const plain = parse();
    expect(plain.ok && plain.run.command === "chaos" && plain.run.shrinkRuns === undefined && plain.run.faults === undefined).toBe(true);
  });
  it("refuses a malformed list, a budget without --shrink, and one out of range", () => {
    for (const bad of [
      ["--faults", "1,,2"],
      ["--faults", "x"],
      ["--shrink-runs", "3"],
      ["--shrink", "--shrink-runs", "0"],
      ["--shrink", "--shrink-runs", "101"],
    ])
      expect(parse(...bad)).toMatchObject({ ok: false, exitCode: 2 });
  });
});
