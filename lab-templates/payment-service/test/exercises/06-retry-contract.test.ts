// Exercise 6: the client's side of the contract (exercises/06-retry-contract.ts). The client runs
// in this process, against a real stack, through a proxy that loses answers and answers errors of
// its own. The gateway's ledger and Restate's own record of invocations are the ground truth.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreatePaymentRequest, Payment } from "../../src/types.ts";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.ts";
import { chargesOf, exerciseModule, judged, newId, startStack, type Stack } from "./helpers.ts";
import { query } from "../harness.ts";

interface Exercise {
  payWithRetries(ingressUrl: string, paymentId: string, request: CreatePaymentRequest, options?: { attempts?: number; pauseMs?: number }): Promise<Payment>;
  PaymentFailed: new (...args: never[]) => Error & { status: number | null };
}

let stack: Stack;
let proxy: FaultProxy;
let client: Exercise;
beforeAll(async () => {
  client = await exerciseModule<Exercise>("06-retry-contract");
  stack = await startStack();
  proxy = await startFaultProxy(stack.ingress);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await stack?.stop();
});

const request = { amount: 2500, currency: "USD" };
const options = { attempts: 4, pauseMs: 10 };
const pay = (id: string, body: CreatePaymentRequest = request) => client.payWithRetries(proxy.url, id, body, options);
/** The requests the proxy saw for one payment id. */
const attemptsFor = (id: string) => proxy.attempts.filter((a) => a.path.includes(`/${id}/`));
const keysOf = (id: string) => new Set(attemptsFor(id).map((a) => a.idempotencyKey));
const charges = async (id: string) => (await chargesOf(stack, id)).length;
/** What ended a payment that failed: its PaymentFailed (anything else fails the test). */
async function failureOf(promise: Promise<Payment>): Promise<{ status: number | null }> {
  const outcome = await promise.then(
    (payment) => ({ payment }),
    (err: unknown) => ({ err }),
  );
  expect("err" in outcome, `the payment was expected to fail, and it answered ${JSON.stringify(outcome)}`).toBe(true);
  const err = (outcome as { err: unknown }).err;
  expect(err, `payWithRetries must throw a PaymentFailed, it threw ${String(err)}`).toBeInstanceOf(client.PaymentFailed);
  return err as { status: number | null };
}

describe(`exercise 6: the client's side of the contract (${judged("06-retry-contract")})`, () => {
  it("pays through a healthy ingress in one request, which carries an idempotency key", async () => {
    const id = newId("pay");
    proxy.script([]);
    const payment = await pay(id);
    expect(payment, "payWithRetries must answer with the payment").toMatchObject({ paymentId: id, amount: 2500, status: "charged" });
    expect(attemptsFor(id).length, "a payment that succeeded at once must send one request").toBe(1);
    expect(
      attemptsFor(id)[0]?.idempotencyKey,
      "the request carries no idempotency-key: without one, no request of this payment can be sent again safely",
    ).toBeTruthy();
    expect(await charges(id), "the payment was not charged exactly once").toBe(1);
  });

  it("tries again after a 503 and a 429 that Restate never sent, with the same key, and pays once", async () => {
    const id = newId("pay");
    proxy.script([{ status: 503 }, { status: 429, retryAfterSeconds: 0 }]);
    const payment = await pay(id).catch((err: unknown) => err);
    expect(
      attemptsFor(id).map((a) => a.outcome),
      "a 503 and a 429 from the way to Restate say 'not now': the payment must be tried again",
    ).toEqual([503, 429, 200]);
    expect(keysOf(id).size, `the retries carried ${keysOf(id).size} different idempotency keys: one payment, one key`).toBe(1);
    expect(payment, "payWithRetries must answer with the payment").toMatchObject({ paymentId: id, status: "charged" });
    expect(await charges(id)).toBe(1);
  });

  it("tries again after an answer lost on the way back, with the same key: one invocation, one charge, its answer", async () => {
    const id = newId("pay");
    proxy.script(["lose-answer"]);
    const payment = await pay(id).catch((err: unknown) => err);
    expect(
      attemptsFor(id).map((a) => a.outcome),
      "Restate completed the payment but its answer was lost: the client must ask again",
    ).toEqual(["lost", 200]);
    expect(
      keysOf(id).size,
      "the request sent after the lost answer carried another idempotency key than the first: Restate took it for a new request",
    ).toBe(1);
    const invocations = await query<{ id: string }>(stack, `SELECT id FROM sys_invocation WHERE target = 'PaymentService/${id}/create'`);
    expect(invocations.length, `Restate ran ${invocations.length} invocations of create for one payment: the retry must join the first`).toBe(1);
    const ledger = await chargesOf(stack, id);
    expect(ledger.length, "the payment was not charged exactly once").toBe(1);
    expect((payment as Payment | undefined)?.chargeId, "the answer must name the charge the first request made").toBe(ledger[0]?.id);
  });

  it("stops at once at a 422: the payment's own answer (this payment id was paid another amount)", async () => {
    const id = newId("pay");
    proxy.script([]);
    await pay(id);
    const failure = await failureOf(pay(id, { amount: 9999, currency: "USD" }));
    expect(failure.status, "PaymentFailed.status must be the status of the answer that ended the payment").toBe(422);
    expect(attemptsFor(id).length - 1, "a 422 is the payment's final answer: sending it again can only get the same answer").toBe(1);
  });

  it("stops at once at a 5xx that Restate marks as the invocation's own answer", async () => {
    const id = newId("pay");
    // Another system used the gateway key of this payment for another amount: the gateway refuses
    // the charge, and the handler turns that into a terminal 502 (src/gateway-client.ts).
    const taken = await fetch(`${stack.gateway}/charges`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `charge-${id}` },
      body: JSON.stringify({ paymentId: id, amount: 100, currency: "USD" }),
    });
    expect(taken.status, "the test could not prepare the gateway").toBe(201);
    proxy.script([]);
    const failure = await failureOf(pay(id));
    expect(failure.status, "PaymentFailed.status must be the status of the answer that ended the payment").toBe(502);
    const sent = attemptsFor(id).length;
    expect(
      sent,
      `the client sent ${sent} requests for an answer Restate marked as final (x-restate-error-source: invocation): a 5xx is not always 'try again'`,
    ).toBe(1);
  });

  it("gives up after the attempts it was given, with the last answer", async () => {
    const id = newId("pay");
    proxy.script(Array.from({ length: 10 }, () => ({ status: 503 })));
    const failure = await failureOf(pay(id));
    proxy.script([]);
    expect(attemptsFor(id).length, `a payment given ${options.attempts} attempts must send ${options.attempts} requests, no more, no fewer`).toBe(options.attempts);
    expect(failure.status, "PaymentFailed.status must be the status of the last answer").toBe(503);
    expect(await charges(id), "no request reached Restate: nothing may be charged").toBe(0);
  });
});
