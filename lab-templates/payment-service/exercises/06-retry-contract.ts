// Exercise 6: the client's side of the contract.
//
// Every exercise so far made a service safe to call twice. This one is the other side: a
// client of PaymentService.create that gets its payment through a network that loses answers
// and an ingress that is sometimes busy, and that never pays twice. Between the client and
// Restate there are load balancers and networks: a client may see a 503 or a 429 that Restate
// never sent, or no answer at all for a payment that Restate completed.
//
// payWithRetries(ingressUrl, paymentId, request, options) answers with the payment, or throws a
// PaymentFailed that says which answer ended it (its HTTP status, or null when no answer came).
// It runs here, in your process: the tests call it against a real stack, through a proxy that
// injects the faults.
//
// Tests: test/exercises/06-retry-contract.test.ts (npm run test:exercises -- 06)
import type { CreatePaymentRequest, Payment } from "../src/types.ts";

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

export async function payWithRetries(
  ingressUrl: string,
  paymentId: string,
  request: CreatePaymentRequest,
  options: RetryOptions = {},
): Promise<Payment> {
  void options;
  // TODO: today one lost answer, one 503 or one 429 on the way makes this payment fail, though
  // Restate may have charged it, or would have on a second try. And a client that simply sends
  // the request again must not pay twice, nor keep asking when the answer is final.
  let res: Response;
  try {
    res = await fetch(`${ingressUrl}/PaymentService/${encodeURIComponent(paymentId)}/create`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
  } catch (err) {
    throw new PaymentFailed(`no answer from ${ingressUrl}: ${(err as Error).message}`, null);
  }
  const text = await res.text();
  if (!res.ok) throw new PaymentFailed(`PaymentService/create answered ${res.status}: ${text}`, res.status);
  return JSON.parse(text) as Payment;
}
