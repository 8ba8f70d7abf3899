// The lessons' scenarios as data: their labels and doc sections exist, their metrics measure
// what they say, and their explanations tell what the run observed (and only that).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pageForSection } from "../../src/lab/lab-docs.js";
import { evaluate, type Observations } from "../../src/lab/replay/invariants.js";
import { runFacts } from "../../src/lab/replay/run.js";
import { sectionIds } from "../../lab-templates/payment-service/test/doc-sections.ts";
import { findScenario, SCENARIOS } from "../../src/lab/replay/scenarios.js";
import { HANDLER_LENSES } from "../../src/lab/replay/handler-lenses.js";
import { SERVICE_FILES } from "../../src/lab/replay/handler-code.js";
import type { InvariantSpec, LedgerEntry, PlanEvent, RequestOutcome } from "../../src/lab/replay/types.js";

const START = Date.parse("2026-11-30T12:00:00.000Z");

function request(index: number, label: string, o: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    index,
    step: index,
    method: "POST",
    path: "/PaymentService/pay-1/create",
    paymentId: "pay-1",
    idempotencyKey: "k",
    body: { amount: 10_000, currency: "USD" },
    sentAtMs: index * 100,
    latencyMs: 10,
    status: 200,
    response: { paymentId: "pay-1", chargeId: "ch_1", receipt: "sent" },
    invocationId: "inv_1",
    replayHeader: false,
    answer: "executed",
    target: { service: "PaymentService", key: "pay-1", handler: "create" },
    label,
    ...o,
  };
}

const charge = (id: string, paymentId = "pay-1", key = `charge-${paymentId}`): LedgerEntry => ({
  id,
  type: "charge",
  paymentId,
  amount: 10_000,
  currency: "USD",
  idempotencyKey: key,
  at: "2026-11-30T12:00:01.000Z",
});
const obs = (requests: RequestOutcome[], more: Partial<Observations> = {}): Observations => ({
  requests,
  charges: 1,
  refunds: 0,
  receipts: 0,
  restateInvocations: 1,
  lostAnswerInjected: false,
  serviceCrashed: false,
  count: 1,
  ...more,
});
const measure = (spec: Omit<InvariantSpec, "name" | "role" | "expected">, o: Observations) =>
  evaluate({ name: "x", role: "sanity", expected: true, ...spec }, o).observed;

describe("the lessons as data", () => {
  it("name only labels their plans have", () => {
    for (const s of SCENARIOS) {
      const labels = new Set(s.plan.map((p) => ("label" in p ? p.label : undefined)).filter((l) => l !== undefined));
      for (const i of s.invariants) {
        for (const label of [i.of, i.like].filter((l) => l !== undefined)) expect(labels, `${s.id}: invariant "${i.name}" names ${label}`).toContain(label);
      }
    }
  });

  it("link to sections that a page of the docs has (the one the panel opens)", () => {
    const template = join(import.meta.dirname, "../../lab-templates/payment-service");
    for (const s of SCENARIOS) {
      const page = pageForSection(template, s.conceptsSection);
      expect(page, `${s.id} links to #${s.conceptsSection}`).toBeDefined();
      expect(sectionIds(readFileSync(page!, "utf8")), `${s.id} links to #${s.conceptsSection}`).toContain(s.conceptsSection);
    }
  });

  it("the CodeLens above a handler replays a scenario whose requests go to that handler, in that handler's file", () => {
    for (const [handler, lens] of Object.entries(HANDLER_LENSES)) {
      const scenario = findScenario(lens.scenario);
      expect(scenario, lens.scenario).toBeDefined();
      const sends = scenario!.plan.filter((p) => p.kind === "requests" && p.handler === handler && SERVICE_FILES[p.service] === lens.file);
      expect(sends.length, `${lens.scenario} sends to ${handler} in ${lens.file}`).toBeGreaterThan(0);
    }
  });

  it("skip the retention lessons away from the lab's own Restate, saying why", () => {
    for (const id of ["retention-expiry", "anti-pattern-key-alone-after-expiry"])
      expect(findScenario(id)!.needsLabRestate).toMatch(/cleaner, which runs every 5 s there/);
  });
});

describe("the lessons' metrics", () => {
  const first = request(0, "first");
  const again = request(1, "again", { status: 409, response: { message: "already invoked" }, answer: "failed" });

  it("compare a label's answers with another's: the invocation, the answer, the status", () => {
    const attach = request(2, "attach", { answer: "attached" });
    expect(measure({ metric: "sameInvocation", of: "again", like: "first" }, obs([first, again]))).toBe(true);
    expect(measure({ metric: "sameInvocation", of: "again", like: "first" }, obs([first, { ...again, invocationId: "inv_2" }]))).toBe(false);
    expect(measure({ metric: "sameAnswer", of: "attach", like: "first" }, obs([first, again, attach]))).toBe(true);
    expect(measure({ metric: "sameAnswer", of: "again", like: "first" }, obs([first, again]))).toBe(false);
    expect(measure({ metric: "status", of: "again" }, obs([first, again]))).toBe(409);
    expect(measure({ metric: "sameInvocation", of: "nothing-here" }, obs([first]))).toBe(false);
  });

  it("read a field of the last answer, count replays and executions, and charges per payment", () => {
    const counts = [request(0, "count", { response: { orders: 1 } }), request(1, "count", { response: { orders: 2 } })];
    expect(measure({ metric: "answerField", field: "orders", of: "count" }, obs(counts))).toBe(2);
    expect(measure({ metric: "replayHeaders" }, obs([first, { ...again, replayHeader: true }]))).toBe(1);
    expect(measure({ metric: "executed", of: "first" }, obs([first, again]))).toBe(1);
    const ledger = [charge("ch_1"), charge("ch_2", "pay-1-other"), charge("ch_3", "pay-1-other", "other-key")];
    expect(measure({ metric: "maxChargesPerPayment" }, obs([], { ledger }))).toBe(2);
  });

  it("see a stop and a removal only when the run's events show them", () => {
    const stop: PlanEvent = { kind: "stop", atMs: 5, how: "kill", invocationId: "inv_1", status: 200 };
    const removal: PlanEvent = { kind: "wait", atMs: 9, until: "removal", reached: false, waitedMs: 60_000 };
    expect(measure({ metric: "stopped" }, obs([], { events: [stop] }))).toBe(true);
    expect(measure({ metric: "stopped" }, obs([], { events: [{ ...stop, status: 404 }] }))).toBe(false);
    expect(measure({ metric: "entryRemoved" }, obs([], { events: [removal] }))).toBe(false);
    expect(measure({ metric: "entryRemoved" }, obs([], { events: [{ ...removal, reached: true }] }))).toBe(true);
  });
});

describe("the lessons' explanations, told from the run", () => {
  const retention: PlanEvent = { kind: "retention", atMs: 0, service: "PaymentService", previous: "1d", set: "5s", restored: true };
  const removal: PlanEvent = { kind: "wait", atMs: 9_000, until: "removal", reached: true, waitedMs: 3000, invocationId: "inv_1" };
  const expires = new Date(START + 5_200).toISOString();
  const retentionRun = (late: Partial<RequestOutcome>) => [
    request(0, "first"),
    request(1, "inside", { answer: "replayed", replayHeader: true, expires }),
    request(2, "after-expiry", { sentAtMs: 5_500, ...late }),
    request(3, "after-removal", { sentAtMs: 9_100 }),
  ];
  const tell = (id: string, requests: RequestOutcome[], more: Parameters<typeof runFacts>[1]) =>
    findScenario(id)!.explanation.fromRun!(requests, runFacts(requests, { startedAtMs: START, ...more }));

  it("retention: what the duplicate after the expiry got, and when the cleaner removed the entry", () => {
    const replayed = tell("retention-expiry", retentionRun({ answer: "replayed", replayHeader: true, expires }), {
      events: [retention, removal],
      ledger: [charge("ch_1")],
    });
    expect(replayed).toMatch(/kept keys for 5s .*it was 1d, and was put back afterwards/);
    expect(replayed).toMatch(
      /0\.3 s after that time had passed, a duplicate was still replayed, with the same x-restate-id and the same, now past, idempotency-expires/,
    );
    expect(replayed).toMatch(/removed the entry from sys_invocation within 3\.8 s of its expiry/);
    expect(replayed).toMatch(/ran the handler again \(no idempotency-expires\), under the same x-restate-id inv_1.*1 charge in the ledger\.$/);

    const ranAgain = tell("retention-expiry", retentionRun({ answer: "executed" }), {
      events: [{ ...retention, restored: false }, removal],
      ledger: [charge("ch_1")],
    });
    expect(ranAgain).toMatch(/just after that time ran the handler again: Restate's cleaner had already removed the entry/);
    expect(ranAgain).not.toMatch(/still replayed/);
    expect(ranAgain).toMatch(/putting it back failed/);
  });

  it("kill and cancel: the answers the run got, and the receipt only when it came after the stop", () => {
    const stop: PlanEvent = { kind: "stop", atMs: 300, how: "cancel", invocationId: "inv_1", status: 202 };
    const requests = [
      request(0, "in-flight", { sentAtMs: 0, latencyMs: 320, status: 409, response: { code: 409, message: "Cancelled" }, answer: "failed" }),
      request(1, "duplicate", {
        sentAtMs: 400,
        status: 409,
        response: { code: 409, message: "Cancelled" },
        answer: "failed",
        replayHeader: true,
        expires: "2026-12-01T12:00:00Z",
      }),
      request(2, "new-key", { sentAtMs: 500, invocationId: "inv_2", response: { chargeId: "ch_1", receipt: "pending" } }),
    ];
    const late: PlanEvent = { kind: "wait", atMs: 2000, until: "receipt", reached: true, waitedMs: 1500, recordedAt: new Date(START + 1_800).toISOString() };
    const told = tell("cancel-then-retry", requests, { events: [stop, late], ledger: [charge("ch_1")] });
    expect(told).toMatch(/PATCH \/invocations\/inv_1\/cancel on the admin API, answered 202/);
    expect(told).toMatch(/got 409 \{"code":409,"message":"Cancelled"\}, 20 ms after the cancel was sent/);
    expect(told).toMatch(/receipt "pending"/);
    expect(told).toMatch(/still sent its receipt, 1\.5 s later/);
    const early: PlanEvent = { ...late, recordedAt: new Date(START + 100).toISOString() };
    expect(tell("cancel-then-retry", requests, { events: [stop, early], ledger: [charge("ch_1")] })).not.toMatch(/still sent its receipt/);
  });

  it("key scope: credits the gateway key only when the other service's charge was the first one", () => {
    const scope = (chargeId: string) => [
      request(0, "first"),
      request(1, "same-scope", { answer: "replayed", replayHeader: true }),
      request(2, "other-payment", { invocationId: "inv_2", target: { service: "PaymentService", key: "pay-1-other", handler: "create" } }),
      request(3, "other-handler", { invocationId: "inv_3", target: { service: "PaymentService", key: "pay-1", handler: "refund" } }),
      request(4, "other-service", {
        invocationId: "inv_4",
        target: { service: "PaymentAntiPatterns", key: "pay-1", handler: "countOutsideJournal" },
        response: { chargeId },
      }),
    ];
    expect(tell("key-scope", scope("ch_1"), {})).toMatch(/its charge came back as ch_1, the charge create had made.*charge-pay-1/);
    expect(tell("key-scope", scope("ch_9"), {})).not.toMatch(/came back as/);
  });

  it("keys from the journal: names the keys the ledger shows", () => {
    const fee = [request(0, "fee", { target: { service: "Fees", key: "pay-1", handler: "charge" }, response: { chargeId: "ch_1", gatewayKey: "fee-a" } })];
    const drawn = tell("key-from-journal", fee, { ledger: [charge("ch_1", "pay-1", "fee-a")] });
    expect(drawn).toMatch(/one charge \(ch_1\), under one gateway key, fee-a, and the answer carries that key and that charge: the retry drew the same key/);
    const otherAnswer = [{ ...fee[0]!, response: { chargeId: "ch_1", gatewayKey: "fee-z" } }];
    expect(tell("key-from-journal", otherAnswer, { ledger: [charge("ch_1", "pay-1", "fee-a")] })).not.toMatch(/the answer carries/);
    expect(drawn).not.toMatch(/after the kill/); // no crash event: nothing to say about when it came
    const crash: PlanEvent = { kind: "crash", atMs: 400, run: "charge", state: "started" };
    const recordedLater = tell("key-from-journal", fee, {
      ledger: [{ ...charge("ch_1", "pay-1", "fee-a"), at: new Date(START + 1_500).toISOString() }],
      events: [crash],
    });
    expect(recordedLater).toMatch(/recorded that charge 1\.1 s after the kill: the attempt that asked for it died before its result could reach the journal/);
    const random = tell("anti-pattern-random-key", fee, { ledger: [charge("ch_1", "pay-1", "fee-a"), charge("ch_2", "pay-1", "fee-b")] });
    expect(random).toMatch(/2 charges for one fee \(ch_1, ch_2\), under the keys fee-a and fee-b/);
  });
});
