// The lab panel webview's pure logic (src/webview/view-model.ts): what the views draw and what the
// builder sends. The DOM side is checked in a browser; this is everything that decides.
import { describe, expect, it } from "vitest";
import {
  ANSWER_KINDS,
  MAX_BODY_LENGTH,
  MAX_CLIENT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_COUNT,
  MAX_KEY_LENGTH,
  MAX_SLOW_GATEWAY_MS,
  parseToExtension,
  type RunRecord,
  type ScenarioInfo,
} from "../../src/shared/protocol.js";
import { SCENARIOS } from "../../src/lab/replay/scenarios.js";
import type { AnswerKind, RequestOutcome } from "../../src/lab/replay/types.js";
import {
  CUSTOM_DEFAULTS,
  RunCache,
  answerCounts,
  buildTimeline,
  canonicalJson,
  compareRuns,
  defaultBuilderValues,
  describeLab,
  diffLines,
  dominantKind,
  filterRequests,
  formatCount,
  formatMs,
  groupResponses,
  ledgerMarkers,
  niceTicks,
  restoreState,
  runRecordProblem,
  sanitizeHistory,
  sanitizeScenarios,
  scenarioDefaults,
  sortHistory,
  summaryCards,
  timelineGeometry,
  validateBuilder,
  valuesForScenario,
  verdictView,
  virtualWindow,
  type BuilderValues,
} from "../../src/webview/view-model.js";

const START = "2026-01-01T10:00:00.000Z";

function outcome(index: number, o: Partial<RequestOutcome> = {}): RequestOutcome {
  return {
    index,
    step: 0,
    method: "POST",
    path: "/PaymentService/pay-1/create",
    paymentId: "pay-1",
    idempotencyKey: "k",
    body: { amount: 10000, currency: "USD" },
    sentAtMs: index,
    latencyMs: 10,
    status: 200,
    response: { paymentId: "pay-1", amount: 10000, currency: "USD", status: "charged" },
    invocationId: "inv_1",
    replayHeader: false,
    answer: "attached",
    ...o,
  };
}

function record(runId: string, details: RequestOutcome[], over: Partial<RunRecord["result"]> = {}): RunRecord {
  return {
    runId,
    request: { scenario: "concurrent-burst", count: details.length, concurrency: 100 },
    finishedAt: "2026-01-01T10:00:02.000Z",
    conceptsSection: "idempotency-keys",
    result: {
      id: "concurrent-burst",
      title: "Concurrent burst",
      lesson: "lesson",
      kind: "idempotent",
      verdict: "safe",
      expectedVerdict: "safe",
      requests: details.length,
      distinctResponses: 1,
      distinctInvocations: 1,
      charges: 1,
      refunds: 0,
      invariants: [
        { name: "the customer is charged once (gateway ledger)", expected: 1, observed: 1, ok: true, role: "safety" },
        { name: "no request failed", expected: 0, observed: 0, ok: true, role: "sanity" },
      ],
      explanation: "explained",
      notes: [],
      paymentIds: ["pay-1"],
      startedAt: START,
      durationMs: 600,
      ledger: [
        { id: "ch_000002", type: "charge", paymentId: "pay-1", amount: 10000, currency: "USD", idempotencyKey: "charge-pay-1", at: "2026-01-01T10:00:00.250Z" },
        { id: "ch_000001", type: "charge", paymentId: "other", amount: 1, currency: "USD", idempotencyKey: null, at: "2026-01-01T10:00:00.100Z" },
      ],
      invocations: [],
      requestsDetail: details,
      ...over,
    },
  };
}

/** A concurrent burst: request 0 executes, the rest attach; `n` requests. */
function burst(n: number): RequestOutcome[] {
  return Array.from({ length: n }, (_, i) => outcome(i, { answer: i === 0 ? "executed" : i < n / 2 ? "attached" : "replayed", sentAtMs: i * 0.1, latencyMs: 500 - (i % 7) }));
}

const customValues = (over: Partial<BuilderValues> = {}): BuilderValues => ({ ...defaultBuilderValues(CUSTOM_DEFAULTS), ...over });

describe("builder validation", () => {
  it("makes a catalog request with the count and concurrency, accepted by parseToExtension", () => {
    const check = validateBuilder("concurrent-burst", { ...defaultBuilderValues({ count: 100, concurrency: 100 }) });
    expect(check.errors).toEqual({});
    expect(check.request).toEqual({ scenario: "concurrent-burst", count: 100, concurrency: 100 });
    expect(parseToExtension({ type: "run", request: check.request })).toEqual({ ok: true, message: { type: "run", request: check.request } });
  });

  it("rejects counts and concurrencies outside protocol.ts's limits, and accepts the limits themselves", () => {
    for (const bad of ["0", String(MAX_COUNT + 1), "-1", "1.5", "1e3", "", "ten", " 12x"]) {
      const check = validateBuilder("duplicates-in-a-row", { ...defaultBuilderValues(), count: bad });
      expect(check.request, `count ${JSON.stringify(bad)}`).toBeNull();
      expect(check.errors.count).toMatch(/whole number from 1 to 10,000/);
    }
    for (const bad of ["0", String(MAX_CONCURRENCY + 1)]) {
      const check = validateBuilder("duplicates-in-a-row", { ...defaultBuilderValues(), concurrency: bad });
      expect(check.request).toBeNull();
      expect(check.errors.concurrency).toMatch(/1 to 1,000/);
    }
    const max = validateBuilder("duplicates-in-a-row", { ...defaultBuilderValues(), count: ` ${MAX_COUNT} `, concurrency: String(MAX_CONCURRENCY) });
    expect(max.request).toEqual({ scenario: "duplicates-in-a-row", count: MAX_COUNT, concurrency: MAX_CONCURRENCY });
    expect(parseToExtension({ type: "run", request: max.request }).ok).toBe(true);
  });

  it("rejects a custom body that is not JSON, with the parser's message, and no request", () => {
    const check = validateBuilder("custom", customValues({ body: '{"amount": 10000, "currency": USD}' }));
    expect(check.request).toBeNull();
    expect(check.errors.body).toMatch(/^Not valid JSON: /);
    expect(Object.keys(check.errors)).toEqual(["body"]);
    const tooLong = validateBuilder("custom", customValues({ body: JSON.stringify({ pad: "x".repeat(MAX_BODY_LENGTH) }) }));
    expect(tooLong.request).toBeNull();
    expect(tooLong.errors.body).toMatch(/at most 16,384/);
  });

  it("makes a full custom request that parseToExtension accepts unchanged", () => {
    const check = validateBuilder(
      "custom",
      customValues({
        count: "20",
        concurrency: "5",
        paymentMode: "fixed",
        paymentId: "pay-42",
        keyMode: "fixed",
        fixedKey: "order-42",
        body: '{ "amount": 5000, "currency": "EUR" }',
        clientTimeoutMs: "300",
        slowGatewayMs: "1500",
        gatewayTimeoutAfterCharge: true,
        crashAfterJournal: false,
      }),
    );
    expect(check.errors).toEqual({});
    expect(check.request).toEqual({
      scenario: "custom",
      count: 20,
      concurrency: 5,
      paymentId: "pay-42",
      key: "fixed",
      fixedKey: "order-42",
      body: '{ "amount": 5000, "currency": "EUR" }',
      clientTimeoutMs: 300,
      faults: { slowGatewayMs: 1500, gatewayTimeoutAfterCharge: true, crashAfterJournal: false },
    });
    expect(parseToExtension({ type: "run", request: check.request })).toEqual({ ok: true, message: { type: "run", request: check.request } });
  });

  it("sends defaults for a fresh custom request: a new payment id, a generated key, no timeout", () => {
    const check = validateBuilder("custom", customValues());
    expect(check.request).toMatchObject({ scenario: "custom", count: CUSTOM_DEFAULTS.count, concurrency: CUSTOM_DEFAULTS.concurrency, paymentId: null, key: "generate", clientTimeoutMs: null });
    expect(check.request?.fixedKey).toBeUndefined();
    expect(JSON.parse(check.request!.body!)).toEqual({ amount: 10000, currency: "USD" });
    expect(parseToExtension({ type: "run", request: check.request }).ok).toBe(true);
    const none = validateBuilder("custom", customValues({ keyMode: "none", fixedKey: "ignored when not fixed" }));
    expect(none.request).toMatchObject({ key: "none" });
    expect(none.request?.fixedKey).toBeUndefined();
  });

  it("checks the custom fields against protocol.ts's limits", () => {
    const errorsOf = (over: Partial<BuilderValues>) => validateBuilder("custom", customValues(over)).errors;
    expect(errorsOf({ paymentMode: "fixed", paymentId: "" }).paymentId).toBeDefined();
    expect(errorsOf({ paymentMode: "fixed", paymentId: "pay 42" }).paymentId).toBeDefined();
    expect(errorsOf({ paymentMode: "fixed", paymentId: "p".repeat(201) }).paymentId).toBeDefined();
    expect(errorsOf({ paymentMode: "fresh", paymentId: "pay 42" }).paymentId).toBeUndefined(); // not used
    expect(errorsOf({ keyMode: "fixed", fixedKey: "" }).fixedKey).toBeDefined();
    expect(errorsOf({ keyMode: "fixed", fixedKey: "has space" }).fixedKey).toBeDefined();
    expect(errorsOf({ keyMode: "fixed", fixedKey: "k".repeat(MAX_KEY_LENGTH + 1) }).fixedKey).toBeDefined();
    expect(errorsOf({ keyMode: "fixed", fixedKey: "k".repeat(MAX_KEY_LENGTH) }).fixedKey).toBeUndefined();
    expect(errorsOf({ clientTimeoutMs: "0" }).clientTimeoutMs).toBeDefined();
    expect(errorsOf({ clientTimeoutMs: String(MAX_CLIENT_TIMEOUT_MS + 1) }).clientTimeoutMs).toBeDefined();
    expect(errorsOf({ clientTimeoutMs: String(MAX_CLIENT_TIMEOUT_MS) }).clientTimeoutMs).toBeUndefined();
    expect(errorsOf({ slowGatewayMs: String(MAX_SLOW_GATEWAY_MS + 1) }).slowGatewayMs).toBeDefined();
    expect(errorsOf({ slowGatewayMs: "0" }).slowGatewayMs).toBeUndefined();
  });

  it("every request it makes from valid input is one parseToExtension accepts", () => {
    const variants: Partial<BuilderValues>[] = [
      {},
      { keyMode: "none" },
      { keyMode: "fixed", fixedKey: "!~" },
      { paymentMode: "fixed", paymentId: "a.b_c~d-e" },
      { clientTimeoutMs: "1", slowGatewayMs: "0" },
      { slowGatewayMs: String(MAX_SLOW_GATEWAY_MS), crashAfterJournal: true },
      { body: "[]" },
      { body: "null" },
    ];
    for (const v of variants) {
      const check = validateBuilder("custom", customValues(v));
      expect(check.request, JSON.stringify(v)).not.toBeNull();
      expect(parseToExtension({ type: "run", request: check.request }).ok, JSON.stringify(v)).toBe(true);
    }
  });

  it("takes a scenario's defaults when the scenario changes, keeping the custom fields", () => {
    const scenarios: ScenarioInfo[] = SCENARIOS.map((s) => ({ id: s.id, title: s.title, lesson: s.lesson, kind: s.kind, defaults: s.defaults, conceptsSection: s.conceptsSection, needsLocalService: !!s.needsLocalService }));
    expect(scenarioDefaults("concurrent-burst", scenarios)).toEqual({ count: 100, concurrency: 100 });
    expect(scenarioDefaults("custom", scenarios)).toEqual(CUSTOM_DEFAULTS);
    const values = valuesForScenario(customValues({ body: "{}", count: "7" }), scenarioDefaults("duplicates-in-a-row", scenarios));
    expect(values).toMatchObject({ count: "5", concurrency: "1", body: "{}" });
  });
});

describe("timeline", () => {
  it("draws one row per request up to 200 requests", () => {
    const t = buildTimeline(record("r", burst(150)).result);
    expect(t.aggregated).toBe(false);
    expect(t.rows).toHaveLength(150);
    expect(t.rows[0]).toMatchObject({ first: 0, last: 0, kind: "executed", startMs: 0, endMs: 500 });
  });

  it("aggregates 10,000 requests into at most 100 rows covering every request once", () => {
    const details = burst(10_000);
    const t = buildTimeline(record("r", details).result);
    expect(t.aggregated).toBe(true);
    expect(t.rows.length).toBeLessThanOrEqual(100);
    expect(t.bucketSize).toBe(100);
    const total = t.rows.reduce((n, r) => n + Object.values(r.counts).reduce((a, b) => a + (b ?? 0), 0), 0);
    expect(total).toBe(10_000);
    expect(t.rows[0]).toMatchObject({ first: 0, last: 99, kind: "attached" });
    expect(t.rows[0]!.counts).toEqual({ executed: 1, attached: 99 });
    expect(t.rows[0]!.title).toContain("1 executed, 99 attached");
    expect(t.rows.at(-1)).toMatchObject({ first: 9_900, last: 9_999, kind: "replayed" });
    // A bar runs from the earliest send to the latest answer of its bucket.
    const bucket = details.slice(100, 200);
    expect(t.rows[1]!.startMs).toBe(Math.min(...bucket.map((d) => d.sentAtMs)));
    expect(t.rows[1]!.endMs).toBe(Math.max(...bucket.map((d) => d.sentAtMs + d.latencyMs)));
    expect(t.counts).toMatchObject({ executed: 1, attached: 4_999, replayed: 5_000 });
    expect(t.ariaLabel).toMatch(/^Timeline of 10,000 requests over .*in 100 groups of 100: 1 executed, 4,999 attached, 5,000 replayed\. Ledger: 1 charge, 0 refunds/);
  });

  it("aggregates just above the threshold into fewer than 100 rows", () => {
    const t = buildTimeline(record("r", burst(201)).result);
    expect(t.aggregated).toBe(true);
    expect(t.rows.length).toBeLessThanOrEqual(100);
    expect(t.rows.reduce((n, r) => n + (r.last - r.first + 1), 0)).toBe(201);
  });

  it("puts the payment's ledger entries at their time since the run's start, and only that payment's", () => {
    const r = record("r", burst(3)).result;
    expect(ledgerMarkers(r)).toEqual([{ id: "ch_000002", type: "charge", atMs: 250, label: "charge ch_000002" }]);
    const late = buildTimeline({ ...r, ledger: [{ ...r.ledger[0]!, at: "2026-01-01T10:00:01.500Z" }] });
    expect(late.domainMs).toBe(1500); // the domain reaches the marker
  });

  it("picks the dominant kind, ties to the first in ANSWER_KINDS", () => {
    expect(dominantKind({ attached: 3, replayed: 5 })).toBe("replayed");
    expect(dominantKind({ failed: 2, executed: 2 })).toBe("executed");
  });

  it("makes round ticks and a geometry that keeps bars inside the plot", () => {
    expect(niceTicks(578)).toEqual([0, 200, 400]);
    expect(niceTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0)).toEqual([0]);
    const t = buildTimeline(record("r", burst(10_000)).result);
    const g = timelineGeometry(t, 800);
    expect(g.x(0)).toBe(g.plotLeft);
    expect(g.x(t.domainMs)).toBeCloseTo(g.plotRight);
    expect(g.x(t.domainMs * 10)).toBeCloseTo(g.plotRight);
    expect(g.height).toBeLessThan(420);
  });
});

describe("virtual window", () => {
  const p = { viewportHeight: 360, rowHeight: 24, total: 10_000, overscan: 8 };

  it("renders the rows in view plus the margin, with spacers for the rest", () => {
    const top = virtualWindow({ ...p, scrollTop: 0 });
    expect(top).toEqual({ start: 0, end: 15 + 8, padTop: 0, padBottom: (10_000 - 23) * 24 });
    const mid = virtualWindow({ ...p, scrollTop: 24 * 5000 + 10 });
    expect(mid.start).toBe(5000 - 8);
    expect(mid.end).toBe(5000 + 16 + 8);
    expect(mid.padTop + (mid.end - mid.start) * 24 + mid.padBottom).toBe(10_000 * 24);
    expect(mid.end - mid.start).toBeLessThanOrEqual(40);
  });

  it("clamps past the end and handles short and empty tables", () => {
    const end = virtualWindow({ ...p, scrollTop: 10_000_000 });
    expect(end.end).toBe(10_000);
    expect(end.padBottom).toBe(0);
    expect(end.end - end.start).toBeLessThanOrEqual(15 + 8 + 1);
    expect(virtualWindow({ ...p, total: 3, scrollTop: 0 })).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
    expect(virtualWindow({ ...p, total: 0, scrollTop: 50 })).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });

  it("filters requests by answer kind in index order", () => {
    const details = [outcome(2, { answer: "replayed" }), outcome(0, { answer: "executed" }), outcome(1, { answer: "attached" })];
    expect(filterRequests(details, "all").map((d) => d.index)).toEqual([0, 1, 2]);
    expect(filterRequests(details, "replayed").map((d) => d.index)).toEqual([2]);
  });
});

describe("responses and diff", () => {
  it("groups answers by status and canonical JSON, most common first", () => {
    const a = { paymentId: "p", amount: 1, nested: { y: 1, x: 2 } };
    const sameReordered = { nested: { x: 2, y: 1 }, amount: 1, paymentId: "p" };
    const details = [
      outcome(0, { response: a, answer: "executed" }),
      outcome(1, { response: sameReordered }),
      outcome(2, { status: 422, response: { message: "exists" }, answer: "failed" }),
      outcome(3, { response: sameReordered }),
      outcome(4, { status: null, response: null, answer: "timed-out", error: "the client gave up after 300 ms" }),
    ];
    const groups = groupResponses(details);
    expect(groups.map((g) => [g.status, g.count, g.firstIndex])).toEqual([
      [200, 3, 0],
      [422, 1, 2],
      [null, 1, 4],
    ]);
    expect(groups[0]!.answers).toEqual({ executed: 1, attached: 2 });
    expect(groups[0]!.pretty).toBe(canonicalJson(a, 2));
    expect(groups[0]!.pretty.split("\n")[1]).toBe('  "amount": 1,');
    expect(groups[2]!.error).toBe("the client gave up after 300 ms");
  });

  it("diffs lines by longest common subsequence", () => {
    const a = ["{", '  "amount": 10000,', '  "currency": "USD",', '  "status": "charged"', "}"].join("\n");
    const b = ["{", '  "amount": 55000,', '  "currency": "EUR",', '  "status": "charged"', "}"].join("\n");
    expect(diffLines(a, b)).toEqual([
      { op: "same", text: "{" },
      { op: "removed", text: '  "amount": 10000,' },
      { op: "removed", text: '  "currency": "USD",' },
      { op: "added", text: '  "amount": 55000,' },
      { op: "added", text: '  "currency": "EUR",' },
      { op: "same", text: '  "status": "charged"' },
      { op: "same", text: "}" },
    ]);
    expect(diffLines("a\nb\nc", "a\nb\nc").every((d) => d.op === "same")).toBe(true);
    expect(diffLines("x\na\nb", "a\nb\ny")).toEqual([
      { op: "removed", text: "x" },
      { op: "same", text: "a" },
      { op: "same", text: "b" },
      { op: "added", text: "y" },
    ]);
  });
});

describe("summary, verdict and lab", () => {
  it("shows the counts as cards, the charges in red when there are more than payments", () => {
    const cards = summaryCards(record("r", burst(10_000), { requests: 10_000, charges: 2 }).result);
    expect(cards.find((c) => c.testid === "summary-requests")).toMatchObject({ value: "10,000", raw: 10_000 });
    expect(cards.map((c) => c.testid)).toEqual(["summary-requests", "summary-responses", "summary-invocations", "summary-charges", "summary-refunds", "summary-duration"]);
    expect(cards.find((c) => c.testid === "summary-charges")).toMatchObject({ value: "2", tone: "bad" });
    expect(summaryCards(record("r", burst(2)).result).find((c) => c.testid === "summary-charges")?.tone).toBe("good");
  });

  it("compares the verdict with the expected one", () => {
    expect(verdictView({ verdict: "safe", expectedVerdict: "safe", kind: "idempotent" })).toMatchObject({ word: "safe", asExpected: true });
    expect(verdictView({ verdict: "unsafe", expectedVerdict: "unsafe", kind: "anti-pattern" }).comparison).toMatch(/anti-pattern showed its flaw/);
    expect(verdictView({ verdict: "unexpected", expectedVerdict: "safe", kind: "idempotent" })).toMatchObject({ word: "unexpected", asExpected: false });
    expect(verdictView({ verdict: "skipped", expectedVerdict: "safe", kind: "idempotent" }).comparison).toMatch(/^Skipped/);
  });

  it("counts answers for every kind", () => {
    const counts = answerCounts(burst(10));
    expect(Object.keys(counts)).toEqual([...ANSWER_KINDS]);
    expect(counts).toMatchObject({ executed: 1, attached: 4, replayed: 5, failed: 0 });
  });

  it("describes the lab's states, with Start only when the lab is not ready", () => {
    expect(describeLab({ state: "ready", ingress: "http://127.0.0.1:8080", admin: "a", gateway: "g" })).toMatchObject({ showStart: false, canRun: true });
    expect(describeLab({ state: "stopped" })).toMatchObject({ showStart: true, startDisabled: false, canRun: false });
    expect(describeLab({ state: "starting" })).toMatchObject({ showStart: true, startDisabled: true });
    expect(describeLab({ state: "error", message: "port taken" })).toMatchObject({ detail: "port taken", startDisabled: false });
  });

  it("formats counts and durations without depending on the locale", () => {
    expect(formatCount(10_000)).toBe("10,000");
    expect(formatCount(999)).toBe("999");
    expect(formatMs(578)).toBe("578 ms");
    expect(formatMs(2210)).toBe("2.21 s");
  });
});

describe("history and comparison", () => {
  it("sorts history most recent first and drops malformed entries", () => {
    const h = sanitizeHistory([
      { runId: "a", scenario: "s", title: "A", verdict: "safe", requests: 1, charges: 1, finishedAt: "2026-01-01T10:00:00Z" },
      { runId: "b", scenario: "s", title: "B", verdict: "safe", requests: 1, charges: 1, finishedAt: "2026-01-01T12:00:00Z" },
      { runId: 3, title: "bad" },
      null,
    ]);
    expect(h.map((x) => x.runId)).toEqual(["b", "a"]);
    expect(sortHistory(h)).toEqual(h);
  });

  it("compares two runs' metrics and invariants, marking what differs", () => {
    const a = record("a", burst(100));
    const b = record("b", burst(1), {
      charges: 2,
      verdict: "unsafe",
      invariants: [
        { name: "the customer is charged once (gateway ledger)", expected: 1, observed: 2, ok: false, role: "safety" },
        { name: "the order is counted once", expected: 1, observed: 1, ok: true, role: "safety" },
      ],
    });
    const rows = compareRuns(a, b);
    const row = (label: string) => rows.find((r) => r.label === label)!;
    expect(row("Charges")).toMatchObject({ a: "1", b: "2", differs: true });
    expect(row("Verdict")).toMatchObject({ a: "safe", b: "unsafe", differs: true });
    expect(row("Distinct responses").differs).toBe(false);
    expect(row("Finished").differs).toBe(false);
    expect(row("the customer is charged once (gateway ledger)")).toMatchObject({ okA: true, okB: false, differs: true });
    expect(row("no request failed")).toMatchObject({ okA: true, okB: null, b: "—", differs: true });
    expect(row("the order is counted once")).toMatchObject({ okA: null, okB: true });
    expect(compareRuns(a, a).filter((r) => r.differs)).toEqual([]);
  });
});

describe("state and incoming data", () => {
  it("restores only well-formed persisted state", () => {
    expect(restoreState(undefined)).toMatchObject({ scenarioId: null, builder: null, currentRunId: null, view: "run" });
    expect(restoreState({ version: 2, scenarioId: "x" }).scenarioId).toBeNull();
    const s = restoreState({
      version: 1,
      scenarioId: "custom",
      currentRunId: "r1",
      compareA: "r1",
      compareB: 7,
      view: "compare",
      builder: { count: "12", keyMode: "bogus", body: 5, crashAfterJournal: true },
    });
    expect(s).toMatchObject({ scenarioId: "custom", currentRunId: "r1", compareA: "r1", compareB: null, view: "compare" });
    expect(s.builder).toMatchObject({ count: "12", keyMode: "generate", crashAfterJournal: true, gatewayTimeoutAfterCharge: false });
    expect(s.builder!.body).toBe(defaultBuilderValues().body);
  });

  it("keeps only well-formed scenarios, never one that claims the custom id", () => {
    const good = { id: "concurrent-burst", title: "t", lesson: "l", kind: "idempotent", defaults: { count: 1, concurrency: 1 }, conceptsSection: "x", needsLocalService: false };
    expect(sanitizeScenarios([good, { ...good, id: "custom" }, { ...good, kind: "other" }, { id: "x" }]).map((s) => s.id)).toEqual(["concurrent-burst"]);
  });

  it("names what is wrong with a malformed run record", () => {
    expect(runRecordProblem(record("r", burst(3)))).toBeNull();
    const broken = record("r", burst(3));
    (broken.result as { ledger?: unknown }).ledger = undefined;
    expect(runRecordProblem(broken)).toMatch(/ledger/);
    const badAnswer = record("r", [outcome(0, { answer: "weird" as AnswerKind })]);
    expect(runRecordProblem(badAnswer)).toMatch(/request/);
  });

  it("keeps a small cache of run records without evicting the ones on screen", () => {
    const cache = new RunCache(2);
    cache.put(record("a", []));
    cache.put(record("b", []));
    cache.put(record("c", []), ["a"]);
    expect(cache.has("a")).toBe(true);
    expect(cache.has("b")).toBe(false);
    expect(cache.has("c")).toBe(true);
    expect(cache.size).toBe(2);
  });
});
