// Exercise 3: email-sending deduplication (exercises/03-email-dedup.ts).
// The gateway's /receipts endpoint is the email provider; GET /receipts lists what it sent.
// Every assertion names the invariant it guards: that is the message you see when it breaks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chargeAtGateway,
  clearFaults,
  crashWhileRunning,
  emailsOf,
  judged,
  newId,
  post,
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

/** An order whose charge went through: its id and the gateway's charge id. */
async function paidOrder(): Promise<{ id: string; chargeId: string }> {
  const id = newId("order");
  return { id, chargeId: (await chargeAtGateway(stack, id, 2500)).id };
}
const placed = (id: string, chargeId: string, headers: Record<string, string> = {}) =>
  post(stack, `/OrderNotifications/${id}/orderPlaced`, { chargeId }, headers);
const shipped = (id: string, chargeId: string) => post(stack, `/OrderNotifications/${id}/orderShipped`, { chargeId });
const emails = async (id: string) => (await emailsOf(stack, id)).length;

describe(`exercise 3: email-sending deduplication (${judged("03-email-dedup")})`, () => {
  it("sends the confirmation email and answers with its receipt id", async () => {
    const { id, chargeId } = await paidOrder();
    const res = await placed(id, chargeId);
    expect(res.status, `orderPlaced answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body).toMatchObject({ orderId: id, kind: "confirmation", receiptId: expect.stringMatching(/^rc_/) });
    expect(await emails(id), "the confirmation email was not sent exactly once").toBe(1);
  });

  it("sends one email for one idempotency key sent twice (Restate's deduplication)", async () => {
    const { id, chargeId } = await paidOrder();
    await placed(id, chargeId, withKey(`key-${id}`));
    await placed(id, chargeId, withKey(`key-${id}`));
    const n = await emails(id);
    expect(n, `the confirmation email was sent ${n} times for one idempotency key`).toBe(1);
  });

  it("sends one email when orderPlaced is delivered twice without a key, and answers with the record of that email", async () => {
    const { id, chargeId } = await paidOrder();
    const first = await placed(id, chargeId);
    const again = await placed(id, chargeId);
    const n = await emails(id);
    expect(n, `the customer got the confirmation email ${n} times: an email already sent must not be sent again (TODO 1)`).toBe(1);
    // The whole record, sentAt included: a record made again for the same email is not the one that was kept.
    expect(again.body, "a repeated orderPlaced must answer with the record of the email that was sent, unchanged").toEqual(first.body);
    const stored = await post(stack, `/OrderNotifications/${id}/sent`, undefined);
    expect(stored.body, "`sent` must list the confirmation that was sent, as orderPlaced answered it (TODO 3)").toEqual([first.body]);
  });

  it("sends one email when orderPlaced comes again after the provider has forgotten its key", async () => {
    const { id, chargeId } = await paidOrder();
    // The provider forgets every key 1 ms after its first use, as a real one does after a day or so:
    // from then on only what the handler itself remembers can stop a second email.
    await setFaults(stack, { keyRetentionMs: 1 });
    try {
      const first = await placed(id, chargeId);
      await sleep(20);
      const again = await placed(id, chargeId);
      const n = await emails(id);
      expect(n, `the customer got the confirmation email ${n} times: the second orderPlaced came after the provider had forgotten its key (TODO 1)`).toBe(1);
      expect(again.body, "a repeated orderPlaced must answer with the record of the email that was sent, unchanged").toEqual(first.body);
    } finally {
      await clearFaults(stack);
    }
  });

  it("sends the confirmation and the shipping notice: two emails, each once", async () => {
    const { id, chargeId } = await paidOrder();
    await placed(id, chargeId);
    const first = await shipped(id, chargeId);
    const again = await shipped(id, chargeId);
    const n = await emails(id);
    expect(n, n < 2 ? "the shipping notice was swallowed: the confirmation and the shipping notice are two emails (one key per kind of email)" : `the customer got ${n} emails for one confirmation and one shipping notice`).toBe(2);
    expect(first.body?.kind, "orderShipped must answer with the shipping notice").toBe("shipped");
    expect(again.body?.receiptId, "a repeated orderShipped must answer with the notice that was sent").toBe(first.body?.receiptId);
  });

  it("sends each order its own confirmation", async () => {
    const a = await paidOrder();
    const b = await paidOrder();
    await placed(a.id, a.chargeId);
    await placed(b.id, b.chargeId);
    expect([await emails(a.id), await emails(b.id)], "each order gets its own confirmation email (keys must include the order id)").toEqual([1, 1]);
  });

  it("sends one email when the service dies while the email provider is working", async () => {
    const { id, chargeId } = await paidOrder();
    await setFaults(stack, { receiptLatencyMs: 1500 }); // the provider takes 1.5 s, then sends
    const sentAt = Date.now();
    const pending = placed(id, chargeId);
    await crashWhileRunning(stack, `OrderNotifications/${id}/orderPlaced`, 500);
    await clearFaults(stack);
    const res = await pending;
    await sleep(sentAt + 2000 - Date.now()); // the first, orphaned send has gone out by now
    const n = await emails(id);
    expect(
      n,
      `the customer got the confirmation email ${n} times: the service died while the provider was sending, and Restate ran the handler again (TODO 2)`,
    ).toBe(1);
    expect(res.status, `orderPlaced answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
  });
});
