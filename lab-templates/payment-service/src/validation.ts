// Input checks for the handlers. A bad request is a TerminalError with code 400:
// Restate does not retry it, and nothing is charged.
import { TerminalError } from "@restatedev/restate-sdk";
import type { CreatePaymentRequest, RefundRequest } from "./types.ts";

/** 100 million in major units: larger amounts are a typo, not a payment. */
export const MAX_AMOUNT = 10_000_000_000;

const ISO_4217 = new Set(Intl.supportedValuesOf("currency"));

export function parseCreateRequest(input: unknown): CreatePaymentRequest {
  const body = asObject(input, '{ "amount": 1000, "currency": "USD" }');
  return { amount: checkAmount(body.amount), currency: checkCurrency(body.currency) };
}

export function parseRefundRequest(input: unknown): RefundRequest {
  const body = asObject(input, '{ "refundId": "r-1", "amount": 500 }');
  const refundId = body.refundId;
  if (typeof refundId !== "string" || refundId.trim() === "" || refundId.length > 100) {
    throw badRequest(`refundId must be a non-empty string of at most 100 characters, got ${show(refundId)}`);
  }
  return { refundId, amount: checkAmount(body.amount) };
}

function asObject(input: unknown, example: string): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw badRequest(`The request body must be a JSON object such as ${example}, got ${show(input)}`);
  }
  return input as Record<string, unknown>;
}

function checkAmount(amount: unknown): number {
  if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) {
    throw badRequest(
      `amount must be a whole number of minor units from 1 to ${MAX_AMOUNT} (1000 = 10.00), got ${show(amount)}`,
    );
  }
  return amount;
}

function checkCurrency(currency: unknown): string {
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency) || !ISO_4217.has(currency)) {
    throw badRequest(`currency must be an upper-case ISO 4217 code such as "USD" or "EUR", got ${show(currency)}`);
  }
  return currency;
}

function badRequest(message: string): TerminalError {
  return new TerminalError(message, { errorCode: 400 });
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
