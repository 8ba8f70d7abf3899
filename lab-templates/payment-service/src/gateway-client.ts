// Calls to the mock payment gateway. No answer, a 5xx, or one of the 4xx that mean "not now"
// (see RETRYABLE_4XX) throws a plain Error: the attempt fails and Restate retries the
// invocation. Any other 4xx is the gateway refusing this request for good, so it is terminal.
import { TerminalError } from "@restatedev/restate-sdk";
import type { GatewayEntry, Receipt } from "./types.ts";

const GATEWAY_URL = process.env.GATEWAY_URL ?? "http://127.0.0.1:9081";
/** How long the service waits for the gateway before giving up on one attempt. */
const TIMEOUT_MS = Number(process.env.GATEWAY_TIMEOUT_MS ?? 2000);

/**
 * 4xx answers that a later attempt with the same key can change: 408 (the request timed out),
 * 409 (a real provider, Stripe for one, answers it while a request with the same key is still
 * in progress), 425 (too early) and 429 (rate limited). The docs tell clients to retry these,
 * so the service must not turn them into a final failure either.
 */
export const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 409, 425, 429]);

/** True when a gateway answer with this status is worth another attempt with the same key. */
export function isRetryable(status: number): boolean {
  return status >= 500 || RETRYABLE_4XX.has(status);
}

export function charge(
  request: { paymentId: string; amount: number; currency: string },
  idempotencyKey?: string,
): Promise<GatewayEntry> {
  return post("/charges", request, idempotencyKey);
}

export function refund(request: { paymentId: string; amount: number }, idempotencyKey?: string): Promise<GatewayEntry> {
  return post("/refunds", request, idempotencyKey);
}

export function sendReceipt(request: { paymentId: string; chargeId: string }, idempotencyKey?: string): Promise<Receipt> {
  return post("/receipts", request, idempotencyKey);
}

async function post<T = GatewayEntry>(path: string, body: unknown, idempotencyKey: string | undefined): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
  let response: Response;
  try {
    response = await fetch(GATEWAY_URL + path, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    // The request may or may not have reached the gateway: only a retry with the same key is safe.
    throw new Error(`Payment gateway ${path} did not answer within ${TIMEOUT_MS} ms: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const text = await response.text();
  if (isRetryable(response.status)) throw new Error(`Payment gateway ${path} answered ${response.status}: ${text}`);
  if (!response.ok) {
    throw new TerminalError(`Payment gateway refused ${path} (${response.status}): ${text}`, { errorCode: 502 });
  }
  return JSON.parse(text) as T;
}
