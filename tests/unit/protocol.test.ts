import { describe, expect, it } from "vitest";
import { customScenario } from "../../src/lab/replay/custom.js";
import { parseToExtension, parseToWebview } from "../../src/shared/protocol.js";

describe("messages from the webview", () => {
  it.each([
    [{ type: "ready" }],
    [{ type: "stop" }],
    [{ type: "run", request: { scenario: "concurrent-burst", count: 200, concurrency: 50 } }],
    [
      {
        type: "run",
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
    [{ type: "inspect", runId: "abc123", invocationId: "inv_1abc" }],
    [{ type: "export", runId: "abc123", format: "markdown" }],
    [{ type: "openConcepts", section: "idempotency-keys" }],
  ])("accepts %j", (message) => {
    expect(parseToExtension(message)).toEqual({ ok: true, message });
  });

  it.each([
    [null, /not a message object/],
    ["run", /not a message object/],
    [{ type: "explode" }, /unknown message type/],
    [{ type: "ready", extra: 1 }, /unknown fields: extra/],
    [{ type: "run" }, /request must be an object/],
    [{ type: "run", request: { scenario: "x", count: 0 } }, /count must be a whole number from 1 to 10000/],
    [{ type: "run", request: { scenario: "x", count: 10_001 } }, /count must be/],
    [{ type: "run", request: { scenario: "x", count: 1.5 } }, /count must be/],
    [{ type: "run", request: { scenario: "x", concurrency: 1001 } }, /concurrency must be/],
    [{ type: "run", request: { scenario: "x", body: "{amount: 1" } }, /body is not valid JSON/],
    [{ type: "run", request: { scenario: "x", key: "fixed" } }, /needs a fixedKey/],
    [{ type: "run", request: { scenario: "x", key: "fixed", fixedKey: "" } }, /fixedKey must be 1 to 255/],
    [{ type: "run", request: { scenario: "x", key: "fixed", fixedKey: "k".repeat(256) } }, /fixedKey must be/],
    [{ type: "run", request: { scenario: "x", key: "fixed", fixedKey: "ключ" } }, /printable ASCII/],
    [{ type: "run", request: { scenario: "x", paymentId: "a'; DROP TABLE" } }, /paymentId must be letters/],
    [{ type: "run", request: { scenario: "x", faults: { slowGatewayMs: -1 } } }, /slowGatewayMs/],
    [{ type: "run", request: { scenario: "x", faults: { explode: true } } }, /faults has unknown fields/],
    [{ type: "run", request: { scenario: "../../etc" } }, /scenario must be a scenario id/],
    [{ type: "inspect", runId: "r" }, /needs a runId and an invocationId/],
    [{ type: "export", runId: "r", format: "html" }, /format/],
    [{ type: "openConcepts", section: "<script>" }, /section id/],
  ])("rejects %j", (message, error) => {
    const parsed = parseToExtension(message);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(error);
  });
});

describe("messages from the extension", () => {
  it("accepts the known ones and rejects the rest", () => {
    expect(parseToWebview({ type: "progress", done: 5, total: 10 }).ok).toBe(true);
    expect(parseToWebview({ type: "lab", lab: { state: "ready", ingress: "i", admin: "a", gateway: "g" } }).ok).toBe(true);
    expect(parseToWebview({ type: "progress", done: -1, total: 10 }).ok).toBe(false);
    expect(parseToWebview({ type: "lab", lab: { state: "exploded" } }).ok).toBe(false);
    expect(parseToWebview({ type: "run", run: {} }).ok).toBe(false);
    expect(parseToWebview({ type: "eval", code: "alert(1)" }).ok).toBe(false);
  });

  it("needs a failure to say which request it is about", () => {
    expect(parseToWebview({ type: "runFailed", message: "no lab", about: "startLab" }).ok).toBe(true);
    expect(parseToWebview({ type: "runFailed", message: "no lab" }).ok).toBe(false);
    expect(parseToWebview({ type: "runFailed", message: "no lab", about: "explode" }).ok).toBe(false);
  });
});

describe("custom scenarios", () => {
  it("turn the builder's faults into plan steps and their sanity checks", () => {
    const s = customScenario({ scenario: "custom", key: "none", body: '{"amount":5,"currency":"EUR"}', faults: { slowGatewayMs: 300, crashAfterJournal: true } });
    expect(s.plan[0]).toEqual({ kind: "faults", faults: { latencyMs: 300, receiptLatencyMs: 1500 } });
    expect(s.plan[1]).toMatchObject({ kind: "requests", key: "none", body: { amount: 5, currency: "EUR" }, crashServiceAfter: { run: "charge", state: "completed" } });
    expect(s.needsLocalService).toBe(true);
    expect(s.invariants.map((i) => i.metric)).toEqual(["charges", "distinctResponses", "serviceCrashed"]);
  });

  it("refuses a body that is not JSON with a clear message", () => {
    expect(() => customScenario({ scenario: "custom", body: "{" })).toThrow(/The body is not valid JSON/);
  });
});
