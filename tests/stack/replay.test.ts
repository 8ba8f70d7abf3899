// Every scenario against one real lab: its verdict, and the charges the gateway's ledger shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns, loadRun } from "../../src/lab/history.js";
import { replay } from "../../src/lab/replay/replay.js";
import { runScenario } from "../../src/lab/replay/run.js";
import { localTarget, type LabTarget } from "../../src/lab/replay/target.js";
import { findScenario, SCENARIOS } from "../../src/lab/replay/scenarios.js";
import { up } from "../../src/lab/stack.js";
import { counted } from "../../src/shared/wording.js";
import { query, idempotencyRetention as retentionOf } from "../../src/lab/restate-admin.js";
import { charges, cleanUpLabs, newLab, runCli } from "./helpers.js";

let workspace: string;
let target: LabTarget;
beforeAll(async () => {
  workspace = newLab();
  await up(workspace);
  target = await localTarget(workspace);
});
afterAll(cleanUpLabs);

/** What the ledger must show for each scenario's payments (all of them): the lesson, in charges. */
const EXPECTED_CHARGES: Record<string, number> = {
  "anti-pattern-charge-outside-run": 2,
  "anti-pattern-rely-on-gateway": 2,
  // One charge on each of two payments: the key sent to another payment id made a payment there.
  "key-scope": 2,
  "anti-pattern-random-key": 2,
  // A counter: no money moves.
  "anti-pattern-keyless-read-modify-write": 0,
  "anti-pattern-key-alone-after-expiry": 2,
  // One checkout cancelled (charged, then refunded), one killed (charged): two payments.
  "compensation-cancel-vs-kill": 2,
  // Webhook events move no money; their side effect is a receipt.
  "webhook-duplicates": 0,
  // The restarted invocation drew a new gateway key.
  "anti-pattern-restart-as-new": 2,
  // Emails (the gateway's receipts) move no money.
  "email-at-most-or-at-least-once": 0,
};

describe("every scenario shows its lesson", () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.id}: ${scenario.kind === "idempotent" ? "safe" : "unsafe"}, ${counted(EXPECTED_CHARGES[scenario.id] ?? 1, "charge")}`, async () => {
      const result = await runScenario(target, scenario);
      const failed = result.invariants.filter((i) => !i.ok);
      expect(result.verdict, JSON.stringify({ failed, notes: result.notes })).toBe(scenario.kind === "idempotent" ? "safe" : "unsafe");
      // The ledger, read here independently of the run's own report.
      let ledger = 0;
      for (const id of result.paymentIds) ledger += await charges(target.gateway, id);
      expect(ledger).toBe(EXPECTED_CHARGES[scenario.id] ?? 1);
      expect(result.charges).toBe(EXPECTED_CHARGES[scenario.id] ?? 1);
      expect(result.requestsDetail).toHaveLength(result.requests);
      expect(result.invocations.length).toBeGreaterThanOrEqual(1);
    });
  }
});

describe("answers, as the lab classifies them", () => {
  it("a burst of 100 with one key: one executed, the rest attached or replayed, one invocation id", async () => {
    const progress: number[] = [];
    const result = await runScenario(target, findScenario("concurrent-burst")!, {
      count: 100,
      concurrency: 100,
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(progress).toHaveLength(100);
    expect(progress.at(-1)).toBe(1);
    const kinds = result.requestsDetail.map((r) => r.answer);
    expect(kinds.filter((k) => k === "executed")).toHaveLength(1);
    expect(kinds.filter((k) => k === "attached" || k === "replayed")).toHaveLength(99);
    expect(new Set(result.requestsDetail.map((r) => r.invocationId)).size).toBe(1);
  });

  it("a run with a prediction is scored against its evidence and kept in the history once, with the prediction", async () => {
    const before = listRuns(workspace).length;
    const run = await replay(workspace, { scenario: "duplicates-in-a-row", count: 3 }, { prediction: { invocations: 1, charges: 2, answer: "replayed" } });
    expect(run.score?.parts).toEqual([
      { part: "invocations", predicted: 1, observed: 1, correct: true },
      { part: "charges", predicted: 2, observed: 1, correct: false },
      { part: "answer", predicted: "replayed", observed: ["replayed"], correct: true },
    ]);
    const listed = listRuns(workspace).filter((r) => r.runId === run.runId);
    expect(listed).toHaveLength(1);
    expect(listRuns(workspace)).toHaveLength(before + 1);
    expect(loadRun(workspace, run.runId)).toMatchObject({ prediction: run.prediction, score: run.score });
  });

  it("finds the run's invocations through the admin SQL API, with the user's key", async () => {
    const result = await runScenario(target, findScenario("duplicates-in-a-row")!, { count: 3 });
    expect(result.invocations).toHaveLength(1);
    expect(result.invocations[0]).toMatchObject({ status: "completed", userKey: true, idempotency_key: result.requestsDetail[0]!.idempotencyKey });
    expect(result.invocations[0]!.id).toBe(result.requestsDetail[0]!.invocationId);
  });

  // What restate-admin.ts's query does not try again (tests/unit/restate-admin-query.test.ts counts the tries).
  it("a query naming no such table: Restate answers 500 with a planning error", async () => {
    await expect(query(target.admin, "SELECT * FROM no_such_table")).rejects.toThrow(/Restate query failed \(500\): .*Error during planning: .*not found/);
  });

  it("uses fresh payment ids, so runs never share a ledger entry", async () => {
    const a = await runScenario(target, findScenario("duplicates-in-a-row")!, { count: 2 });
    const b = await runScenario(target, findScenario("duplicates-in-a-row")!, { count: 2 });
    expect(a.paymentIds[0]).not.toBe(b.paymentIds[0]);
    expect(a.ledger[0]!.id).not.toBe(b.ledger[0]!.id);
  });
});

describe("the lessons' runs", () => {
  it("retention: the run sets the retention, puts it back, and tells what it waited for", async () => {
    const before = await retentionOf(target.admin, "PaymentService");
    const result = await runScenario(target, findScenario("retention-expiry")!);
    expect(result.events?.find((e) => e.kind === "retention")).toMatchObject({ service: "PaymentService", previous: before, set: "5s", restored: true });
    expect(await retentionOf(target.admin, "PaymentService")).toBe(before);
    expect(result.events?.find((e) => e.kind === "wait" && e.until === "removal")).toMatchObject({ reached: true });
    const again = result.requestsDetail.find((r) => r.label === "after-removal")!;
    expect(again).toMatchObject({ answer: "executed", replayHeader: false, invocationId: result.requestsDetail[0]!.invocationId });
    expect(result.explanation).toMatch(/kept keys for 5s .*ran the handler again \(no idempotency-expires\), under the same x-restate-id/);
  });

  it("retention is skipped against a Restate that is not the lab's own, with the reason, and sends nothing", async () => {
    const result = await runScenario({ ...target, ownRestate: false }, findScenario("anti-pattern-key-alone-after-expiry")!);
    expect(result).toMatchObject({ verdict: "skipped", requests: 0 });
    expect(result.explanation).toMatch(/^Skipped: this scenario needs the lab's own restate-server/);
  });

  it("key scope: every request carries its scope, and the scope table's five rows come from the answers", async () => {
    const result = await runScenario(target, findScenario("key-scope")!);
    const rows = result.requestsDetail.map((r) => [r.target?.service, r.target?.key === result.paymentIds[0] ? "main" : "other", r.target?.handler, r.answer]);
    expect(rows).toEqual([
      ["PaymentService", "main", "create", "executed"],
      ["PaymentService", "main", "create", "replayed"],
      ["PaymentService", "other", "create", "executed"],
      ["PaymentService", "main", "refund", "executed"],
      ["PaymentAntiPatterns", "main", "countOutsideJournal", "executed"],
    ]);
    expect(new Set(result.requestsDetail.map((r) => r.idempotencyKey)).size).toBe(1);
  });
});

describe("the real-world lessons' runs, checked against the ledger and Restate's records", () => {
  const ledgerOf = async (paymentId: string) =>
    (await (await fetch(`${target.gateway}/ledger?paymentId=${encodeURIComponent(paymentId)}`)).json()) as Array<{
      id: string;
      type: string;
      idempotencyKey: string | null;
    }>;
  const receiptsOf = async (paymentId: string) =>
    ((await (await fetch(`${target.gateway}/receipts?paymentId=${encodeURIComponent(paymentId)}`)).json()) as unknown[]).length;
  const invocationsOf = (paymentId: string) =>
    query<{ id: string; status: string; completion_result: string | null }>(
      target.admin,
      `SELECT id, status, completion_result FROM sys_invocation WHERE target_service_key = '${paymentId}' ORDER BY created_at`,
    );

  it("compensation: the cancelled checkout's ledger is a charge and its refund, the killed one's a lone charge", async () => {
    const result = await runScenario(target, findScenario("compensation-cancel-vs-kill")!);
    const [cancelled, killed] = result.paymentIds;
    expect((await ledgerOf(cancelled!)).map((e) => e.type)).toEqual(["charge", "refund"]);
    expect((await ledgerOf(killed!)).map((e) => e.type)).toEqual(["charge"]);
    expect((await invocationsOf(cancelled!)).map((i) => i.status)).toEqual(["completed"]);
    expect(result.events?.filter((e) => e.kind === "stop").map((e) => e.kind === "stop" && e.how)).toEqual(["cancel", "kill"]);
    expect(result.explanation).toMatch(
      new RegExp(`Ledger of ${cancelled}: charge ch_\\d+, refund re_\\d+\\..*Ledger of ${killed}: charge ch_\\d+, refund none`),
    );
  });

  it("webhooks: five deliveries, five invocations, two events applied, one receipt", async () => {
    const result = await runScenario(target, findScenario("webhook-duplicates")!);
    const deliveries = result.requestsDetail.filter((r) => r.label !== "view");
    expect(new Set(deliveries.map((r) => r.invocationId)).size).toBe(5);
    expect(deliveries.filter((r) => (r.response as { duplicate: boolean }).duplicate === false)).toHaveLength(2);
    expect(await receiptsOf(result.paymentIds[0]!)).toBe(1);
    expect(result.requestsDetail.find((r) => r.label === "view")!.response).toMatchObject({
      deliveries: 5,
      eventsApplied: 2,
      latestCreated: 2,
      latestType: "charge.refunded",
    });
  });

  it("purge: the key runs again under the same id and the same gateway key; restart-as-new: a new id, a new key, a second charge", async () => {
    const purged = await runScenario(target, findScenario("purge-frees-key")!);
    const [first, , again] = purged.requestsDetail;
    expect(again).toMatchObject({ answer: "executed", replayHeader: false, invocationId: first!.invocationId });
    expect((again!.response as { gatewayKey: string }).gatewayKey).toBe((first!.response as { gatewayKey: string }).gatewayKey);
    expect(await charges(target.gateway, purged.paymentIds[0]!)).toBe(1);

    const restarted = await runScenario(target, findScenario("anti-pattern-restart-as-new")!);
    const stop = restarted.events?.find((e) => e.kind === "stop");
    expect(stop).toMatchObject({ how: "restart-as-new", status: 200, newInvocationId: expect.stringMatching(/^inv_/) });
    expect(stop?.kind === "stop" && stop.newInvocationId).not.toBe(restarted.requestsDetail[0]!.invocationId);
    const keys = (await ledgerOf(restarted.paymentIds[0]!)).map((e) => e.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
  });

  it("unknown outcome: paused, the charge on the ledger before the resume, one charge after it", async () => {
    const result = await runScenario(target, findScenario("unknown-outcome-pause")!);
    const paused = result.events?.find((e) => e.kind === "wait" && e.until === "paused");
    expect(paused).toMatchObject({ reached: true, invocationId: expect.stringMatching(/^inv_/) });
    expect(await invocationsOf(result.paymentIds[0]!)).toEqual([expect.objectContaining({ status: "completed", completion_result: "success" })]);
    expect(await charges(target.gateway, result.paymentIds[0]!)).toBe(1);
    expect(result.explanation).toMatch(/Before the resume the gateway's ledger already held ch_\d+ under the key charge-pay-/);
  });

  it("emails: at most once sends one and answers unknown, at least once sends two", async () => {
    const result = await runScenario(target, findScenario("email-at-most-or-at-least-once")!);
    const [once, least] = result.paymentIds;
    expect(result.requestsDetail.map((r) => r.response)).toEqual([
      { outcome: "unknown", confirmed: 0 },
      { outcome: "sent", confirmed: 1 },
    ]);
    expect([await receiptsOf(once!), await receiptsOf(least!)]).toEqual([1, 2]);
  });
});

describe("the CLI", () => {
  it("replay --json into a pipe prints the whole document, not its first 64 KiB", () => {
    const out = runCli(["replay", workspace, "--scenario", "concurrent-burst", "--count", "300", "--json"]);
    expect(out.code).toBe(0);
    expect(out.stdout.length).toBeGreaterThan(64 * 1024);
    expect((JSON.parse(out.stdout) as { scenarios: Array<{ requestsDetail: unknown[] }> }).scenarios[0]!.requestsDetail).toHaveLength(300);
  });

  it("replay --json prints the documented shape", () => {
    const out = runCli(["replay", workspace, "--scenario", "no-key-same-payment", "--count", "2", "--json"]);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as { scenarios: Array<Record<string, unknown>> };
    expect(Object.keys(json.scenarios[0]!)).toEqual(
      expect.arrayContaining([
        "id",
        "verdict",
        "requests",
        "distinctResponses",
        "distinctInvocations",
        "charges",
        "refunds",
        "invariants",
        "explanation",
        "requestsDetail",
      ]),
    );
    expect(json.scenarios[0]).toMatchObject({ id: "no-key-same-payment", verdict: "safe", requests: 2, distinctInvocations: 2, charges: 1 });
  });

  it.each([
    [["--scenario", "no-such-scenario"], /Unknown scenario "no-such-scenario"; one of: duplicates-in-a-row/],
    [["--scenario", "duplicates-in-a-row", "--count", "0"], /--count must be a whole number from 1 to 10,000, got "0"/],
    [["--scenario", "duplicates-in-a-row", "--count", "10001"], /--count must be a whole number from 1 to 10,000/],
    [["--scenario", "duplicates-in-a-row", "--concurrency", "2.5"], /--concurrency must be a whole number/],
    [["--scenario", "duplicates-in-a-row", "--body", "{amount: 1"], /--body is not valid JSON/],
    [[], /replay needs --scenario <id>/],
  ])("rejects %j with one clear line, exit 2, and sends nothing", async (args, message) => {
    const before = await (await fetch(`${target.gateway}/ledger`)).text();
    const out = runCli(["replay", workspace, ...args]);
    expect(out.code).toBe(2);
    expect(out.stderr.split("\n")[0]).toMatch(message);
    expect(await (await fetch(`${target.gateway}/ledger`)).text()).toBe(before);
  });

  it("says the lab is not running, and how to start it", () => {
    const out = runCli(["replay", newLab(), "--scenario", "duplicates-in-a-row"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^error: The lab in .* is not running \(stopped\)\nfix: Start it first: idempotency-lab up /);
  });
});
