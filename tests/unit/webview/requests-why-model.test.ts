// What Restate did with each request, its curl command line, and the attempts summary
// (src/webview/run/requests-why-model.ts).
import { describe, expect, it } from "vitest";
import type { AttemptRecord, InvocationAttempts } from "../../../src/shared/protocol.js";
import { attemptsSummary, curlCommand, whatRestateDid } from "../../../src/webview/run/requests-why-model.js";
import { summaryCards } from "../../../src/webview/run/run-model.js";
import { outcome, record } from "./fixtures.js";

const attempt = (number: number, outcome: AttemptRecord["outcome"] = "completed"): AttemptRecord => ({
  number,
  startedAt: null,
  retryOf: null,
  endedAt: null,
  outcome,
  error: null,
  entries: null,
});
const inv = (id: string, n: number): InvocationAttempts => ({
  invocationId: id,
  target: "PaymentService/pay-1/create",
  status: "completed",
  attempts: Array.from({ length: n }, (_, i) => attempt(i + 1, i < n - 1 ? "failed" : "completed")),
});

describe("what Restate did with each request", () => {
  it("names the request that ran, the ones that attached to it and the ones that got its stored answer", () => {
    const did = whatRestateDid([
      outcome(2, { sentAtMs: 500, answer: "replayed", replayHeader: true }),
      outcome(0, { sentAtMs: 0, answer: "executed" }),
      outcome(1, { sentAtMs: 1, answer: "attached" }),
    ]);
    expect(did.get(0)).toEqual({ kind: "ran", ref: null, text: "ran" });
    expect(did.get(1)).toEqual({ kind: "attached", ref: 0, text: "attached to #0's invocation" });
    expect(did.get(2)).toEqual({ kind: "replayed", ref: 0, text: "replayed #0's answer" });
  });

  it("tells a retry after a client timeout that it attached to the invocation the timed-out request started", () => {
    const did = whatRestateDid([
      outcome(0, { sentAtMs: 0, answer: "timed-out", status: null, response: null, invocationId: null }),
      outcome(1, { sentAtMs: 2000, answer: "executed", invocationId: "inv_7" }),
      outcome(2, { sentAtMs: 4000, answer: "replayed", replayHeader: true, invocationId: "inv_7" }),
      // Another key: nothing to attach to, it ran.
      outcome(3, { sentAtMs: 5000, answer: "executed", invocationId: "inv_8", idempotencyKey: "other" }),
    ]);
    expect(did.get(0)).toMatchObject({ kind: "other", text: "no answer before the client gave up" });
    expect(did.get(1)).toEqual({ kind: "attached", ref: 0, text: "attached to the invocation #0 started (#0's client gave up waiting)" });
    expect(did.get(2)).toEqual({ kind: "replayed", ref: 0, text: "replayed #0's answer" });
    expect(did.get(3)).toEqual({ kind: "ran", ref: null, text: "ran" });
    // The timed-out request's invocation had ended before the retry: its stored answer.
    const late = whatRestateDid([
      outcome(0, { sentAtMs: 0, answer: "timed-out", status: null, response: null, invocationId: null }),
      outcome(1, { sentAtMs: 9000, answer: "replayed", replayHeader: true, invocationId: "inv_7" }),
    ]);
    expect(late.get(1)).toEqual({ kind: "replayed", ref: 0, text: "replayed the answer of the invocation #0 started (#0's client gave up waiting)" });
  });

  it("tells a handler run again under the same id, a replay of an answer stored before the run, and a failure", () => {
    const did = whatRestateDid([
      outcome(0, { answer: "replayed", replayHeader: true, invocationId: "inv_old" }),
      outcome(1, { answer: "executed" }),
      outcome(2, { answer: "executed", sentAtMs: 100 }),
      outcome(3, { answer: "failed", status: 409, invocationId: null }),
      outcome(4, { answer: "failed", status: null, invocationId: null }),
    ]);
    expect(did.get(0)?.text).toBe("replayed a stored answer (from an invocation before this run)");
    expect(did.get(1)?.text).toBe("ran");
    expect(did.get(2)).toMatchObject({ kind: "ran", ref: 1, text: "ran again (same invocation id as #1, whose run had ended)" });
    expect(did.get(3)?.text).toBe("answered 409");
    expect(did.get(4)?.text).toBe("no answer (the request failed)");
  });
});

describe("Copy as cURL", () => {
  it("sends the same method, path, key and body to the ingress, quoted for a shell", () => {
    const r = outcome(0, { idempotencyKey: "it's-1", body: { note: "O'Brien" } });
    expect(curlCommand(r, "http://127.0.0.1:8080/")).toBe(
      `curl -i -X POST http://127.0.0.1:8080/PaymentService/pay-1/create -H 'content-type: application/json' -H 'idempotency-key: it'\\''s-1' --data '{"note":"O'\\''Brien"}'`,
    );
  });

  it("sends a GET without a body or a key when it had none", () => {
    expect(curlCommand({ method: "GET", path: "/restate/invocation/inv_1/attach", idempotencyKey: null, body: null }, "http://localhost:8080")).toBe(
      "curl -i http://localhost:8080/restate/invocation/inv_1/attach",
    );
  });
});

describe("attempts summary", () => {
  it("counts invocations and attempts from Restate's records", () => {
    expect(attemptsSummary({ invocations: [], attempts: [inv("inv_1", 2)] })).toEqual({
      invocations: 1,
      attempts: 2,
      text: "1 invocation, 2 attempts: the handler ran twice",
    });
    expect(attemptsSummary({ invocations: [], attempts: [inv("inv_1", 1)] }).text).toBe("1 invocation, 1 attempt: the handler ran once");
    expect(attemptsSummary({ invocations: [], attempts: [inv("inv_1", 1), inv("inv_2", 1)] }).text).toBe(
      "2 invocations, 2 attempts: the handler ran twice, no retry",
    );
    expect(attemptsSummary({ invocations: [], attempts: [inv("inv_1", 3), inv("inv_2", 1)] }).text).toBe(
      "2 invocations, 4 attempts: the handler ran 4 times, 2 of them retries",
    );
    expect(attemptsSummary({ invocations: [], attempts: [] }).text).toBe("No invocation: the handler never ran");
  });

  it("says so when the run's record has no attempts", () => {
    expect(attemptsSummary({ invocations: [] })).toMatchObject({ invocations: 0, attempts: null });
  });

  it("is the Attempts card beside the invocations in the run's summary", () => {
    const cards = summaryCards(record("r", [outcome(0, { answer: "executed" })], { attempts: [inv("inv_1", 2)] }).result);
    const at = cards.findIndex((c) => c.testid === "summary-attempts");
    expect(cards[at - 1]?.testid).toBe("summary-invocations");
    expect(cards[at]).toMatchObject({ value: "2", raw: 2, tone: "warn", hint: "1 invocation, 2 attempts: the handler ran twice" });
    expect(summaryCards(record("r", [outcome(0)]).result).find((c) => c.testid === "summary-attempts")).toMatchObject({ value: "—", tone: "neutral" });
  });
});
