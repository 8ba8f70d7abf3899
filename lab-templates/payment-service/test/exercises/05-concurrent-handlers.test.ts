// Exercise 5 (advanced): concurrent duplicates across the handlers of one object
// (exercises/05-concurrent-handlers.ts). Every assertion names the invariant it guards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chargesOf,
  clearFaults,
  judged,
  newId,
  post,
  setFaults,
  startExerciseStack,
  waitUntilRunning,
  withKey,
  type Answer,
  type Stack,
} from "./helpers.ts";

let stack: Stack;
beforeAll(async () => {
  // The gateway is slowed down to 3 s below; the service waits for it instead of retrying.
  stack = await startExerciseStack({ GATEWAY_TIMEOUT_MS: "20000" });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const cart = { amount: 5600, currency: "USD" };
const pay = (id: string, headers: Record<string, string> = {}, body: unknown = cart) => post(stack, `/Checkout/${id}/pay`, body, headers);
const expressPay = (id: string, headers: Record<string, string> = {}, body: unknown = cart) =>
  post(stack, `/Checkout/${id}/expressPay`, body, headers);
const charges = async (id: string) => (await chargesOf(stack, `cart-${id}`)).length;

/**
 * The race without luck: expressPay starts first and spends 3 s at the (slowed-down) gateway;
 * pay is sent once Restate shows expressPay running, so it reaches the cart while expressPay's
 * charge is under way. Answers [expressPay, pay].
 */
async function payWhileExpressPayCharges(id: string, payBody: unknown = cart): Promise<[Answer, Answer]> {
  await setFaults(stack, { latencyMs: 3000 });
  try {
    const express = expressPay(id);
    await waitUntilRunning(stack, `Checkout/${id}/expressPay`);
    const web = pay(id, {}, payBody);
    return await Promise.all([express, web]);
  } finally {
    await clearFaults(stack);
  }
}

describe(`exercise 5: concurrent duplicates across handlers (${judged("05-concurrent-handlers")})`, () => {
  it("pays a cart through either handler", async () => {
    const [a, b] = [newId("cart"), newId("cart")];
    const web = await pay(a);
    const express = await expressPay(b);
    expect([web.status, express.status], `pay answered ${JSON.stringify(web.body)}, expressPay ${JSON.stringify(express.body)}`).toEqual([200, 200]);
    expect([await charges(a), await charges(b)], "each cart must be charged exactly once").toEqual([1, 1]);
  });

  it("charges once when pay comes while expressPay is charging, and answers pay with expressPay's payment", async () => {
    const id = newId("cart");
    const [express, web] = await payWhileExpressPayCharges(id);
    const n = await charges(id);
    expect(n, `a cart was charged ${n} times by a pay sent while an expressPay of the same cart was charging`).toBe(1);
    expect(express.status, `expressPay answered ${express.status}: ${JSON.stringify(express.body)}`).toBe(200);
    expect(web.body, "pay, sent while expressPay was paying the cart, must answer with expressPay's payment, unchanged").toEqual(express.body);
    const status = await post(stack, `/Checkout/${id}/status`, undefined);
    expect(status.body, "status must show the payment both handlers answered with").toEqual(express.body);
  });

  it("charges once when pay and expressPay arrive for one cart at the same time", async () => {
    const id = newId("cart");
    const [web, express] = await Promise.all([pay(id), expressPay(id)]);
    const n = await charges(id);
    expect(n, `a cart was charged ${n} times by a pay and an expressPay sent at the same time`).toBe(1);
    expect(express.body?.chargeId, "pay and expressPay must answer with the same charge").toBe(web.body?.chargeId);
  });

  it("charges once for a burst of 20 requests with one idempotency key, split over both handlers", async () => {
    const id = newId("cart");
    const key = withKey(`tap-${id}`);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? pay(id, key) : expressPay(id, key))));
    const n = await charges(id);
    expect(n, `a cart was charged ${n} times by 20 duplicates with one idempotency key over two handlers`).toBe(1);
    const chargeIds = new Set(answers.map((a) => a.body?.chargeId));
    expect(chargeIds.size, `the duplicates were answered with ${chargeIds.size} different charges`).toBe(1);
    // Restate's deduplication scope includes the handler: one invocation per handler, not one in all.
    expect(new Set(answers.map((a) => a.invocationId)).size, "Restate deduplicates per handler: two invocations").toBe(2);
  });

  it("answers 422 when the other handler asks for another amount, and charges nothing more", async () => {
    const id = newId("cart");
    await pay(id);
    const other = await expressPay(id, {}, { amount: 9999, currency: "USD" });
    expect(other.status, `a second payment of one cart with another amount must be refused with 422, not ${other.status}`).toBe(422);
    expect(await charges(id), "a cart was charged again for another amount").toBe(1);
  });

  it("answers 422 to a pay for another amount that comes while expressPay is charging", async () => {
    const id = newId("cart");
    const [express, web] = await payWhileExpressPayCharges(id, { amount: 9999, currency: "USD" });
    const n = await charges(id);
    expect(n, `a cart was charged ${n} times by two overlapping payments with different amounts`).toBe(1);
    expect(
      [express.status, web.status],
      `expressPay and an overlapping pay for another amount were answered ${express.status} and ${web.status}: the first pays, the second gets the object's 422 (not the gateway's refusal, a 502)`,
    ).toEqual([200, 422]);
  });

  it("shows the one payment in status after concurrent requests", async () => {
    const id = newId("cart");
    const answers = await Promise.all([pay(id), expressPay(id), pay(id), expressPay(id)]);
    const status = await post(stack, `/Checkout/${id}/status`, undefined);
    const chargeIds = new Set([...answers.map((a) => a.body?.chargeId), status.body?.chargeId]);
    expect(chargeIds.size, `the answers and the stored payment name ${chargeIds.size} different charges for one cart`).toBe(1);
  });
});
