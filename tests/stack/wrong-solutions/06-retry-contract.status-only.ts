// A wrong answer to exercise 6: one key per payment, but the retry decision looks at the status
// alone. A 5xx that Restate marks as the invocation's own, final answer is sent again and again,
// and gets the same answer each time.
import { randomUUID } from "node:crypto";
import type { CreatePaymentRequest, Payment } from "../../../lab-templates/payment-service/src/types.ts";

export interface RetryOptions {
  /** How many requests one payment may send in all (the first one included). */
  attempts?: number;
  /** The pause before the second request; later pauses may grow. */
  pauseMs?: number;
}

export class PaymentFailed extends Error {
  constructor(
    message: string,
    /** The HTTP status of the answer that ended the payment; null when no answer came. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = "PaymentFailed";
  }
}

// This exercise defines no Restate service: it is a client.
export const services = [];

export async function payWithRetries(ingressUrl: string, paymentId: string, request: CreatePaymentRequest, options: RetryOptions = {}): Promise<Payment> {
  const attempts = options.attempts ?? 5;
  const pauseMs = options.pauseMs ?? 200;
  // One key per payment, made before the first request and sent with every one: Restate answers
  // a retry with the invocation the first request started (running or done), never a new one.
  const idempotencyKey = `pay-${randomUUID()}`;
  let failure = new PaymentFailed("no attempt was made", null);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${ingressUrl}/PaymentService/${encodeURIComponent(paymentId)}/create`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(30_000),
      });
      text = await res.text();
    } catch (err) {
      // No answer: the payment may or may not have happened. Only a retry with the same key is safe.
      failure = new PaymentFailed(`no answer from ${ingressUrl}: ${(err as Error).message}`, null);
      await pause(attempt, attempts, pauseMs);
      continue;
    }
    if (res.ok) return JSON.parse(text) as Payment;
    failure = new PaymentFailed(`PaymentService/create answered ${res.status}: ${text}`, res.status);
    if (!retryable(res)) throw failure;
    await pause(attempt, attempts, pauseMs, res.headers.get("retry-after"));
  }
  throw failure;
}

/**
 * Which answers are worth another request. An error that Restate marks as the invocation's own
 * (`x-restate-error-source: invocation`) is the payment's final answer, whatever its status: a
 * 422, a 400, or a 502 the handler threw. Otherwise the answer came from the way there (Restate's
 * ingress, a proxy, a load balancer): 408, 425, 429 and 5xx say "not now".
 */
export function retryable(res: Response): boolean {
  return res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500;
}

/** Waits before the next attempt (none after the last): Retry-After when given, else a doubling pause. */
async function pause(attempt: number, attempts: number, pauseMs: number, retryAfter: string | null = null): Promise<void> {
  if (attempt >= attempts) return;
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : pauseMs * 2 ** (attempt - 1);
  await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 30_000)));
}
