// Exercise 1: idempotent order creation (exercises/01-order-creation.ts).
// Every assertion names the invariant it guards: that is the message you see when it breaks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chargesOf,
  clearFaults,
  judged,
  newId,
  post,
  setFaults,
  sleep,
  startExerciseStack,
  waitForJournaledRun,
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

const order = { items: [{ sku: "book", quantity: 2, unitPrice: 1250 }, { sku: "pen", quantity: 1, unitPrice: 300 }], currency: "USD" };
const create = (id: string, body: unknown = order, headers: Record<string, string> = {}) =>
  post(stack, `/OrderService/${id}/create`, body, headers);
const charges = async (id: string) => (await chargesOf(stack, `order-${id}`)).length;

describe(`exercise 1: idempotent order creation (${judged("01-order-creation")})`, () => {
  it("creates an order: charges its total once and answers with it", async () => {
    const id = newId("order");
    const res = await create(id);
    expect(res.status, `create answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body, "the order's total is the sum of quantity × unitPrice").toMatchObject({ orderId: id, total: 2800 });
    expect(await charges(id), "an order was not charged exactly once").toBe(1);
  });

  it("charges once for one idempotency key sent twice (Restate's deduplication)", async () => {
    const id = newId("order");
    const first = await create(id, order, withKey(`key-${id}`));
    const second = await create(id, order, withKey(`key-${id}`));
    expect(second.body, "a duplicate with the same idempotency key must get the first answer").toEqual(first.body);
    const n = await charges(id);
    expect(n, `an order was charged ${n} times for one idempotency key`).toBe(1);
  });

  it("charges once when the client retries without an idempotency key", async () => {
    const id = newId("order");
    const first = await create(id);
    const retry = await create(id);
    const n = await charges(id);
    expect(n, `an order was charged ${n} times for one order id: a create sent again without a key charged again (TODO 1)`).toBe(1);
    expect(retry.body, "a retried create must answer with the order that was placed").toEqual(first.body);
  });

  it("charges once for 10 concurrent creates of one order without a key", async () => {
    const id = newId("order");
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(id)));
    const n = await charges(id);
    expect(n, `an order was charged ${n} times by 10 concurrent creates of one order id`).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size, "concurrent creates of one order must all answer with the same order").toBe(1);
  });

  it("answers 422 for the same order id with other items, and charges nothing more", async () => {
    const id = newId("order");
    await create(id);
    const other = await create(id, { items: [{ sku: "lamp", quantity: 1, unitPrice: 9900 }], currency: "USD" });
    const n = await charges(id);
    expect(n, `an order id reused with other items charged again (${n} charges)`).toBe(1);
    expect(other.status, `an order id reused with other items must be refused with 422, not ${other.status}`).toBe(422);
  });

  it("charges once when the gateway takes the money and its answer is lost", async () => {
    const id = newId("order");
    await setFaults(stack, { timeoutAfterCharge: 1 });
    const res = await create(id);
    const n = await charges(id);
    expect(
      n,
      `an order was charged ${n} times after the gateway's answer was lost: journal the charge (ctx.run) and give the gateway a key derived from the order id (TODO 2)`,
    ).toBe(1);
    expect(res.status, `create answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
  });

  // A gateway key alone passes every test above: the lab's gateway remembers keys forever. Real
  // gateways forget them after a day or so; this test makes the lab's forget at once, so that
  // only the journal can know that the order was charged before the crash.
  it("charges once when the service dies after the charge and the gateway has forgotten its key", async () => {
    const id = newId("order");
    // A slow confirmation is the window to crash in, after the charge.
    await setFaults(stack, { receiptLatencyMs: 1500, keyRetentionMs: 1 });
    const pending = create(id);
    await waitForJournaledRun(stack, id, "send confirmation", "started");
    await stack.restartExtraService();
    await setFaults(stack, { receiptLatencyMs: 0 }); // the gateway still forgets keys during the retry
    // Without ctx.run the retry may never answer: its new charge id makes the order differ from
    // the one the journal recorded (Restate fails it with "570 Journal mismatch" and retries).
    const res = await Promise.race([pending, sleep(10_000).then(() => null)]);
    await clearFaults(stack);
    const n = await charges(id);
    expect(
      n,
      `an order was charged ${n} times after the service died once the charge was done: the retry charged again. Put the charge in ctx.run (TODO 2): its journaled result is replayed, whatever the gateway remembers`,
    ).toBe(1);
    expect(res?.status, `create answered ${res?.status ?? "nothing within 10 s"}: ${JSON.stringify(res?.body)}`).toBe(200);
  });
});
