// The request builder's values, and their validation into a run request with protocol.ts's limits.
import {
  CUSTOM_SCENARIO,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_BODY_LENGTH,
  MAX_CLIENT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_COUNT,
  MAX_ID_LENGTH,
  MAX_KEY_LENGTH,
  MAX_SLOW_GATEWAY_MS,
  PAYMENT_ID_PATTERN,
  jsonError,
} from "../../shared/protocol.js";
import type { RunRequest, ScenarioInfo } from "../../shared/protocol.js";
import { formatCount } from "../ui/format.js";
import { parseWholeNumber } from "../ui/whole-number.js";

export const CUSTOM_SCENARIO_ID = CUSTOM_SCENARIO.id;
/** What the extension's custom scenario uses when the builder sends nothing else. */
export const CUSTOM_DEFAULTS = CUSTOM_SCENARIO.defaults;
export const DEFAULT_CUSTOM_BODY = JSON.stringify(CUSTOM_SCENARIO.body, null, 2);

export interface BuilderValues {
  count: string;
  concurrency: string;
  paymentMode: "fresh" | "fixed";
  paymentId: string;
  keyMode: "generate" | "fixed" | "none";
  fixedKey: string;
  body: string;
  clientTimeoutMs: string;
  slowGatewayMs: string;
  gatewayTimeoutAfterCharge: boolean;
  crashAfterJournal: boolean;
}

export type BuilderField = "count" | "concurrency" | "paymentId" | "fixedKey" | "body" | "clientTimeoutMs" | "slowGatewayMs";

export interface BuilderCheck {
  /** The request to send, or null while any field is invalid. */
  request: RunRequest | null;
  errors: Partial<Record<BuilderField, string>>;
}

export function scenarioDefaults(scenarioId: string, scenarios: readonly ScenarioInfo[]): { count: number; concurrency: number } {
  if (scenarioId === CUSTOM_SCENARIO_ID) return { ...CUSTOM_DEFAULTS };
  return scenarios.find((s) => s.id === scenarioId)?.defaults ?? { ...CUSTOM_DEFAULTS };
}

export function defaultBuilderValues(defaults: { count: number; concurrency: number } = CUSTOM_DEFAULTS): BuilderValues {
  return {
    count: String(defaults.count),
    concurrency: String(defaults.concurrency),
    paymentMode: "fresh",
    paymentId: "",
    keyMode: "generate",
    fixedKey: "",
    body: DEFAULT_CUSTOM_BODY,
    clientTimeoutMs: "",
    slowGatewayMs: "",
    gatewayTimeoutAfterCharge: false,
    crashAfterJournal: false,
  };
}

/** Builder values for another scenario: its default count and concurrency, the custom fields kept. */
export function valuesForScenario(values: BuilderValues, defaults: { count: number; concurrency: number }): BuilderValues {
  return { ...values, count: String(defaults.count), concurrency: String(defaults.concurrency) };
}

/** Validates the builder and makes the run request; the limits are protocol.ts's own. */
export function validateBuilder(scenarioId: string, values: BuilderValues): BuilderCheck {
  const errors: Partial<Record<BuilderField, string>> = {};
  const count = parseWholeNumber(values.count, 1, MAX_COUNT, "the count");
  if (!count.ok) errors.count = count.error;
  const concurrency = parseWholeNumber(values.concurrency, 1, MAX_CONCURRENCY, "the concurrency");
  if (!concurrency.ok) errors.concurrency = concurrency.error;

  if (scenarioId !== CUSTOM_SCENARIO_ID) {
    if (!count.ok || !concurrency.ok) return { request: null, errors };
    return { request: { scenario: scenarioId, count: count.value, concurrency: concurrency.value }, errors };
  }

  let paymentId: string | null = null;
  if (values.paymentMode === "fixed") {
    const id = values.paymentId.trim();
    if (id === "") errors.paymentId = "Enter a payment id, or choose a new one per run";
    else if (id.length > MAX_ID_LENGTH || !PAYMENT_ID_PATTERN.test(id)) {
      errors.paymentId = `Use letters, digits, '.', '_', '~' or '-', at most ${MAX_ID_LENGTH} characters`;
    } else paymentId = id;
  }

  let fixedKey: string | undefined;
  if (values.keyMode === "fixed") {
    const key = values.fixedKey;
    if (key === "") errors.fixedKey = "Enter the idempotency key";
    else if (key.length > MAX_KEY_LENGTH || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      errors.fixedKey = `Use 1 to ${MAX_KEY_LENGTH} printable ASCII characters without spaces`;
    } else fixedKey = key;
  }

  if (values.body.length > MAX_BODY_LENGTH) errors.body = `The body is ${formatCount(values.body.length)} characters; at most ${formatCount(MAX_BODY_LENGTH)}`;
  else {
    const bodyError = jsonError(values.body);
    if (bodyError !== null) errors.body = `Not valid JSON: ${bodyError}`;
  }

  let clientTimeoutMs: number | null = null;
  if (values.clientTimeoutMs.trim() !== "") {
    const t = parseWholeNumber(values.clientTimeoutMs, 1, MAX_CLIENT_TIMEOUT_MS, "the client timeout");
    if (t.ok) clientTimeoutMs = t.value;
    else errors.clientTimeoutMs = t.error;
  }

  let slowGatewayMs: number | undefined;
  if (values.slowGatewayMs.trim() !== "") {
    const s = parseWholeNumber(values.slowGatewayMs, 0, MAX_SLOW_GATEWAY_MS, "the gateway delay");
    if (s.ok) slowGatewayMs = s.value;
    else errors.slowGatewayMs = s.error;
  }

  if (Object.keys(errors).length > 0 || !count.ok || !concurrency.ok) return { request: null, errors };
  const request: RunRequest = {
    scenario: CUSTOM_SCENARIO_ID,
    count: count.value,
    concurrency: concurrency.value,
    paymentId,
    key: values.keyMode,
    ...(fixedKey !== undefined ? { fixedKey } : {}),
    body: values.body,
    clientTimeoutMs,
    faults: {
      ...(slowGatewayMs !== undefined && slowGatewayMs > 0 ? { slowGatewayMs } : {}),
      gatewayTimeoutAfterCharge: values.gatewayTimeoutAfterCharge,
      crashAfterJournal: values.crashAfterJournal,
    },
  };
  return { request, errors };
}
