// Generated bad input for the panel's messages: parseToExtension, parseRunRequest and parseToWebview
// (src/shared/protocol.ts) under thousands of inputs each. Every input is accepted as a valid
// message or refused with a message saying what is wrong; never a crash, never a write to the
// input, never part of a message handed on. fast-check prints the failing seed when one fails.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { TerminalError } from "@restatedev/restate-sdk";
import { parseCreateRequest, parseRefundRequest } from "../../lab-templates/payment-service/src/validation.ts";
import {
  MAX_BODY_LENGTH,
  MAX_CLIENT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  MAX_COUNT,
  MAX_KEY_LENGTH,
  MAX_SLOW_GATEWAY_MS,
  parseRunRequest,
  parseToExtension,
  parseToWebview,
  REQUEST_ID_PATTERN,
  runRecordProblem,
  type Parsed,
  type RunRequest,
} from "../../src/shared/protocol.js";
import { burst, record } from "../unit/webview/fixtures.js";
import { anything, checkProperty, deepFreeze } from "./properties.js";
import { Table } from "./table.js";

const table = new Table();
afterAll(() => table.print());

/** The shape every answer of a parser has: a message, or an error in words and nothing else. */
function wellFormed<T>(parsed: Parsed<T>): void {
  if (parsed.ok) return;
  expect(typeof parsed.error).toBe("string");
  expect(parsed.error.length).toBeGreaterThan(5);
  expect(parsed).not.toHaveProperty("message");
  if (parsed.requestId !== undefined) expect(parsed.requestId).toMatch(REQUEST_ID_PATTERN);
}

const requestId = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);

/** Anything, or a near-message: one of these types, a requestId or not, and these fields holding anything. */
const nearMessages = (types: string[], fields: string[]) =>
  fc.oneof(
    anything,
    fc.record(
      { type: fc.constantFrom(...types), requestId: fc.oneof(requestId, anything), ...Object.fromEntries(fields.map((f) => [f, anything])) },
      { requiredKeys: ["type"] },
    ),
  );

const ident = fc.stringMatching(/^[a-z0-9-]{1,30}$/);

/** Requests the builder may send: every field optional, every value within its bounds. */
const validRequest: fc.Arbitrary<RunRequest> = fc
  .record(
    {
      scenario: ident,
      count: fc.integer({ min: 1, max: MAX_COUNT }),
      concurrency: fc.integer({ min: 1, max: MAX_CONCURRENCY }),
      paymentId: fc.oneof(fc.constant(null), fc.stringMatching(/^[A-Za-z0-9._~-]{1,200}$/)),
      key: fc.constantFrom("generate" as const, "fixed" as const, "none" as const),
      fixedKey: fc.stringMatching(/^[\x21-\x7e]{1,255}$/),
      body: fc.json({ maxDepth: 2 }).filter((t) => t.length <= MAX_BODY_LENGTH),
      clientTimeoutMs: fc.oneof(fc.constant(null), fc.integer({ min: 1, max: MAX_CLIENT_TIMEOUT_MS })),
      faults: fc.record(
        { slowGatewayMs: fc.integer({ min: 0, max: MAX_SLOW_GATEWAY_MS }), gatewayTimeoutAfterCharge: fc.boolean(), crashAfterJournal: fc.boolean() },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ["scenario"] },
  )
  .map((r) => (r.key === "fixed" && r.fixedKey === undefined ? { ...r, fixedKey: "k" } : r));

/** One field of a valid request made wrong, and the words the refusal must use. */
const brokenField = fc.oneof(
  fc.record({
    field: fc.constant("count"),
    value: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_COUNT + 1 }), fc.double({ min: 1.01, max: 2, noInteger: true }), fc.string()),
    says: fc.constant(/count must be/),
  }),
  fc.record({
    field: fc.constant("concurrency"),
    value: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_CONCURRENCY + 1 }), fc.constant(null)),
    says: fc.constant(/concurrency must be/),
  }),
  fc.record({
    field: fc.constant("paymentId"),
    value: fc.oneof(
      fc.constant(""),
      fc.string({ minLength: 1 }).map((s) => `${s}'"`),
      fc.constant("x".repeat(201)),
      fc.integer(),
    ),
    says: fc.constant(/paymentId must be/),
  }),
  fc.record({
    field: fc.constant("key"),
    value: fc.oneof(
      fc.string().filter((s) => !["generate", "fixed", "none"].includes(s)),
      fc.boolean(),
    ),
    says: fc.constant(/key must be/),
  }),
  fc.record({
    field: fc.constant("fixedKey"),
    value: fc.oneof(fc.constant(""), fc.constant("k".repeat(MAX_KEY_LENGTH + 1)), fc.constant("with space"), fc.constant("ключ"), fc.integer()),
    says: fc.constant(/fixedKey must be/),
  }),
  fc.record({
    field: fc.constant("body"),
    value: fc.oneof(fc.constant("{amount:"), fc.constant("[1,"), fc.integer(), fc.constant("1".repeat(MAX_BODY_LENGTH + 1))),
    says: fc.constant(/body (is not valid JSON|must be JSON text)/),
  }),
  fc.record({
    field: fc.constant("clientTimeoutMs"),
    value: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: MAX_CLIENT_TIMEOUT_MS + 1 }), fc.string()),
    says: fc.constant(/clientTimeoutMs must be/),
  }),
  fc.record({
    field: fc.constant("faults"),
    value: fc.oneof(fc.constant([]), fc.constant({ slowGatewayMs: -1 }), fc.constant({ crashAfterJournal: "yes" }), fc.constant({ explode: true })),
    says: fc.constant(/faults|slowGatewayMs|crashAfterJournal/),
  }),
  fc.record({
    field: ident.filter((f) => !["scenario", "count", "concurrency", "paymentId", "key", "fixedKey", "body", "clientTimeoutMs", "faults"].includes(f)),
    value: anything,
    says: fc.constant(/unknown fields/),
  }),
);

/** Every message type the webview sends, well formed. */
const validToExtension = fc.oneof(
  fc.constantFrom({ type: "ready" }, { type: "stop" }),
  fc.record({ type: fc.constant("run"), requestId, request: validRequest }),
  fc.record({ type: fc.constant("startLab"), requestId }),
  fc.record({ type: fc.constant("openRun"), requestId, runId: fc.string({ minLength: 1, maxLength: 200 }) }),
  fc.record({
    type: fc.constant("inspect"),
    requestId,
    runId: fc.string({ minLength: 1, maxLength: 200 }),
    invocationId: fc.string({ minLength: 1, maxLength: 200 }),
  }),
  fc.record({ type: fc.constant("export"), requestId, runId: fc.string({ minLength: 1, maxLength: 200 }), format: fc.constantFrom("markdown", "json") }),
  fc.record({ type: fc.constant("openConcepts"), requestId, section: fc.stringMatching(/^[a-z0-9-]{1,60}$/) }),
);

describe("the panel's messages, generated", () => {
  it("parseToExtension, anything at all: a message or a refusal in words", () => {
    const property = fc.property(
      nearMessages(
        ["ready", "stop", "run", "startLab", "openRun", "inspect", "export", "openConcepts", "x"],
        ["request", "runId", "invocationId", "format", "section"],
      ),
      (input) => {
        const parsed = parseToExtension(deepFreeze(input));
        wellFormed(parsed);
        // What passes parses again to itself: nothing in it depends on what was dropped.
        if (parsed.ok) expect(parseToExtension(structuredClone(parsed.message))).toEqual(parsed);
      },
    );
    checkProperty(table, "parseToExtension: arbitrary values and near-messages", property, 5000);
  });

  it("parseToExtension, well-formed messages: each accepted exactly as sent", () => {
    checkProperty(
      table,
      "parseToExtension: every well-formed message accepted as sent",
      fc.property(validToExtension, (message) => {
        expect(parseToExtension(deepFreeze(message))).toEqual({ ok: true, message });
      }),
      3000,
    );
  });

  it("parseRunRequest: valid requests come back as sent; one broken field is refused, naming it, and nothing of the request is handed on", () => {
    const property = fc.property(validRequest, fc.option(brokenField, { nil: undefined }), (request, broken) => {
      const input = deepFreeze(broken ? { ...request, [broken.field]: broken.value } : request);
      const parsed = parseRunRequest(input);
      wellFormed(parsed);
      if (!broken) expect(parsed).toEqual({ ok: true, message: request });
      else {
        expect(parsed.ok, `${broken.field}=${fc.stringify(broken.value)}`).toBe(false);
        if (!parsed.ok) expect(parsed.error).toMatch(broken.says);
      }
    });
    checkProperty(table, "parseRunRequest: valid requests, and each with one field broken", property, 5000);
  });

  it("parseToWebview, anything at all: a message or a refusal (with the requestId it answers, when valid)", () => {
    const property = fc.property(
      nearMessages(
        ["init", "lab", "runStarted", "progress", "run", "failed", "history", "journal", "x"],
        ["run", "lab", "history", "scenarios", "done", "total", "message", "entries"],
      ),
      (input) => {
        const parsed = parseToWebview(deepFreeze(input));
        wellFormed(parsed);
      },
    );
    checkProperty(table, "parseToWebview: arbitrary values and near-messages", property, 5000);
  });

  it("parseToWebview, run records with one part broken: refused, naming the part, or accepted only when the record is whole", () => {
    const parts = [
      "runId",
      "request",
      "finishedAt",
      "conceptsSection",
      "result",
      "result.requests",
      "result.verdict",
      "result.kind",
      "result.ledger",
      "result.notes",
      "result.requestsDetail",
      "result.requestsDetail.0.answer",
    ];
    const property = fc.property(
      requestId,
      fc.integer({ min: 1, max: 50 }),
      fc.option(fc.tuple(fc.constantFrom(...parts), anything), { nil: undefined }),
      (id, n, broken) => {
        const run = record("run-1", burst(n)) as unknown as Record<string, unknown>;
        if (broken) setPath(run, broken[0], broken[1]);
        const parsed = parseToWebview(deepFreeze({ type: "run", requestId: id, run }));
        wellFormed(parsed);
        expect(parsed.ok).toBe(runRecordProblem(run) === null);
        if (!parsed.ok) expect(parsed.requestId).toBe(id); // the run that asked fails, with a reason
      },
    );
    checkProperty(table, "parseToWebview: run records, whole and with a part broken", property, 3000);
  });
});

describe("the service's request validation, generated (the row for the unit suite's property)", () => {
  it("create and refund bodies: valid, or a 400 saying which field", () => {
    // What a JSON body can hold (Restate hands the handler parsed JSON: no BigInt, no Map).
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          amount: fc.oneof(fc.integer(), fc.double(), fc.string()),
          currency: fc.constantFrom("USD", "EUR", "usd", "", "XXXX"),
          refundId: fc.oneof(fc.string(), fc.integer()),
        },
        { requiredKeys: [] },
      ),
    );
    const property = fc.property(body, fc.boolean(), (input, refund) => {
      try {
        (refund ? parseRefundRequest : parseCreateRequest)(deepFreeze(input));
      } catch (err) {
        expect(err).toBeInstanceOf(TerminalError);
        expect((err as TerminalError).code).toBe(400);
        expect((err as Error).message).toMatch(/request body must be a JSON object|amount must be|currency must be|refundId must be/);
      }
    });
    checkProperty(table, "service validation: create and refund JSON bodies", property, 4000);
  });
});

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let at: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof at[key] !== "object" || at[key] === null) return;
    at = at[key] as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}
