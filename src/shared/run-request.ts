// The learner's run request (the panel's builder, the Replay command), its limits, and its parser:
// the extension checks every request it receives before the engine sees it.
import { fail, isInt, isObject, jsonError, type Parsed } from "./parse.js";

export const MAX_COUNT = 10_000;
export const MAX_CONCURRENCY = 1_000;
export const MAX_CLIENT_TIMEOUT_MS = 120_000;
export const MAX_SLOW_GATEWAY_MS = 10_000;
export const MAX_KEY_LENGTH = 255;
export const MAX_BODY_LENGTH = 16 * 1024;
export const MAX_ID_LENGTH = 200;

/** A payment id of the learner's: it goes into URL paths. */
export const PAYMENT_ID_PATTERN = /^[A-Za-z0-9._~-]+$/;
/** An idempotency key of the learner's: printable ASCII without spaces (an HTTP header value). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]+$/;

/** The learner's own request (the panel's builder): what it sends when a field is left as it is. */
export const CUSTOM_SCENARIO = {
  id: "custom",
  defaults: { count: 5, concurrency: 1 },
  body: { amount: 10_000, currency: "USD" },
} as const;

/** What the request builder sends. Catalog scenarios use count and concurrency; "custom" uses everything. */
export interface RunRequest {
  scenario: string;
  count?: number;
  concurrency?: number;
  /** Custom runs: a payment id of the user's, or null for a fresh one per run. */
  paymentId?: string | null;
  /** Custom runs: one generated key for all requests, a fixed key, or none. */
  key?: "generate" | "fixed" | "none";
  fixedKey?: string;
  /** Custom runs: the JSON body of create, as text (validated as JSON). */
  body?: string;
  /** Custom runs: the client gives up after this many milliseconds (null: waits). */
  clientTimeoutMs?: number | null;
  faults?: {
    /** The gateway waits this long before each charge. */
    slowGatewayMs?: number;
    /** The gateway records the next charge and never answers. */
    gatewayTimeoutAfterCharge?: boolean;
    /** The service is killed once the charge is journaled. */
    crashAfterJournal?: boolean;
  };
}

export const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= MAX_ID_LENGTH;

export function parseRunRequest(value: unknown): Parsed<RunRequest> {
  if (!isObject(value)) return fail("request must be an object");
  const allowed = ["scenario", "count", "concurrency", "paymentId", "key", "fixedKey", "body", "clientTimeoutMs", "faults"];
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length > 0) return fail(`request has unknown fields: ${extra.join(", ")}`);
  if (!isId(value.scenario) || !/^[a-z0-9-]+$/.test(value.scenario)) return fail("scenario must be a scenario id");
  const request: RunRequest = { scenario: value.scenario };
  if (value.count !== undefined) {
    if (!isInt(value.count, 1, MAX_COUNT)) return fail(`count must be a whole number from 1 to ${MAX_COUNT}`);
    request.count = value.count;
  }
  if (value.concurrency !== undefined) {
    if (!isInt(value.concurrency, 1, MAX_CONCURRENCY)) return fail(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}`);
    request.concurrency = value.concurrency;
  }
  if (value.paymentId !== undefined) {
    if (value.paymentId !== null && (!isId(value.paymentId) || !PAYMENT_ID_PATTERN.test(value.paymentId))) {
      return fail("paymentId must be letters, digits, '.', '_', '~' or '-', at most 200 characters");
    }
    request.paymentId = value.paymentId;
  }
  if (value.key !== undefined) {
    if (value.key !== "generate" && value.key !== "fixed" && value.key !== "none") return fail('key must be "generate", "fixed" or "none"');
    request.key = value.key;
  }
  if (value.fixedKey !== undefined) {
    if (
      typeof value.fixedKey !== "string" ||
      value.fixedKey.length === 0 ||
      value.fixedKey.length > MAX_KEY_LENGTH ||
      !IDEMPOTENCY_KEY_PATTERN.test(value.fixedKey)
    ) {
      return fail(`fixedKey must be 1 to ${MAX_KEY_LENGTH} printable ASCII characters without spaces`);
    }
    request.fixedKey = value.fixedKey;
  }
  if (request.key === "fixed" && request.fixedKey === undefined) return fail('key "fixed" needs a fixedKey');
  if (value.body !== undefined) {
    if (typeof value.body !== "string" || value.body.length > MAX_BODY_LENGTH) return fail(`body must be JSON text of at most ${MAX_BODY_LENGTH} characters`);
    const json = jsonError(value.body);
    if (json) return fail(`body is not valid JSON: ${json}`);
    request.body = value.body;
  }
  if (value.clientTimeoutMs !== undefined) {
    if (value.clientTimeoutMs !== null && !isInt(value.clientTimeoutMs, 1, MAX_CLIENT_TIMEOUT_MS)) {
      return fail(`clientTimeoutMs must be a whole number from 1 to ${MAX_CLIENT_TIMEOUT_MS}, or null`);
    }
    request.clientTimeoutMs = value.clientTimeoutMs;
  }
  if (value.faults !== undefined) {
    const f = value.faults;
    if (!isObject(f)) return fail("faults must be an object");
    const extraFaults = Object.keys(f).filter((k) => !["slowGatewayMs", "gatewayTimeoutAfterCharge", "crashAfterJournal"].includes(k));
    if (extraFaults.length > 0) return fail(`faults has unknown fields: ${extraFaults.join(", ")}`);
    if (f.slowGatewayMs !== undefined && !isInt(f.slowGatewayMs, 0, MAX_SLOW_GATEWAY_MS)) return fail(`slowGatewayMs must be from 0 to ${MAX_SLOW_GATEWAY_MS}`);
    for (const flag of ["gatewayTimeoutAfterCharge", "crashAfterJournal"] as const) {
      if (f[flag] !== undefined && typeof f[flag] !== "boolean") return fail(`${flag} must be true or false`);
    }
    request.faults = {
      ...(f.slowGatewayMs !== undefined ? { slowGatewayMs: f.slowGatewayMs as number } : {}),
      ...(f.gatewayTimeoutAfterCharge !== undefined ? { gatewayTimeoutAfterCharge: f.gatewayTimeoutAfterCharge as boolean } : {}),
      ...(f.crashAfterJournal !== undefined ? { crashAfterJournal: f.crashAfterJournal as boolean } : {}),
    };
  }
  return { ok: true, message: request };
}
