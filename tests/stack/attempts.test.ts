// Every attempt of a handler, from Restate's own records (sys_invocation, sys_journal_events,
// sys_journal), and each ledger entry tied to the attempt that made it: against a real lab.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/lab/replay/run.js";
import { findScenario } from "../../src/lab/replay/scenarios.js";
import { localTarget, type LabTarget } from "../../src/lab/replay/target.js";
import { up } from "../../src/lab/stack.js";
import type { ScenarioResult } from "../../src/shared/run-result.js";
import { cleanUpLabs, newLab } from "./helpers.js";

let target: LabTarget;
beforeAll(async () => {
  const workspace = newLab();
  await up(workspace, { ports: { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 } });
  target = await localTarget(workspace);
});
afterAll(cleanUpLabs);

const run = (id: string) => runScenario(target, findScenario(id)!);
const only = (result: ScenarioResult) => {
  expect(result.attempts, JSON.stringify(result.notes)).toHaveLength(1);
  return result.attempts![0]!;
};

describe("attempts, as Restate recorded them", () => {
  it("charge outside ctx.run: two attempts; the first failed on the lost answer; two charges, in no journal entry", async () => {
    const result = await run("anti-pattern-charge-outside-run");
    const invocation = only(result);
    expect(invocation.attempts.map((a) => a.outcome)).toEqual(["failed", "completed"]);
    expect(invocation.attempts[0]!.error?.message).toMatch(/did not answer within/);
    expect(invocation.attempts[0]!.startedAt).not.toBeNull();
    expect(invocation.attempts[1]!.retryOf).toBe(invocation.attempts[0]!.endedAt);
    const charges = result.ledger.filter((e) => e.type === "charge").map((e) => e.id);
    expect(charges).toHaveLength(2);
    const links = result.ledgerLinks!.filter((l) => charges.includes(l.ledgerId));
    expect(links.map((l) => [l.invocationId, l.attempt])).toEqual([
      [invocation.invocationId, 1],
      [invocation.invocationId, 2],
    ]);
    // Neither charge went through ctx.run: no journal entry holds either, though the second
    // one's id reaches the journal later (the receipt step's input, the state written).
    expect(links.map((l) => l.journal)).toEqual([null, null]);
  });

  it('a lost gateway answer on the idempotent create: the first attempt failed on ctx.run "charge"; its one charge is in the journal of the retry', async () => {
    const result = await run("gateway-timeout-after-charge");
    const invocation = only(result);
    expect(invocation.attempts.map((a) => a.outcome)).toEqual(["failed", "completed"]);
    expect(invocation.attempts[0]!.error?.command).toMatchObject({ name: "charge", type: "Run" });
    const [link] = result.ledgerLinks!;
    expect(result.ledgerLinks).toHaveLength(1);
    expect(link).toMatchObject({ invocationId: invocation.invocationId, attempt: 1, journal: { name: "charge", inRun: true } });
    // Made during attempt 1, recorded by attempt 2: the gateway answered the retry with the same charge.
    const second = invocation.attempts[1]!.entries!;
    expect(link!.journal!.index).toBeGreaterThanOrEqual(second.first);
    expect(link!.journal!.index).toBeLessThanOrEqual(second.last);
  });

  it("the service killed after the charge was journaled: a failed attempt per lost connection, one charge recorded by attempt 1's ctx.run", async () => {
    const result = await run("crash-after-charge-journaled");
    const invocation = only(result);
    expect(invocation.attempts.length).toBeGreaterThanOrEqual(2);
    expect(invocation.attempts.at(-1)!.outcome).toBe("completed");
    expect(invocation.attempts.slice(0, -1).every((a) => a.outcome === "failed" && a.error !== null)).toBe(true);
    expect(result.ledgerLinks).toHaveLength(1);
    expect(result.ledgerLinks![0]).toMatchObject({ attempt: 1, journal: { name: "charge", inRun: true } });
    const first = invocation.attempts[0]!.entries!;
    expect(result.ledgerLinks![0]!.journal!.index).toBeLessThanOrEqual(first.last);
  });

  it("a crash while a slow gateway charges: the charge is tied to the attempt that asked for it, not the retry running when it was recorded", async () => {
    const drawn = await run("key-from-journal");
    expect(drawn.ledgerLinks).toEqual([expect.objectContaining({ attempt: 1, journal: expect.objectContaining({ name: "charge", inRun: true }) })]);
    const random = await run("anti-pattern-random-key");
    const links = random.ledgerLinks!;
    expect(links).toHaveLength(2);
    // Attempt 1's charge never reached the journal; the retry's is its ctx.run result (in either order in the ledger).
    const untraced = links.find((l) => l.journal === null);
    const traced = links.find((l) => l.journal !== null);
    expect(untraced).toMatchObject({ attempt: 1 });
    expect(traced!.attempt).toBeGreaterThan(1);
    expect(traced!.journal).toMatchObject({ name: "charge", inRun: true });
  });

  it("a workflow that pays through PaymentService: the charge is tied to the create invocation whose ctx.run made it", async () => {
    const result = await run("workflow-run-once");
    const create = result.attempts!.find((a) => a.target.endsWith("/create"))!;
    expect(result.ledgerLinks).toEqual([
      expect.objectContaining({ invocationId: create.invocationId, attempt: 1, journal: expect.objectContaining({ name: "charge", inRun: true }) }),
    ]);
  });

  it('duplicates in a row: one invocation, one attempt, its charge made by ctx.run "charge"', async () => {
    const result = await run("duplicates-in-a-row");
    const invocation = only(result);
    expect(invocation.attempts.map((a) => a.outcome)).toEqual(["completed"]);
    expect(result.ledgerLinks).toEqual([
      expect.objectContaining({ invocationId: invocation.invocationId, attempt: 1, journal: expect.objectContaining({ name: "charge", inRun: true }) }),
    ]);
  });
});
