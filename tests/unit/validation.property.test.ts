// The service's request validation under thousands of generated inputs: each is either a valid
// request (returned as given) or refused with a TerminalError 400 saying what is wrong. Never a
// crash, never another error. fast-check prints the failing seed and input when one fails.
import { TerminalError } from "@restatedev/restate-sdk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_AMOUNT, parseCreateRequest, parseRefundRequest } from "../../lab-templates/payment-service/src/validation.ts";

/** Calls `parse`; a refusal must be a 400 TerminalError with a message. */
function outcome<T>(parse: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: parse() };
  } catch (err) {
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).code).toBe(400);
    expect((err as Error).message.length).toBeGreaterThan(10);
    return { ok: false, message: (err as Error).message };
  }
}

const currencies = fc.constantFrom("USD", "EUR", "JPY", "GBP", "usd", "XXX1", "", "US");
const amounts = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.integer({ min: 1, max: MAX_AMOUNT }),
  fc.constant(MAX_AMOUNT + 1),
  fc.double(),
  fc.string(),
  fc.constant(null),
);
const anything = fc.anything({ withBigInt: false, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true });

describe("the service's request validation, generated", () => {
  it("create: a valid request comes back as given; anything else is a 400 naming the field", () => {
    fc.assert(
      fc.property(fc.oneof(anything, fc.record({ amount: amounts, currency: currencies }, { requiredKeys: [] })), (input) => {
        const result = outcome(() => parseCreateRequest(input));
        if (result.ok) {
          const body = input as { amount: number; currency: string };
          expect(result.value).toEqual({ amount: body.amount, currency: body.currency });
          expect(Number.isSafeInteger(body.amount) && body.amount >= 1 && body.amount <= MAX_AMOUNT).toBe(true);
          expect(body.currency).toMatch(/^[A-Z]{3}$/);
        } else {
          expect(result.message).toMatch(/request body must be a JSON object|amount must be|currency must be/);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("refund: the same, for refundId and amount", () => {
    fc.assert(
      fc.property(
        fc.oneof(anything, fc.record({ refundId: fc.oneof(fc.string({ maxLength: 120 }), fc.integer()), amount: amounts }, { requiredKeys: [] })),
        (input) => {
          const result = outcome(() => parseRefundRequest(input));
          if (result.ok) {
            const body = input as { refundId: string; amount: number };
            expect(result.value).toEqual({ refundId: body.refundId, amount: body.amount });
            expect(body.refundId.trim().length).toBeGreaterThan(0);
          } else {
            expect(result.message).toMatch(/request body must be a JSON object|refundId must be|amount must be/);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
