// Exercise 2: refund processing (exercises/02-refunds.ts).
// Every assertion names the invariant it guards: that is the message you see when it breaks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chargeAtGateway,
  clearFaults,
  crashWhileRunning,
  judged,
  newId,
  post,
  refundsOf,
  setFaults,
  sleep,
  startExerciseStack,
  withKey,
  type Stack,
} from "./helpers.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startExerciseStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

/** A payment of 1000 charged at the gateway, as the payment service would have done. */
async function chargedPayment(): Promise<string> {
  const id = newId("pay");
  await chargeAtGateway(stack, id, 1000);
  return id;
}
const refund = (id: string, body: unknown, headers: Record<string, string> = {}) => post(stack, `/RefundService/${id}/refund`, body, headers);
const refunded = async (id: string) => (await refundsOf(stack, id)).map((e) => e.amount);

describe(`exercise 2: refund processing (${judged("02-refunds")})`, () => {
  it("refunds part of a payment once and answers with the refund", async () => {
    const id = await chargedPayment();
    const res = await refund(id, { refundId: "r1", amount: 300 });
    expect(res.status, `refund answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body).toMatchObject({ paymentId: id, refundId: "r1", amount: 300 });
    expect(await refunded(id), "a refund was not paid out exactly once").toEqual([300]);
  });

  it("pays a refund out once for one idempotency key sent twice (Restate's deduplication)", async () => {
    const id = await chargedPayment();
    await refund(id, { refundId: "r1", amount: 300 }, withKey(`key-${id}`));
    await refund(id, { refundId: "r1", amount: 300 }, withKey(`key-${id}`));
    const paid = await refunded(id);
    expect(paid, `refund r1 was paid out ${paid.length} times for one idempotency key`).toEqual([300]);
  });

  it("pays a refund out once when the same refundId comes again without a key", async () => {
    const id = await chargedPayment();
    const first = await refund(id, { refundId: "r1", amount: 300 });
    const again = await refund(id, { refundId: "r1", amount: 300 });
    const paid = await refunded(id);
    expect(paid, `refund r1 was paid out ${paid.length} times: the same refundId must be the same refund (TODO 1)`).toEqual([300]);
    expect(again.body, "a repeated refund must answer with the refund that was paid").toEqual(first.body);
  });

  it("answers 422 for a refundId reused with another amount, and pays nothing more", async () => {
    const id = await chargedPayment();
    await refund(id, { refundId: "r1", amount: 300 });
    const other = await refund(id, { refundId: "r1", amount: 500 });
    const paid = await refunded(id);
    expect(paid, `a refundId reused with another amount paid out again (${paid.join(" + ")})`).toEqual([300]);
    expect(other.status, `a refundId reused with another amount must be refused with 422, not ${other.status}`).toBe(422);
  });

  it("pays two refunds with two refundIds, even of the same amount", async () => {
    const id = await chargedPayment();
    await refund(id, { refundId: "r1", amount: 200 });
    const second = await refund(id, { refundId: "r2", amount: 200 });
    const paid = await refunded(id);
    expect(paid, `refund r2 was swallowed: two refundIds are two refunds (got ${JSON.stringify(paid)}, ${JSON.stringify(second.body)})`).toEqual([200, 200]);
  });

  it("pays a refund out once when the service dies while the gateway is working on it", async () => {
    const id = await chargedPayment();
    await setFaults(stack, { latencyMs: 1500 }); // the gateway takes 1.5 s per refund, then records it
    const sentAt = Date.now();
    const pending = refund(id, { refundId: "r1", amount: 400 });
    await crashWhileRunning(stack, `RefundService/${id}/refund`, 500);
    await clearFaults(stack);
    const res = await pending;
    await sleep(sentAt + 2000 - Date.now()); // the first, orphaned gateway call has recorded its refund by now
    const paid = await refunded(id);
    expect(
      paid,
      `refund r1 was paid out ${paid.length} times after a crash during the gateway call: the gateway needs a key derived from the payment and the refundId (TODO 2)`,
    ).toEqual([400]);
    expect(res.status, `refund answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
  });
});
