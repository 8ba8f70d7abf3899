import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectState } from "../../src/lab/state.js";

const valid = {
  version: 2,
  phase: "ready",
  detail: "ready",
  runToken: "0123456789abcdef0123456789abcdef",
  pids: { supervisor: 12345 },
  serviceRestarts: 0,
  updatedAt: "2026-11-30T20:00:00.000Z",
};

function inspect(state: unknown) {
  const file = join(mkdtempSync(join(tmpdir(), "state-")), "stack.json");
  writeFileSync(file, JSON.stringify(state));
  return inspectState(file);
}

describe("the start-up moments in the state file", () => {
  it("are read back when each is a known moment and a time in ms", () => {
    const startupMs = { portsChosen: 40, compiled: 120, restateHealthy: 400, registered: 520 };
    expect(inspect({ ...valid, startupMs })).toEqual({ kind: "ok", state: { ...valid, startupMs } });
  });

  it.each([
    [{ somethingElse: 3 }, /unknown start-up mark "somethingElse"/],
    [{ compiled: -1 }, /startupMs.compiled is not a time in ms/],
    [{ compiled: "soon" }, /startupMs.compiled is not a time in ms/],
    [[1, 2], /startupMs is not an object/],
  ])("refuse the file, saying why, when they hold %j", (startupMs, why) => {
    const read = inspect({ ...valid, startupMs });
    expect(read.kind).toBe("invalid");
    expect((read as { problem: string }).problem).toMatch(why);
  });
});

describe("the steps of a start in the state file", () => {
  it("are read back when each is a short text", () => {
    const steps = ["choosing ports", "registering the service", "ready"];
    expect(inspect({ ...valid, steps })).toEqual({ kind: "ok", state: { ...valid, steps } });
  });

  it.each([
    ["not a list", /steps is not a list/],
    [Array.from({ length: 33 }, () => "again"), /steps is not a list of at most 32/],
    [["choosing ports", 7], /steps holds something that is not a short text/],
    [["x".repeat(1001)], /steps holds something that is not a short text/],
  ])("refuse the file, saying why, when they are %j", (steps, why) => {
    const read = inspect({ ...valid, steps });
    expect(read.kind).toBe("invalid");
    expect((read as { problem: string }).problem).toMatch(why);
  });
});
