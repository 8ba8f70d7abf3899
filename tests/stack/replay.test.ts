// Every scenario against one real lab: its verdict, and the charges the gateway's ledger shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/lab/replay/run.js";
import { localTarget, type LabTarget } from "../../src/lab/replay/target.js";
import { findScenario, SCENARIOS } from "../../src/lab/replay/scenarios.js";
import { up } from "../../src/lab/stack.js";
import { counted } from "../../src/shared/wording.js";
import { idempotencyRetention as retentionOf } from "../../src/lab/restate-admin.js";
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

  it("finds the run's invocations through the admin SQL API, with the user's key", async () => {
    const result = await runScenario(target, findScenario("duplicates-in-a-row")!, { count: 3 });
    expect(result.invocations).toHaveLength(1);
    expect(result.invocations[0]).toMatchObject({ status: "completed", userKey: true, idempotency_key: result.requestsDetail[0]!.idempotencyKey });
    expect(result.invocations[0]!.id).toBe(result.requestsDetail[0]!.invocationId);
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
