// The real-world patterns of docs/05-real-world.md against a real Restate server and gateway:
// a saga's compensation, webhook deduplication, purge and restart-as-new, a paused invocation
// reconciled from the ledger, and an email provider with no keys.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ledgerFor, newId, query, setFaults, startStack, waitForJournaledRun, type Stack } from "./harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const types = async (id: string) => (await ledgerFor(stack, id)).map((e) => e.type);
const receipts = async (id: string) => ((await (await fetch(`${stack.gateway}/receipts?paymentId=${id}`)).json()) as unknown[]).length;
const invocations = (id: string) =>
  query<{ id: string; status: string; completion_result: string | null }>(
    stack,
    `SELECT id, status, completion_result FROM sys_invocation WHERE target_service_key = '${id}' ORDER BY created_at`,
  );
const admin = (id: string, action: string) => fetch(`${stack.admin}/invocations/${id}/${action}`, { method: "PATCH" });
const until = async <T>(what: string, check: () => Promise<T | null | undefined>): Promise<T> => {
  for (let i = 0; i < 600; i++) {
    const value = await check();
    if (value !== null && value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen`);
};

describe("OrderSaga: compensations run on a TerminalError, not on a kill", () => {
  const held = async (how: "cancel" | "kill") => {
    const id = newId("ord");
    await setFaults(stack, { receiptLatencyMs: 1500 });
    const pending = call(stack, `/OrderSaga/${id}/checkout`, { amount: 700, currency: "USD" });
    await waitForJournaledRun(stack, id, "send receipt", "started");
    const [row] = await invocations(id);
    const stopped = await admin(row!.id, how);
    const res = await pending;
    await setFaults(stack, { receiptLatencyMs: 0 });
    return { id, stopped: stopped.status, res };
  };

  it("a cancel in the step after the charge: the handler refunds the charge, the caller gets 409 Cancelled", async () => {
    const { id, stopped, res } = await held("cancel");
    expect(stopped).toBe(202);
    expect(res).toMatchObject({ status: 409, body: { message: "Cancelled" } });
    expect(await types(id)).toEqual(["charge", "refund"]);
    // The cancel did not interrupt the receipt call in flight: it still went out.
    expect(await until("the receipt in flight", async () => ((await receipts(id)) === 1 ? true : null))).toBe(true);
  });

  it("a kill there: no more code runs, the charge stays alone in the ledger", async () => {
    const { id, stopped, res } = await held("kill");
    expect(stopped).toBe(200);
    expect(res).toMatchObject({ status: 409, body: { message: "killed" } });
    expect(await types(id)).toEqual(["charge"]);
  });

  it("a later step refused for good (a TerminalError) compensates too, and the caller gets that error", async () => {
    const id = newId("ord");
    await setFaults(stack, { refuseReceipts: 1 });
    const res = await call(stack, `/OrderSaga/${id}/checkout`, { amount: 700, currency: "USD" });
    expect(res.status).toBe(502);
    expect(await types(id)).toEqual(["charge", "refund"]);
  });

  it("no failure: one charge, no refund", async () => {
    const id = newId("ord");
    const res = await call(stack, `/OrderSaga/${id}/checkout`, { amount: 700, currency: "USD" });
    expect(res).toMatchObject({ status: 200, body: { orderId: id, status: "completed" } });
    expect(await types(id)).toEqual(["charge"]);
  });
});

describe("PaymentWebhooks: each event id applied once, the newest event kept", () => {
  const deliver = (id: string, event: unknown) => call(stack, `/PaymentWebhooks/${id}/onEvent`, event);

  it("copies at once and a late older event: two events applied, one receipt, the newer stays latest", async () => {
    const id = newId("pay");
    expect((await deliver(id, { id: "evt_2", type: "charge.refunded", created: 2 })).status).toBe(200);
    const copies = await Promise.all([1, 2, 3].map(() => deliver(id, { id: "evt_1", type: "charge.succeeded", created: 1 })));
    expect(copies.map((c) => c.body.duplicate).sort()).toEqual([false, true, true]);
    expect(new Set(copies.map((c) => c.invocationId)).size).toBe(3);
    const view = await call(stack, `/PaymentWebhooks/${id}/view`, null);
    expect(view.body).toEqual({ deliveries: 4, eventsApplied: 2, latestCreated: 2, latestType: "charge.refunded" });
    expect(await receipts(id)).toBe(1);
  });

  it("answers 400 for an event that is not one, and records nothing", async () => {
    const id = newId("pay");
    const res = await deliver(id, { id: "nope", type: "charge.succeeded", created: 1 });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/An event must look like/);
    expect((await call(stack, `/PaymentWebhooks/${id}/view`, null)).body).toMatchObject({ deliveries: 0, eventsApplied: 0 });
  });
});

describe("the admin API's purge and restart-as-new", () => {
  it("purge frees the key at once: the duplicate runs again, same invocation id, same ctx.rand key, no second charge", async () => {
    const id = newId("fee");
    const first = await call(stack, `/Fees/${id}/charge`, { amount: 300, currency: "USD" }, `key-${id}`);
    expect((await call(stack, `/Fees/${id}/charge`, { amount: 300, currency: "USD" }, `key-${id}`)).replayed).toBe(true);
    expect((await admin(first.invocationId!, "purge")).status).toBe(200);
    const again = await call(stack, `/Fees/${id}/charge`, { amount: 300, currency: "USD" }, `key-${id}`);
    expect(again).toMatchObject({ status: 200, replayed: false, invocationId: first.invocationId });
    expect(again.body.gatewayKey).toBe(first.body.gatewayKey);
    expect(await types(id)).toEqual(["charge"]);
    // No state check in Fees: the rerun appended the fee a second time, with the same charge.
    const [state] = await query<{ value_utf8: string }>(stack, `SELECT value_utf8 FROM state WHERE service_name = 'Fees' AND service_key = '${id}' AND key = 'fees'`);
    expect((JSON.parse(state!.value_utf8) as Array<{ chargeId: string }>).map((f) => f.chargeId)).toEqual([first.body.chargeId, first.body.chargeId]);
  });

  it("purge of a running invocation is refused: 409, not yet completed", async () => {
    const id = newId("pay");
    await setFaults(stack, { receiptLatencyMs: 1500 });
    const pending = call(stack, `/PaymentService/${id}/create`, { amount: 300, currency: "USD" }, `key-${id}`);
    await waitForJournaledRun(stack, id, "send receipt", "started");
    const [row] = await invocations(id);
    const res = await admin(row!.id, "purge");
    await pending;
    await setFaults(stack, { receiptLatencyMs: 0 });
    expect(res.status).toBe(409);
    expect(await res.text()).toMatch(/is not yet completed/);
  });

  it("restart-as-new is a new invocation: a new id, a new ctx.rand key, a second charge; the key still replays the first", async () => {
    const id = newId("fee");
    const first = await call(stack, `/Fees/${id}/charge`, { amount: 300, currency: "USD" }, `key-${id}`);
    const res = await admin(first.invocationId!, "restart-as-new");
    expect(res.status).toBe(200);
    const { new_invocation_id: restarted } = (await res.json()) as { new_invocation_id: string };
    expect(restarted).toMatch(/^inv_/);
    expect(restarted).not.toBe(first.invocationId);
    await until("the restarted invocation completes", async () =>
      (await invocations(id)).find((i) => i.id === restarted && i.status === "completed"),
    );
    const ledger = await ledgerFor(stack, id);
    expect(ledger.map((e) => e.type)).toEqual(["charge", "charge"]);
    const duplicate = await call(stack, `/Fees/${id}/charge`, { amount: 300, currency: "USD" }, `key-${id}`);
    expect(duplicate).toMatchObject({ replayed: true, invocationId: first.invocationId, body: first.body });
  });
});

describe("restart-as-new on a handler whose keys come from business ids", () => {
  it("PaymentService.create restarted as new finds its payment in state and charges nothing more", async () => {
    const id = newId("pay");
    const first = await call(stack, `/PaymentService/${id}/create`, { amount: 300, currency: "USD" }, `key-${id}`);
    const res = await admin(first.invocationId!, "restart-as-new");
    const { new_invocation_id: restarted } = (await res.json()) as { new_invocation_id: string };
    await until("the restarted invocation completes", async () => (await invocations(id)).find((i) => i.id === restarted && i.status === "completed"));
    expect(await types(id)).toEqual(["charge"]);
  });
});

describe("CarefulPayments: lost answers pause the invocation; the ledger says what happened", () => {
  const pausedCreate = async () => {
    const id = newId("pay");
    await setFaults(stack, { loseChargeAnswers: 10 });
    const pending = call(stack, `/CarefulPayments/${id}/create`, { amount: 900, currency: "USD" }, `key-${id}`);
    const paused = await until("the pause", async () => (await invocations(id)).find((i) => i.status === "paused"));
    await setFaults(stack, { loseChargeAnswers: 0 });
    return { id, pending, invocation: paused.id };
  };

  it("the ledger, looked up by the key, shows the charge; resume gets it back without charging again", async () => {
    const { id, pending, invocation } = await pausedCreate();
    const ledger = (await ledgerFor(stack, id)) as unknown as Array<{ id: string; type: string; idempotencyKey: string | null }>;
    const byKey = ledger.filter((e) => e.idempotencyKey === `charge-${id}`);
    expect(byKey.map((e) => e.type)).toEqual(["charge"]);
    expect((await admin(invocation, "resume")).status).toBe(200);
    const res = await pending;
    expect(res).toMatchObject({ status: 200, invocationId: invocation, body: { status: "charged", chargeId: byKey[0]!.id } });
    expect(await types(id)).toEqual(["charge"]);
  }, 60_000);

  it("while paused the object stays locked: another exclusive call on it waits; a kill frees it and leaves the charge", async () => {
    const { id, pending, invocation } = await pausedCreate();
    let answered = false;
    const other = call(stack, `/CarefulPayments/${id}/create`, { amount: 900, currency: "USD" }, `key-${id}-2`).then((r) => {
      answered = true;
      return r;
    });
    // Restate has the second call queued behind the paused one (its inbox), not running.
    await until("the second call in the inbox", async () => ((await invocations(id)).length === 2 ? true : null));
    expect(answered).toBe(false);
    expect((await admin(invocation, "kill")).status).toBe(200);
    expect(await pending).toMatchObject({ status: 409, body: { message: "killed" } });
    // The queued call runs now; nothing in state, so it charges, with the same gateway key: the gateway answers with the first charge.
    const second = await other;
    expect(second.status).toBe(200);
    expect(await types(id)).toEqual(["charge"]);
  }, 60_000);
});

describe("OrderEmails: a provider with no keys", () => {
  it("at most once: the answer is lost, one email went out, the handler records unknown", async () => {
    const id = newId("mail");
    await setFaults(stack, { loseReceiptAnswers: 1 });
    const res = await call(stack, `/OrderEmails/${id}/sendAtMostOnce`, null);
    expect(res).toMatchObject({ status: 200, body: { outcome: "unknown", confirmed: 0 } });
    expect(await receipts(id)).toBe(1);
  });

  it("at least once: the answer is lost, Restate retries, a second email goes out", async () => {
    const id = newId("mail");
    await setFaults(stack, { loseReceiptAnswers: 1 });
    const res = await call(stack, `/OrderEmails/${id}/sendAtLeastOnce`, null);
    expect(res).toMatchObject({ status: 200, body: { outcome: "sent", confirmed: 1 } });
    expect(await receipts(id)).toBe(2);
  });

  it("at most once holds only while the process lives: a crash during the send runs it again", async () => {
    const id = newId("mail");
    await setFaults(stack, { receiptLatencyMs: 1000 });
    const pending = call(stack, `/OrderEmails/${id}/sendAtMostOnce`, null);
    await waitForJournaledRun(stack, id, "send email", "started");
    await stack.restartService();
    const res = await pending;
    await setFaults(stack, { receiptLatencyMs: 0 });
    // The action was not journaled when the process died: the retry ran it again, and the second send was answered.
    expect(res).toMatchObject({ status: 200, body: { outcome: "sent", confirmed: 1 } });
    expect(await receipts(id)).toBe(2);
  }, 60_000);
});
