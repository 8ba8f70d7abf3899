import { describe, expect, it } from "vitest";
import { customScenario } from "../../src/lab/replay/custom.js";
import { SCENARIOS, scenarioInfo } from "../../src/lab/replay/scenarios.js";
import {
  parseToExtension,
  parseToWebview,
  runRecordProblem,
  runSummaryProblem,
  scenarioProblem,
  scorePrediction,
  type AnswerKind,
  type ScenarioInfo,
} from "../../src/shared/protocol.js";
import { burst, outcome, record } from "./webview/fixtures.js";
import { chargeOutsideRun, retention } from "./webview/lesson-fixtures.js";
import { chaosRecord, chaosSettings, chaosSettings as chaos, chaosSummary } from "./webview/chaos-fixtures.js";

describe("messages from the webview", () => {
  it.each([
    [{ type: "ready" }],
    [{ type: "stop" }],
    [{ type: "run", requestId: "w-1", request: { scenario: "concurrent-burst", count: 200, concurrency: 50 } }],
    [
      {
        type: "run",
        requestId: "w3f9a01c2-17",
        request: {
          scenario: "custom",
          count: 3,
          paymentId: "order-42",
          key: "fixed",
          fixedKey: "k-1",
          body: '{"amount": 100, "currency": "EUR"}',
          clientTimeoutMs: 500,
          faults: { slowGatewayMs: 200, gatewayTimeoutAfterCharge: true, crashAfterJournal: false },
        },
      },
    ],
    [
      {
        type: "run",
        requestId: "w-7",
        request: { scenario: "anti-pattern-charge-outside-run" },
        prediction: { invocations: 1, charges: 2, answer: "executed" },
      },
    ],
    [{ type: "run", requestId: "w-8", request: { scenario: "concurrent-burst" }, prediction: { charges: 1 } }],
    [{ type: "startLab", requestId: "w-2" }],
    [{ type: "openRun", requestId: "w-3", runId: "abc123" }],
    [{ type: "inspect", requestId: "w-4", runId: "abc123", invocationId: "inv_1abc" }],
    [{ type: "export", requestId: "w-5", runId: "abc123", format: "markdown" }],
    [{ type: "openConcepts", requestId: "w-6", section: "idempotency-keys" }],
    [{ type: "copy", requestId: "w-9", text: "inv_1gdJBtdVEcM942bjcDmb1c1khoaJe11Hbz" }],
    [
      {
        type: "copy",
        requestId: "w-9",
        text: `curl -i -X POST http://127.0.0.1:8080/PaymentService/pay-1/create -H 'idempotency-key: k' --data '{"amount":1}'`,
      },
    ],
  ])("accepts %j", (message) => {
    expect(parseToExtension(message)).toEqual({ ok: true, message });
  });

  it.each([
    [null, /not a message object/],
    ["run", /not a message object/],
    [{ type: "explode" }, /unknown message type/],
    [{ type: "ready", extra: 1 }, /unknown fields: extra/],
    [{ type: "stop", requestId: "w-1" }, /unknown fields: requestId/],
    [{ type: "run", request: { scenario: "x" } }, /run needs a requestId/],
    [{ type: "startLab" }, /startLab needs a requestId/],
    [{ type: "openRun", requestId: "", runId: "r" }, /needs a requestId/],
    [{ type: "openRun", requestId: "r".repeat(41), runId: "r" }, /needs a requestId/],
    [{ type: "openRun", requestId: "w 1", runId: "r" }, /needs a requestId/],
    [{ type: "openRun", requestId: 7, runId: "r" }, /needs a requestId/],
    [{ type: "startLab", requestId: "w-1", extra: 1 }, /unknown fields: extra/],
    [{ type: "run", requestId: "w-1" }, /request must be an object/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", count: 0 } }, /count must be a whole number from 1 to 10000/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", count: 10_001 } }, /count must be/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", count: 1.5 } }, /count must be/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", concurrency: 1001 } }, /concurrency must be/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", body: "{amount: 1" } }, /body is not valid JSON/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", key: "fixed" } }, /needs a fixedKey/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", key: "fixed", fixedKey: "" } }, /fixedKey must be 1 to 255/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", key: "fixed", fixedKey: "k".repeat(256) } }, /fixedKey must be/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", key: "fixed", fixedKey: "ключ" } }, /printable ASCII/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", paymentId: "a'; DROP TABLE" } }, /paymentId must be letters/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", faults: { slowGatewayMs: -1 } } }, /slowGatewayMs/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x", faults: { explode: true } } }, /faults has unknown fields/],
    [{ type: "run", requestId: "w-1", request: { scenario: "../../etc" } }, /scenario must be a scenario id/],
    [{ type: "inspect", requestId: "w-1", runId: "r" }, /needs a runId and an invocationId/],
    [{ type: "export", requestId: "w-1", runId: "r", format: "html" }, /format/],
    [{ type: "openConcepts", requestId: "w-1", section: "<script>" }, /section id/],
    [{ type: "copy", requestId: "w-1", text: "" }, /copy needs an id/],
    [{ type: "copy", requestId: "w-1", text: "x".repeat(201) }, /copy needs an id/],
    [{ type: "copy", requestId: "w-1", text: "two\nlines" }, /copy needs an id/],
    [{ type: "copy", requestId: "w-1", text: "rm -rf /" }, /copy needs an id/],
    [{ type: "copy", requestId: "w-1", text: "curl -i http://x\nrm -rf /" }, /copy needs an id/],
    [{ type: "copy", requestId: "w-1", text: `curl ${"x".repeat(8000)}` }, /copy needs an id/],
    [{ type: "copy", requestId: "w-1", text: "inv_1", extra: true }, /unknown fields: extra/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x" }, prediction: {} }, /the prediction predicts nothing/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x" }, prediction: { charges: "two" } }, /the prediction charges must be/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x" }, prediction: { answer: "double" } }, /answer kind/],
    [{ type: "run", requestId: "w-1", request: { scenario: "x" }, prediction: { charges: 1, verdict: "safe" } }, /unknown fields: verdict/],
  ])("rejects %j", (message, error) => {
    const parsed = parseToExtension(message);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });
});

describe("messages from the extension", () => {
  it("accepts the known ones and rejects the rest", () => {
    expect(parseToWebview({ type: "progress", requestId: "w-1", done: 5, total: 10 }).ok).toBe(true);
    expect(parseToWebview({ type: "lab", lab: { state: "ready", ingress: "i", admin: "a", gateway: "g" } }).ok).toBe(true);
    expect(parseToWebview({ type: "progress", requestId: "w-1", done: -1, total: 10 }).ok).toBe(false);
    expect(parseToWebview({ type: "lab", lab: { state: "exploded" } }).ok).toBe(false);
    expect(parseToWebview({ type: "run", requestId: "w-1", run: {} }).ok).toBe(false);
    expect(parseToWebview({ type: "eval", code: "alert(1)" }).ok).toBe(false);
  });

  it("needs the requestId of the request on every answer and failure", () => {
    expect(parseToWebview({ type: "failed", requestId: "w-1", message: "no lab" }).ok).toBe(true);
    expect(parseToWebview({ type: "failed", requestId: "w-1", message: "no lab", fix: "Start it" }).ok).toBe(true);
    expect(parseToWebview({ type: "runStarted", requestId: "ext-1" }).ok).toBe(true);
    expect(parseToWebview({ type: "journal", requestId: "w-2", runId: "r", invocationId: "inv_1", entries: [] }).ok).toBe(true);
    for (const message of [
      { type: "failed", message: "no lab" },
      { type: "failed", requestId: "w 1", message: "no lab" },
      { type: "failed", requestId: "w-1", message: "no lab", fix: 3 },
      { type: "progress", done: 5, total: 10 },
      { type: "runStarted" },
      { type: "journal", runId: "r", invocationId: "inv_1", entries: [] },
      { type: "runFailed", message: "no lab", about: "startLab" },
    ]) {
      expect(parseToWebview(message).ok, JSON.stringify(message)).toBe(false);
    }
  });
});

describe("deep validation of the extension's messages", () => {
  const lab = { state: "stopped" };
  const settings = { predictBeforeRun: true };
  const good: ScenarioInfo = {
    id: "concurrent-burst",
    title: "t",
    lesson: "l",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 1, concurrency: 1 },
    conceptsSection: "x",
    needsLocalService: false,
  };
  const entry = { runId: "a", scenario: "s", title: "A", verdict: "safe", requests: 1, charges: 1, finishedAt: "2026-01-01T10:00:00Z" };
  const refusal = (m: unknown) => {
    const parsed = parseToWebview(m);
    return parsed.ok ? "accepted" : parsed.error;
  };

  it("accepts the catalog's scenarios, and refuses an init with one the panel cannot show (never one that claims the custom id)", () => {
    const scenarios = SCENARIOS.map(scenarioInfo);
    expect(refusal({ type: "init", scenarios, history: [entry], lab, settings, chaos })).toBe("accepted");
    expect(scenarioProblem(good)).toBeNull();
    expect(scenarioProblem({ ...good, id: "custom" })).toMatch(/custom/);
    expect(scenarioProblem({ ...good, kind: "other" })).toMatch(/kind/);
    expect(scenarioProblem({ ...good, group: "advanced" })).toMatch(/group/);
    expect(scenarioProblem({ ...good, group: undefined })).toMatch(/group/);
    expect(scenarioProblem({ id: "x" })).not.toBeNull();
    expect(scenarioProblem({ ...good, defaults: { count: 0, concurrency: 1 } })).toMatch(/default/);
    expect(refusal({ type: "init", scenarios: [good, { ...good, id: "custom" }], history: [], lab, settings, chaos })).toMatch(
      /^init: scenario 1 claims the custom request's id/,
    );
    expect(refusal({ type: "init", scenarios: [good], history: [entry, { runId: 3, title: "bad" }], lab, settings, chaos })).toMatch(
      /^init: history entry 1 has no run id/,
    );
    expect(refusal({ type: "init", scenarios: {}, history: [], lab, settings, chaos })).toMatch(/needs a list of scenarios/);
  });

  it("refuses a history with a malformed entry, naming it", () => {
    expect(refusal({ type: "history", history: [entry] })).toBe("accepted");
    expect(runSummaryProblem(entry)).toBeNull();
    for (const [bad, problem] of [
      [null, /not an object/],
      [{ ...entry, runId: "" }, /run id/],
      [{ ...entry, verdict: "<b>" }, /verdict/],
      [{ ...entry, requests: "1" }, /counts/],
      [{ ...entry, finishedAt: undefined }, /finishing time/],
    ] as const) {
      expect(runSummaryProblem(bad), JSON.stringify(bad)).toMatch(problem);
      expect(refusal({ type: "history", history: [entry, bad] })).toMatch(/^history: entry 1 /);
    }
  });

  it("names what is wrong with a malformed run record, and refuses it with the requestId it answered", () => {
    expect(runRecordProblem(record("r", burst(3)))).toBeNull();
    expect(refusal({ type: "run", requestId: "w-1", run: record("r", burst(3)) })).toBe("accepted");
    const broken = record("r", burst(3));
    (broken.result as { ledger?: unknown }).ledger = undefined;
    expect(runRecordProblem(broken)).toMatch(/ledger/);
    expect(parseToWebview({ type: "run", requestId: "w-1", run: broken })).toEqual({
      ok: false,
      error: "run: its result has no ledger list",
      requestId: "w-1",
    });
    const badAnswer = record("r", [outcome(0, { answer: "weird" as AnswerKind })]);
    expect(runRecordProblem(badAnswer)).toMatch(/request/);
    expect(runRecordProblem({ ...record("r", burst(1)), request: { scenario: "x", count: -1 } })).toMatch(/request/);
    expect(runRecordProblem({ ...record("r", burst(1)), result: { ...record("r", burst(1)).result, verdict: "fine" } })).toMatch(/verdict/);
    expect(runRecordProblem("r")).toMatch(/run id/);
  });

  it("needs the panel's settings in init, and takes a settings message", () => {
    expect(refusal({ type: "init", scenarios: [good], history: [], lab, chaos })).toMatch(/settings/);
    expect(refusal({ type: "init", scenarios: [good], history: [], lab, settings: { predictBeforeRun: "yes" } })).toMatch(/settings/);
    expect(refusal({ type: "settings", settings: { predictBeforeRun: false } })).toBe("accepted");
    expect(refusal({ type: "settings", settings: {} })).toMatch(/settings/);
  });

  it("accepts a scenario's reason for needing the lab's Restate, and a history entry's score", () => {
    expect(scenarioProblem({ ...good, needsLabRestate: "needs the lab's own restate-server" })).toBeNull();
    expect(scenarioProblem({ ...good, needsLabRestate: true })).toMatch(/lab's Restate/);
    expect(runSummaryProblem({ ...entry, score: { correct: 2, of: 3 } })).toBeNull();
    expect(runSummaryProblem({ ...entry, score: { correct: "2" } })).toMatch(/score/);
  });

  it("checks a run record's attempts, ledger links, events, new request fields, prediction and score deeply", () => {
    const run = chargeOutsideRun();
    expect(runRecordProblem(run)).toBeNull();
    expect(runRecordProblem(retention())).toBeNull();
    const scored = { ...run, prediction: { charges: 2 }, score: scorePrediction({ charges: 2 }, run.result) };
    expect(runRecordProblem(scored)).toBeNull();
    const headered = { ...run, result: { ...run.result, requestsDetail: run.result.requestsDetail.map((r) => ({ ...r, restateId: "inv_1abc" })) } };
    expect(runRecordProblem(headered)).toBeNull();
    const withResult = (over: Record<string, unknown>) => ({ ...run, result: { ...run.result, ...over } });
    const attempt = run.result.attempts![0]!.attempts[0]!;
    for (const [bad, problem] of [
      [withResult({ attempts: {} }), /attempts: needs a list/],
      [
        withResult({ attempts: [{ invocationId: "inv_1", target: "t", status: "completed", attempts: [{ ...attempt, outcome: "exploded" }] }] }),
        /attempts: invocation 0 attempt 0 has no outcome/,
      ],
      [
        withResult({
          attempts: [
            { invocationId: "inv_1", target: "t", status: "completed", attempts: [{ ...attempt, error: { ...attempt.error, command: { index: "2" } } }] },
          ],
        }),
        /failed command/,
      ],
      [
        withResult({ attempts: [{ invocationId: "inv_1", target: "t", status: "completed", attempts: [{ ...attempt, entries: { first: 0 } }] }] }),
        /entry range/,
      ],
      [
        withResult({ ledgerLinks: [{ ledgerId: "ch_1", invocationId: null, attempt: "1", journal: null }] }),
        /ledgerLinks: link 0 has no ledger id, invocation or attempt/,
      ],
      [
        withResult({
          ledgerLinks: [{ ledgerId: "ch_1", invocationId: "i", attempt: 1, journal: { index: 1, type: "t", name: "n", inRun: "yes", appendedAt: null } }],
        }),
        /journal trace/,
      ],
      [withResult({ events: [{ kind: "meteor", atMs: 1 }] }), /events: event 0 has an unknown kind/],
      [withResult({ events: [{ kind: "wait", atMs: 1, until: "dawn", reached: true, waitedMs: 1 }] }), /malformed wait event/],
      [withResult({ events: [{ kind: "stop", atMs: 1, how: "nuke", invocationId: "i", status: 200 }] }), /malformed stop event/],
      [withResult({ requestsDetail: [outcome(0, { expires: 5 as unknown as string })] }), /request/],
      [withResult({ requestsDetail: [outcome(0, { restateId: ["inv_1"] as unknown as string })] }), /request 0 has a malformed x-restate-id/],
      [
        withResult({
          requestsDetail: [outcome(0, { target: { service: "S", key: 1, handler: "h" } as unknown as { service: string; key: string; handler: string } })],
        }),
        /request/,
      ],
      [withResult({ ledger: [{ ...run.result.ledger[0], requestedAt: 1 }] }), /ledger: entry 0 has a requestedAt that is not a string/],
      [withResult({ invocations: [{ ...run.result.invocations[0], userKey: "yes" }] }), /invocations: row 0 has malformed fields/],
      [{ ...run, prediction: { charges: -2 } }, /its prediction charges must be/],
      [{ ...run, score: { parts: [], correct: 1, of: 0 } }, /its score counts parts/],
    ] as const) {
      expect(runRecordProblem(bad), JSON.stringify(bad).slice(0, 120)).toMatch(problem);
    }
  });

  it("refuses a journal with a malformed entry", () => {
    const journal = (entries: unknown[]) => ({ type: "journal", requestId: "w-2", runId: "r", invocationId: "inv_1", entries });
    expect(
      refusal(
        journal([
          { index: 0, type: "Input", name: "", appendedAt: null },
          { index: 1, type: "Run", name: "charge", appendedAt: "2026-01-01T10:00:00Z" },
        ]),
      ),
    ).toBe("accepted");
    expect(refusal(journal([{ index: -1, type: "Input", name: "", appendedAt: null }]))).toMatch(/entry 0 has no index/);
    expect(refusal(journal([{ index: 0, type: "Input", name: null, appendedAt: null }]))).toMatch(/entry 0 has no type, name or time/);
    expect(parseToWebview(journal([{}]))).toMatchObject({ ok: false, requestId: "w-2" });
  });
});

describe("custom scenarios", () => {
  it("turn the builder's faults into plan steps and their sanity checks", () => {
    const s = customScenario({
      scenario: "custom",
      key: "none",
      body: '{"amount":5,"currency":"EUR"}',
      faults: { slowGatewayMs: 300, crashAfterJournal: true },
    });
    expect(s.plan[0]).toEqual({ kind: "faults", faults: { latencyMs: 300, receiptLatencyMs: 1500 } });
    expect(s.plan[1]).toMatchObject({
      kind: "requests",
      key: "none",
      body: { amount: 5, currency: "EUR" },
      crashServiceAfter: { run: "charge", state: "completed" },
    });
    expect(s.needsLocalService).toBe(true);
    expect(s.invariants.map((i) => i.metric)).toEqual(["charges", "distinctResponses", "serviceCrashed"]);
  });

  it("refuses a body that is not JSON with a clear message", () => {
    expect(() => customScenario({ scenario: "custom", body: "{" })).toThrow(/The body is not valid JSON/);
  });
});

describe("the chaos run's messages", () => {
  const request = { seed: 7, payments: 6, duplicates: 3, durationS: 10, target: "PaymentService" };

  it.each([
    [{ type: "chaos", requestId: "w-1", request }],
    [{ type: "chaos", requestId: "w-2", request: { ...request, seed: null, target: "PaymentAntiPatterns/chargeOutsideRun" } }],
  ])("accepts %j", (message) => {
    expect(parseToExtension(message)).toEqual({ ok: true, message });
  });

  it.each([
    [{ type: "chaos", request }, /chaos needs a requestId/],
    [{ type: "chaos", requestId: "w-1" }, /the chaos request must be an object/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, seed: -1 } }, /seed must be null or a whole number/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, seed: 2 ** 31 } }, /seed must be/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, seed: "7" } }, /seed must be/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, payments: 0 } }, /payments must be a whole number/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, duplicates: 1.5 } }, /duplicates must be/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, durationS: 100_000 } }, /durationS must be/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, target: "../../etc/passwd" } }, /target must be a service/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, target: "A/b/c" } }, /target must be/],
    [{ type: "chaos", requestId: "w-1", request: { ...request, faults: "all" } }, /unknown fields: faults/],
    [{ type: "chaos", requestId: "w-1", request, extra: 1 }, /unknown fields: extra/],
  ])("rejects %j", (message, error) => {
    const parsed = parseToExtension(message);
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });

  it("init carries what the chaos form may offer, and refuses malformed settings", () => {
    const lab = { state: "stopped" };
    const init = (c: unknown) => parseToWebview({ type: "init", scenarios: [], history: [], lab, settings: { predictBeforeRun: true }, chaos: c });
    expect(init(chaosSettings).ok).toBe(true);
    for (const bad of [
      undefined,
      { ...chaosSettings, targets: [] },
      { ...chaosSettings, targets: ["a b"] },
      { ...chaosSettings, payments: { min: 5, max: 1, default: 3 } },
      { ...chaosSettings, durationS: null },
    ]) {
      expect(init(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(
      scenarioProblem({
        id: "chaos",
        title: "t",
        lesson: "l",
        kind: "idempotent",
        group: "basics",
        defaults: { count: 1, concurrency: 1 },
        conceptsSection: "c",
        needsLocalService: false,
      }),
    ).toMatch(/claims the chaos run's id/);
  });

  it("accepts the records of real chaos runs, and names what is wrong with a malformed one", () => {
    for (const which of ["safe", "anti"] as const) {
      expect(runRecordProblem(chaosRecord("c1", which))).toBeNull();
      expect(parseToWebview({ type: "run", requestId: "w-1", run: chaosRecord("c1", which) }).ok).toBe(true);
    }
    const broken = (change: (r: ReturnType<typeof chaosRecord>) => void) => {
      const r = chaosRecord("c1", "anti");
      change(r);
      return runRecordProblem(r);
    };
    expect(broken((r) => ((r as { kind: string }).kind = "scenario"))).toMatch(/not a chaos run/);
    expect(broken((r) => ((r.request as { seed: unknown }).seed = "7"))).toMatch(/its request seed/);
    expect(broken((r) => ((r.chaos as { verdict: string }).verdict = "fine"))).toMatch(/unknown verdict/);
    expect(broken((r) => ((r.chaos.schedule[0] as { kind: string }).kind = "meteor"))).toMatch(/its schedule: fault 0 has no index or kind/);
    expect(broken((r) => ((r.chaos.schedule[1]!.applied as unknown) = { atMs: "soon", ok: true }))).toMatch(/fault 1 has a malformed application/);
    expect(broken((r) => ((r.chaos.requests[2] as { tries: unknown }).tries = -1))).toMatch(/its requests: request 2/);
    expect(broken((r) => ((r.chaos.payments[0] as { broken: unknown }).broken = "all"))).toMatch(/its payments: payment 0/);
    expect(broken((r) => ((r.chaos.invariants[0] as { holds: unknown }).holds = "yes"))).toMatch(/its invariants: invariant 0/);
    expect(broken((r) => ((r.chaos.violations[0]!.history.ledger[0] as { amount: unknown }).amount = "25"))).toMatch(
      /its violations: violation 0 its history: entry 0/,
    );
    expect(broken((r) => ((r.chaos.violations[0]!.history.attempts[0]!.attempts[0] as { outcome: string }).outcome = "exploded"))).toMatch(
      /violation 0 its history: invocation 0 attempt 0 has no outcome/,
    );
    expect(broken((r) => ((r.evidence as { ledger: unknown }).ledger = null))).toMatch(/its evidence/);
    expect(broken((r) => ((r.evidence as { error?: unknown }).error = 3))).toMatch(/no evidence/);
    expect(parseToWebview({ type: "run", requestId: "w-1", run: { ...chaosRecord("c1"), chaos: { kind: "chaos" } } })).toMatchObject({
      ok: false,
      requestId: "w-1",
    });
  });

  it("a chaos run's history entry has a kind and a seed, both checked", () => {
    const entry = chaosSummary("c1");
    expect(runSummaryProblem(entry)).toBeNull();
    expect(runSummaryProblem({ ...entry, kind: "exam" })).toMatch(/kind or seed/);
    expect(runSummaryProblem({ ...entry, seed: "7" })).toMatch(/kind or seed/);
  });
});

describe("the shrink's messages", () => {
  const anti = chaosRecord("c1", "anti").chaos;
  const shrink = {
    seed: anti.seed,
    target: anti.target,
    payments: 3,
    duplicates: anti.options.duplicates,
    durationS: anti.options.durationS,
    faults: [1, 4],
    invariants: ["charged exactly once"],
    runs: 8,
    budget: 8,
    cutShort: true,
    command: `idempotency-lab chaos /tmp/lab --seed ${anti.seed} --payments 3 --duplicates 3 --duration 10 --target ${anti.target} --faults 1,4`,
    result: anti,
  };

  it("the webview asks to shrink a run of the history, by its id only", () => {
    expect(parseToExtension({ type: "shrink", requestId: "w-1", runId: "c1" })).toEqual({
      ok: true,
      message: { type: "shrink", requestId: "w-1", runId: "c1" },
    });
    for (const [message, error] of [
      [{ type: "shrink", runId: "c1" }, /shrink needs a requestId/],
      [{ type: "shrink", requestId: "w-1" }, /shrink needs a runId/],
      [{ type: "shrink", requestId: "w-1", runId: "c1", budget: 100 }, /unknown fields: budget/],
    ] as const) {
      const parsed = parseToExtension(message);
      expect(parsed.ok ? "" : parsed.error).toMatch(error);
    }
  });

  it("the answer carries the smallest run, checked down to its chaos result", () => {
    expect(parseToWebview({ type: "shrunk", requestId: "w-1", runId: "c1", shrink }).ok).toBe(true);
    const bad = (change: Record<string, unknown>) => parseToWebview({ type: "shrunk", requestId: "w-1", runId: "c1", shrink: { ...shrink, ...change } });
    expect(bad({ seed: -1 })).toMatchObject({ ok: false, requestId: "w-1", error: expect.stringMatching(/seed or target/) as unknown });
    expect(bad({ target: "../x" })).toMatchObject({ ok: false, error: expect.stringMatching(/seed or target/) as unknown });
    expect(bad({ payments: 0 })).toMatchObject({ ok: false, error: expect.stringMatching(/payments/) as unknown });
    expect(bad({ faults: ["1"] })).toMatchObject({ ok: false, error: expect.stringMatching(/faults/) as unknown });
    expect(bad({ invariants: [] })).toMatchObject({ ok: false, error: expect.stringMatching(/no invariant/) as unknown });
    expect(bad({ runs: 9 })).toMatchObject({ ok: false, error: expect.stringMatching(/runs, budget/) as unknown });
    expect(bad({ cutShort: "yes" })).toMatchObject({ ok: false, error: expect.stringMatching(/cut-short/) as unknown });
    expect(bad({ command: "rm -rf /" })).toMatchObject({ ok: false, error: expect.stringMatching(/command line/) as unknown });
    expect(bad({ command: `${shrink.command}\nrm -rf /` })).toMatchObject({ ok: false, error: expect.stringMatching(/command line/) as unknown });
    expect(bad({ result: { ...anti, verdict: "fine" } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/its result has an unknown verdict/) as unknown,
    });
    expect(parseToWebview({ type: "shrunk", requestId: "w-1", shrink }).ok).toBe(false);
    expect(parseToWebview({ type: "shrunk", runId: "c1", shrink }).ok).toBe(false);
  });

  it("copy takes the shrink's command line, one line only", () => {
    expect(parseToExtension({ type: "copy", requestId: "w-1", text: shrink.command }).ok).toBe(true);
    expect(parseToExtension({ type: "copy", requestId: "w-1", text: `${shrink.command}\nrm -rf /` }).ok).toBe(false);
    expect(parseToExtension({ type: "copy", requestId: "w-1", text: "idempotency-lab down /tmp/lab" }).ok).toBe(false);
  });
});
