// A client of the lab, written with Restate's typed ingress client, that retries the way
// docs/01b-concepts-in-practice.md recommends: one idempotency key per payment, made once and sent again
// with every attempt; a timeout per attempt; a growing pause between attempts; a bounded
// number of them. Then the same payment as a one-way send, and its result fetched later.
//
//   node --import tsx examples/pay-with-retries.ts http://127.0.0.1:8080 pay-123
import * as clients from "@restatedev/restate-sdk-clients";
import { randomUUID } from "node:crypto";
import type { paymentService } from "../src/payment-service.ts";
import type { CreatePaymentRequest, Payment } from "../src/types.ts";

export async function payWithRetries(ingressUrl: string, paymentId: string, request: CreatePaymentRequest): Promise<Payment> {
  const ingress = clients.connect({
    url: ingressUrl,
    // The client retries only calls that carry an idempotency key: without one, a retry could
    // be a second payment. Network errors (a timeout included) and 408/425/429/5xx are retried;
    // an error of the invocation itself (a 422, a 400) is an answer, and is not.
    retry: {
      maxAttempts: 5,
      initialInterval: 200,
      shouldRetry: (failure, attempt) => {
        const retry = clients.defaultShouldRetry(failure);
        const what = failure.kind === "network" ? String((failure.error as Error).name) : `HTTP ${failure.status}`;
        console.log(`attempt ${attempt + 1} failed (${what}); ${retry ? "retrying with the same key" : "giving up"}`);
        return retry;
      },
    },
  });
  // Made once per payment, before the first attempt: a key per attempt would make every retry new.
  const idempotencyKey = `pay-${randomUUID()}`;
  return ingress
    .objectClient<typeof paymentService>({ name: "PaymentService" }, paymentId)
    .create(request, clients.rpc.opts({ idempotencyKey, timeout: 500 }));
}

/** The same payment as a one-way send: sent twice with one key, it is one invocation. */
export async function sendTwiceThenWait(ingressUrl: string, paymentId: string, request: CreatePaymentRequest): Promise<Payment> {
  const ingress = clients.connect({ url: ingressUrl });
  const payments = ingress.objectSendClient<typeof paymentService>({ name: "PaymentService" }, paymentId);
  const idempotencyKey = `send-${randomUUID()}`;
  const first = await payments.create(request, clients.rpc.sendOpts({ idempotencyKey }));
  console.log(`send: ${first.status} ${first.invocationId}`);
  const again = await payments.create(request, clients.rpc.sendOpts({ idempotencyKey }));
  console.log(`send again: ${again.status} ${again.invocationId}`);
  return ingress.result(first);
}

if (process.argv[1]?.endsWith("pay-with-retries.ts")) {
  const [ingressUrl = "http://127.0.0.1:8080", paymentId = `pay-${randomUUID().slice(0, 8)}`] = process.argv.slice(2);
  const paid = await payWithRetries(ingressUrl, paymentId, { amount: 2500, currency: "USD" });
  console.log(`paid ${paid.paymentId}: charge ${paid.chargeId}`);
  const sent = await sendTwiceThenWait(ingressUrl, `${paymentId}-sent`, { amount: 1200, currency: "EUR" });
  console.log(`result: ${sent.paymentId} ${sent.status}`);
}
