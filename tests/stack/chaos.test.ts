// The final exam against a real lab: a seeded chaos run (gateway latency, lost answers, failing
// calls, a killed service, a restarted restate-server) that PaymentService passes, and that
// finds the charge-outside-run anti-pattern's double charge with a short history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chaos } from "../../src/lab/chaos/chaos.js";
import { schedule } from "../../src/lab/chaos/plan.js";
import { describeChaos } from "../../src/lab/chaos/report.js";
import { listRuns, loadRecord } from "../../src/lab/history.js";
import { isChaosRecord } from "../../src/shared/chaos-record.js";
import { up } from "../../src/lab/stack.js";
import { cleanUpLabs, newLab, runCliAsync } from "./helpers.js";

let workspace: string;
beforeAll(async () => {
  workspace = newLab();
  await up(workspace, { ports: { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 } });
});
afterAll(cleanUpLabs);

describe("the chaos run", () => {
  it("PaymentService keeps every promise under seed 7's faults, restate-server restart included", async () => {
    const result = await chaos(workspace, { seed: 7, payments: 15, duplicates: 4, durationS: 20 });
    console.log(describeChaos(result));
    expect(
      result.schedule.every((f) => f.applied?.ok),
      JSON.stringify(result.schedule),
    ).toBe(true);
    expect(result.schedule.some((f) => f.kind === "restate-kill")).toBe(true);
    expect(result.invariants.filter((i) => !i.holds)).toEqual([]);
    expect(result.verdict).toBe("safe");
    // Every payment was answered, and charged once (not merely "at most once").
    expect(result.payments.map((p) => p.charges)).toEqual(result.payments.map(() => 1));
  });

  it("the charge-outside-run anti-pattern: a double charge found, and its history is a few requests", async () => {
    const result = await chaos(workspace, { seed: 7, payments: 15, duplicates: 4, durationS: 20, target: "PaymentAntiPatterns/chargeOutsideRun" });
    console.log(describeChaos(result));
    expect(result.verdict).toBe("unsafe");
    const double = result.violations.find((v) => v.invariant === "charged exactly once");
    expect(double, JSON.stringify(result.invariants)).toBeDefined();
    expect(double!.history.ledger.filter((e) => e.type === "charge").length).toBeGreaterThanOrEqual(2);
    expect(double!.history.requests.length).toBeLessThanOrEqual(4);
    // Each double charge shows its cause in its history: Restate's own record of the handler running
    // more than once, or a restate-server restart (Restate does not record an attempt its own crash cut short).
    for (const v of result.violations.filter((x) => x.invariant === "charged exactly once")) {
      const ranAgain = v.history.attempts.some((i) => i.attempts.length > 1);
      const restarted = v.history.faults.some((f) => f.kind === "restate-kill");
      expect(ranAgain || restarted, JSON.stringify(v)).toBe(true);
    }
  });

  // Short runs (5 s: no restate-server restart in the plan) run twice: the CLI's part is the plan and the exit code.
  it("from the CLI: the plan is printed before the run, the same seed prints the same plan, and the exit code follows the verdict", async () => {
    const args = ["chaos", workspace, "--seed", "11", "--payments", "4", "--duplicates", "2", "--duration", "5"];
    const first = await runCliAsync(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Verdict: safe/);
    const plan = (stderr: string) => stderr.split("\n").filter((l) => /^› {3}#\d+ \s*\d+\.\d s {2}/.test(l));
    // Every fault of the seed's schedule, one line each (a 5 s run has two).
    expect(plan(first.stderr)).toHaveLength(schedule({ seed: 11, payments: 4, duplicates: 2, durationS: 5, processFaults: true }).length);
    expect(plan(first.stderr).length).toBeGreaterThanOrEqual(2);
    // The CLI's run is kept in the history the panel lists, whole (the record the panel reopens).
    const kept = listRuns(workspace).filter((r) => r.kind === "chaos" && r.seed === 11);
    expect(kept.length, JSON.stringify(kept)).toBeGreaterThanOrEqual(1);
    const record = loadRecord(workspace, kept[0]!.runId);
    expect(record && isChaosRecord(record) ? record.chaos.seed : null).toBe(11);
    expect(first.stderr).toContain(`run ${kept[0]!.runId}`);
    const again = await runCliAsync(args);
    expect(plan(again.stderr)).toEqual(plan(first.stderr));
    const bad = await runCliAsync(["chaos", workspace, "--payments", "0"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/payments must be a whole number from 1 to 500/);
  }, 300_000);
});
