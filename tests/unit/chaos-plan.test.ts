// A chaos run's plan comes from its seed alone: the same seed, the same faults and workload.
import { describe, expect, it } from "vitest";
import { checkChaosOptions } from "../../src/lab/chaos/chaos.js";
import { schedule, workload } from "../../src/lab/chaos/plan.js";

const options = (seed: number) => ({ seed, payments: 15, duplicates: 4, durationS: 20, processFaults: true });

describe("a chaos run's plan", () => {
  it("is the same for the same seed, and differs for another", () => {
    expect(schedule(options(7))).toEqual(schedule(options(7)));
    expect(workload(options(7))).toEqual(workload(options(7)));
    expect(schedule(options(8))).not.toEqual(schedule(options(7)));
  });

  it("holds every kind of fault the exam promises, one restate-server restart, and a quiet end", () => {
    const kinds = new Set(schedule(options(7)).map((f) => f.kind));
    expect([...kinds].sort()).toEqual(["failing-calls", "gateway-latency", "lost-answer", "restate-kill", "service-kill"]);
    expect(schedule(options(7)).filter((f) => f.kind === "restate-kill")).toHaveLength(1);
    expect(Math.max(...schedule(options(7)).map((f) => f.atMs + f.durationMs))).toBeLessThanOrEqual(20_000 * 0.8 + 3000);
    // Without the lab's own processes, no process faults.
    expect(schedule({ ...options(7), processFaults: false }).some((f) => f.kind === "service-kill" || f.kind === "restate-kill")).toBe(false);
  });

  it("sends every payment a keyed create first, then its duplicates", () => {
    const requests = workload(options(7));
    for (let p = 0; p < 15; p++) {
      const own = requests.filter((r) => r.payment === p);
      expect(own).toHaveLength(4);
      expect(own[0]).toMatchObject({ handler: "create", keyed: true });
    }
  });

  it("refuses options out of range, naming them", () => {
    expect(() => checkChaosOptions({ payments: 0 })).toThrow(/payments must be a whole number from 1 to 500/);
    expect(() => checkChaosOptions({ duplicates: 1 })).toThrow(/duplicates must be a whole number from 2 to 20/);
    expect(() => checkChaosOptions({ target: "Nope" })).toThrow(/Unknown chaos target "Nope"/);
    expect(checkChaosOptions({ seed: 3 })).toMatchObject({ seed: 3, payments: 20, duplicates: 4, durationS: 20, target: "PaymentService" });
  });
});
