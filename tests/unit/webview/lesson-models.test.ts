// The lessons' models in the run view: the prediction's fields and its evidence, the scope table,
// the retention countdown and a custom run's faults, each told from the run's own data.
import { describe, expect, it } from "vitest";
import { scorePrediction } from "../../../src/shared/protocol.js";
import { faultStories } from "../../../src/webview/run/faults-model.js";
import { checkPrediction, EMPTY_PREDICTION, isEmptyDraft } from "../../../src/webview/builder/prediction-model.js";
import { predictionRows } from "../../../src/webview/run/prediction-result-model.js";
import { parseDuration, retentionView } from "../../../src/webview/run/retention-model.js";
import { MAX_SCOPE_ROWS, scopeRows, scopeSummary } from "../../../src/webview/run/scopes-model.js";
import { burst, outcome, record } from "./fixtures.js";
import { chargeOutsideRun, customLostAnswer, keyScope, retention } from "./lesson-fixtures.js";

describe("the prediction's fields", () => {
  it("turn into a prediction of the parts given, or say what is wrong", () => {
    expect(isEmptyDraft(EMPTY_PREDICTION)).toBe(true);
    expect(checkPrediction(EMPTY_PREDICTION)).toEqual({ prediction: null, errors: {} });
    expect(checkPrediction({ invocations: "1", charges: "", answer: "attached" })).toEqual({ prediction: { invocations: 1, answer: "attached" }, errors: {} });
    const bad = checkPrediction({ invocations: "-1", charges: "2", answer: "" });
    expect(bad.prediction).toBeNull();
    expect(bad.errors.invocations).toMatch(/The number of invocations must be a whole number from 0 to 100,000/);
  });

  it("after the run, sit next to the evidence: one invocation in two attempts, two charges, one without a journal entry", () => {
    const run = chargeOutsideRun();
    const score = scorePrediction({ invocations: 2, charges: 2, answer: "replayed" }, run.result);
    const rows = predictionRows({ ...run, prediction: { invocations: 2, charges: 2, answer: "replayed" }, score })!;
    expect(rows.map((r) => [r.part, r.predicted, r.observed, r.correct])).toEqual([
      ["invocations", "2", "1", false],
      ["charges", "2", "2", true],
      ["answer", "replayed", "executed", false],
    ]);
    expect(rows[0]!.evidence).toMatch(
      /^1 distinct invocation answered the 1 request; Restate's records show inv_1lCv\S+ ran in 2 attempts \(attempt 1 failed: Payment gateway/,
    );
    expect(rows[1]!.evidence).toBe("The gateway's ledger: ch_000001 (attempt 1, in no journal entry), ch_000002 (attempt 2, in no journal entry).");
    expect(rows[2]!.evidence).toBe("The requests: 1 executed.");
    expect(predictionRows(run)).toBeNull();
  });
});

describe("the scope table", () => {
  it("lists each request's scope and the invocation that answered it, and counts what the rows show", () => {
    const rows = scopeRows(keyScope().result)!;
    expect(rows.map((r) => [r.label, `${r.service}/${r.objectKey}/${r.handler}`, r.invocationId, r.sameInvocationAs, r.sameScopeAs])).toEqual([
      ["first", "PaymentService/pay-1/create", "inv_a", null, null],
      ["same-scope", "PaymentService/pay-1/create", "inv_a", 0, 0],
      ["other-payment", "PaymentService/pay-1-other/create", "inv_b", null, null],
      ["other-handler", "PaymentService/pay-1/refund", "inv_c", null, null],
      ["other-service", "PaymentAntiPatterns/pay-1/countOutsideJournal", "inv_d", null, null],
    ]);
    expect(scopeSummary(rows)).toBe(
      "One idempotency key (k) went to 4 scopes (service, object key, handler); 4 invocations answered. 1 of 1 repeated request in the same scope with the same key was answered by the earlier invocation. 4 of 4 first requests in a scope got an invocation of their own.",
    );
  });

  it("is not drawn for a run in one scope, or one too big to list", () => {
    expect(scopeRows(record("r", burst(5)).result)).toBeNull();
    const t = (i: number) => ({ service: "S", key: `k${i % 2}`, handler: "h" });
    expect(
      scopeRows(
        record(
          "r",
          Array.from({ length: MAX_SCOPE_ROWS + 1 }, (_, i) => outcome(i, { target: t(i) })),
        ).result,
      ),
    ).toBeNull();
  });
});

describe("the retention countdown", () => {
  it("reads Restate's durations", () => {
    expect(parseDuration("5s")).toBe(5000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("1h 30m")).toBe(5_400_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("soon")).toBeNull();
  });

  it("counts each request of the key down to the expiry the answers carried, and places the cleaner's removal", () => {
    const v = retentionView(retention().result)!;
    expect(v).toMatchObject({ expiresMs: 5114, keptFromMs: 114, removal: { atMs: 7154, reached: true, afterExpiryMs: 2040 } });
    expect(v.headline).toBe("PaymentService kept keys for 5s in this run (it was 1d; put back after the run). The key expired at +5.11 s.");
    expect(v.rows.map((r) => [r.index, Math.round(r.leftMs), r.answer, r.afterRemoval])).toEqual([
      [0, 5081, "executed", false],
      [1, 4986, "replayed", false],
      [2, -295, "replayed", false],
      [3, -2040, "executed", true],
    ]);
    expect(v.rows[2]!.text).toBe("#2 (after-expiry) sent at +5.41 s, 295.1 ms after the expiry: replayed (idempotency-expires in the answer).");
  });

  it("is not drawn for a run that neither set a retention nor waited for an expiry", () => {
    expect(retentionView(chargeOutsideRun().result)).toBeNull();
  });
});

describe("a custom run's faults", () => {
  it("names each fault injected and tells what it did from the run's records", () => {
    const [lost] = faultStories(customLostAnswer());
    expect(lost!.fault).toBe("Lost answer: the gateway recorded the next charge and never answered it.");
    expect(lost!.did).toBe(
      'The gateway did lose an answer (the run checked it). Attempt 1 of inv_14XWh0W8cEZM185I4dKKtoV7zVVaoQslRN asked for ch_000003 and failed 2.02 s later: Payment gateway /charges did not answer within 2000 ms: The operation was aborted due to timeout. Restate retried it (attempt 2, completed). The retry got ch_000003 back from the gateway: it is the result of ctx.run "charge" (journal entry 3). The ledger has 1 charge for the payment (ch_000003).',
    );
  });

  it("says when a fault did not happen, and tells the slow gateway and client timeout from the requests", () => {
    const base = customLostAnswer();
    const stories = faultStories({ ...base, request: { scenario: "custom", clientTimeoutMs: 300, faults: { slowGatewayMs: 500, crashAfterJournal: true } } });
    expect(stories.map((s) => s.id)).toEqual(["slow-gateway", "crash", "client-timeout"]);
    expect(stories[0]!.did).toMatch(
      /^The gateway recorded ch_000003 1 ms after it got the request\. The first request was answered after 2\.57 s\. No request attached/,
    );
    expect(stories[1]!.did).toMatch(/^The service was not killed: the run never saw the charge's ctx.run in the journal/);
    expect(stories[2]!.did).toBe("Every request was answered before the client's timeout.");
    expect(faultStories(chargeOutsideRun())).toEqual([]);
  });

  it("tells a client that gave up before a slow gateway charged: no answer, and no charge yet when the run read the ledger", () => {
    const timedOut = [0, 1].map((i) => outcome(i, { answer: "timed-out", status: null, invocationId: null, latencyMs: 278 }));
    const run = {
      ...record("t", timedOut, { id: "custom", ledger: [], attempts: [], ledgerLinks: [] }),
      request: { scenario: "custom", clientTimeoutMs: 200, faults: { slowGatewayMs: 1000 } },
    };
    const [slow, timeout] = faultStories(run);
    expect(slow!.did).toBe(
      "The ledger had no charge for the payment when the run read it. The first request got no answer: the client gave up after 278 ms. No request attached to a running invocation.",
    );
    expect(timeout!.did).toBe("2 requests timed out at the client. The ledger has 0 charges for the payment.");
  });
});
