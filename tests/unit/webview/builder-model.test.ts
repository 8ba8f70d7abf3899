// The request builder's validation (src/webview/builder-model.ts): what the builder sends is what the
// extension accepts.
import { describe, expect, it } from "vitest";
import {
  MAX_BODY_LENGTH,
  MAX_CLIENT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_COUNT,
  MAX_KEY_LENGTH,
  MAX_SLOW_GATEWAY_MS,
  parseToExtension,
} from "../../../src/shared/protocol.js";
import { SCENARIOS, scenarioInfo } from "../../../src/lab/replay/scenarios.js";
import {
  CUSTOM_DEFAULTS,
  defaultBuilderValues,
  scenarioDefaults,
  validateBuilder,
  valuesForScenario,
  type BuilderValues,
} from "../../../src/webview/builder/builder-model.js";

const customValues = (over: Partial<BuilderValues> = {}): BuilderValues => ({ ...defaultBuilderValues(CUSTOM_DEFAULTS), ...over });

describe("builder validation", () => {
  it("makes a catalog request with the count and concurrency, accepted by parseToExtension", () => {
    const check = validateBuilder("concurrent-burst", { ...defaultBuilderValues({ count: 100, concurrency: 100 }) });
    expect(check.errors).toEqual({});
    expect(check.request).toEqual({ scenario: "concurrent-burst", count: 100, concurrency: 100 });
    expect(parseToExtension({ type: "run", requestId: "w-1", request: check.request })).toEqual({
      ok: true,
      message: { type: "run", requestId: "w-1", request: check.request },
    });
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
    expect(parseToExtension({ type: "run", requestId: "w-1", request: max.request }).ok).toBe(true);
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
    expect(parseToExtension({ type: "run", requestId: "w-1", request: check.request })).toEqual({
      ok: true,
      message: { type: "run", requestId: "w-1", request: check.request },
    });
  });

  it("sends defaults for a fresh custom request: a new payment id, a generated key, no timeout", () => {
    const check = validateBuilder("custom", customValues());
    expect(check.request).toMatchObject({
      scenario: "custom",
      count: CUSTOM_DEFAULTS.count,
      concurrency: CUSTOM_DEFAULTS.concurrency,
      paymentId: null,
      key: "generate",
      clientTimeoutMs: null,
    });
    expect(check.request?.fixedKey).toBeUndefined();
    expect(JSON.parse(check.request!.body!)).toEqual({ amount: 10000, currency: "USD" });
    expect(parseToExtension({ type: "run", requestId: "w-1", request: check.request }).ok).toBe(true);
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
      expect(parseToExtension({ type: "run", requestId: "w-1", request: check.request }).ok, JSON.stringify(v)).toBe(true);
    }
  });

  it("takes a scenario's defaults when the scenario changes, keeping the custom fields", () => {
    const scenarios = SCENARIOS.map(scenarioInfo);
    expect(scenarioDefaults("concurrent-burst", scenarios)).toEqual({ count: 100, concurrency: 100 });
    expect(scenarioDefaults("custom", scenarios)).toEqual(CUSTOM_DEFAULTS);
    const values = valuesForScenario(customValues({ body: "{}", count: "7" }), scenarioDefaults("duplicates-in-a-row", scenarios));
    expect(values).toMatchObject({ count: "5", concurrency: "1", body: "{}" });
  });
});
