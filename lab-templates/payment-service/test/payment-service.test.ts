// The payment service against a real Restate server and the real gateway process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ledgerFor, newId, query, setFaults, startStack, waitForJournaledRun, type Stack } from "./harness.ts";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const charges = async (paymentId: string) => (await ledgerFor(stack, paymentId)).filter((e) => e.type === "charge");
const refunds = async (paymentId: string) => (await ledgerFor(stack, paymentId)).filter((e) => e.type === "refund");

describe("create", () => {
  it("charges once for the same idempotency key sent twice, and replays the first answer", async () => {
    const id = newId("pay");
    const first = await call(stack, `/PaymentService/${id}/create`, { amount: 10_000, currency: "USD" }, "key-1");
    const second = await call(stack, `/PaymentService/${id}/create`, { amount: 10_000, currency: "USD" }, "key-1");
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.invocationId).toBe(first.invocationId);
    expect(first.replayed).toBe(false);
    expect(second.replayed).toBe(true);
    expect(first.body).toMatchObject({ paymentId: id, amount: 10_000, currency: "USD", status: "charged", receipt: "sent" });
    expect(await charges(id)).toHaveLength(1);
  });

  it("charges once for a second create without a key: the object's state guards it", async () => {
    const id = newId("pay");
    const first = await call(stack, `/PaymentService/${id}/create`, { amount: 2500, currency: "EUR" });
    const second = await call(stack, `/PaymentService/${id}/create`, { amount: 2500, currency: "EUR" });
    expect(second.status).toBe(200);
    expect(second.invocationId).not.toBe(first.invocationId);
    expect(second.body).toEqual(first.body);
    expect(await charges(id)).toHaveLength(1);
  });

  it("answers 422 naming both values when the same payment id comes with another amount", async () => {
    const id = newId("pay");
    await call(stack, `/PaymentService/${id}/create`, { amount: 1000, currency: "USD" });
    const other = await call(stack, `/PaymentService/${id}/create`, { amount: 2000, currency: "EUR" });
    expect(other.status).toBe(422);
    expect(JSON.stringify(other.body)).toMatch(/1000 USD.*2000 EUR/);
    expect(await charges(id)).toHaveLength(1);
  });

  it.each([
    ["a zero amount", { amount: 0, currency: "USD" }],
    ["a negative amount", { amount: -5, currency: "USD" }],
    ["a fractional amount", { amount: 10.5, currency: "USD" }],
    ["an enormous amount", { amount: 1e15, currency: "USD" }],
    ["a string amount", { amount: "100", currency: "USD" }],
    ["an unknown currency", { amount: 100, currency: "XYZ" }],
    ["a lower-case currency", { amount: 100, currency: "usd" }],
    ["a missing body field", { amount: 100 }],
    ["an array body", [100, "USD"]],
  ])("answers 400 for %s and charges nothing", async (_name, body) => {
    const id = newId("bad");
    const res = await call(stack, `/PaymentService/${id}/create`, body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/amount|currency|JSON object/);
    expect(await ledgerFor(stack, id)).toHaveLength(0);
  });

  it("answers 400 for a body that is not JSON and charges nothing", async () => {
    const id = newId("bad");
    const res = await call(stack, `/PaymentService/${id}/create`, "{amount: 100");
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await ledgerFor(stack, id)).toHaveLength(0);
  });

  it("answers with the charged payment when the receipt is refused for good, and records the refusal", async () => {
    const id = newId("pay");
    await setFaults(stack, { refuseReceipts: 1 });
    const res = await call(stack, `/PaymentService/${id}/create`, { amount: 800, currency: "USD" }, `key-${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ paymentId: id, status: "charged", receipt: "refused" });
    expect(await charges(id)).toHaveLength(1);
    const receipts = (await (await fetch(`${stack.gateway}/receipts?paymentId=${id}`)).json()) as unknown[];
    expect(receipts).toHaveLength(0);
    // The refusal is the stored answer: the status, a keyed duplicate and a keyless one agree.
    expect((await call(stack, `/PaymentService/${id}/status`, undefined)).body).toEqual(res.body);
    expect((await call(stack, `/PaymentService/${id}/create`, { amount: 800, currency: "USD" }, `key-${id}`)).body).toEqual(res.body);
    expect((await call(stack, `/PaymentService/${id}/create`, { amount: 800, currency: "USD" })).body).toEqual(res.body);
    expect(await charges(id)).toHaveLength(1);
  });

  it("a cancel during the receipt ends the invocation as cancelled (not as a refused receipt); a keyed duplicate gets the same 409", async () => {
    const id = newId("pay");
    await setFaults(stack, { receiptLatencyMs: 1500 });
    const pending = call(stack, `/PaymentService/${id}/create`, { amount: 600, currency: "USD" }, `key-${id}`);
    await waitForJournaledRun(stack, id, "send receipt", "started");
    const [row] = await query<{ id: string }>(stack, `SELECT id FROM sys_invocation WHERE target_service_key = '${id}'`);
    const invocation = row!.id;
    expect((await fetch(`${stack.admin}/invocations/${invocation}/cancel`, { method: "PATCH" })).status).toBe(202);
    const res = await pending;
    const ended = Date.now();
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ message: "Cancelled" });
    // The answer comes at once, but the cancel does not stop the step in flight: the receipt is
    // still sent, after the invocation ended. What came before it (the charge) stays done.
    let receipts: unknown[] = [];
    for (let i = 0; i < 100 && receipts.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      receipts = (await (await fetch(`${stack.gateway}/receipts?paymentId=${id}`)).json()) as unknown[];
    }
    await setFaults(stack, { receiptLatencyMs: 0 });
    expect(receipts).toHaveLength(1);
    expect(Date.parse((receipts[0] as { at: string }).at), "the receipt was sent before the caller got its 409").toBeGreaterThan(ended);
    expect(await charges(id)).toHaveLength(1);
    const again = await call(stack, `/PaymentService/${id}/create`, { amount: 600, currency: "USD" }, `key-${id}`);
    expect({ status: again.status, replayed: again.replayed, invocationId: again.invocationId }).toEqual({ status: 409, replayed: true, invocationId: invocation });
    // A new key runs create, whose state check answers with the payment written before the cancel.
    const fresh = await call(stack, `/PaymentService/${id}/create`, { amount: 600, currency: "USD" }, `key-${id}-new`);
    expect(fresh).toMatchObject({ status: 200, body: { paymentId: id, status: "charged", receipt: "pending" } });
    expect(await charges(id)).toHaveLength(1);
  });

  it("a kill during the receipt: the caller and a keyed duplicate get 409 killed; the charge, the payment and the receipt in flight stay done", async () => {
    const id = newId("pay");
    await setFaults(stack, { receiptLatencyMs: 1500 });
    const pending = call(stack, `/PaymentService/${id}/create`, { amount: 650, currency: "USD" }, `key-${id}`);
    await waitForJournaledRun(stack, id, "send receipt", "started");
    const [row] = await query<{ id: string }>(stack, `SELECT id FROM sys_invocation WHERE target_service_key = '${id}'`);
    expect((await fetch(`${stack.admin}/invocations/${row!.id}/kill`, { method: "PATCH" })).status).toBe(200);
    const res = await pending;
    const ended = Date.now();
    expect(res).toMatchObject({ status: 409, body: { code: 409, message: "killed" }, invocationId: row!.id });
    await setFaults(stack, { receiptLatencyMs: 0 });
    const again = await call(stack, `/PaymentService/${id}/create`, { amount: 650, currency: "USD" }, `key-${id}`);
    expect(again).toMatchObject({ status: 409, body: { message: "killed" }, replayed: true, invocationId: row!.id });
    const fresh = await call(stack, `/PaymentService/${id}/create`, { amount: 650, currency: "USD" }, `key-${id}-new`);
    expect(fresh).toMatchObject({ status: 200, body: { paymentId: id, status: "charged", receipt: "pending" } });
    let receipts: unknown[] = [];
    for (let i = 0; i < 100 && receipts.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      receipts = (await (await fetch(`${stack.gateway}/receipts?paymentId=${id}`)).json()) as unknown[];
    }
    expect(receipts, "the receipt step in flight was not finished after the kill").toHaveLength(1);
    expect(Date.parse((receipts[0] as { at: string }).at), "the receipt was sent before the caller got its 409").toBeGreaterThan(ended);
    expect(await charges(id)).toHaveLength(1);
  });

  it("charges once when the gateway's answer is lost: ctx.run retries with the same gateway key", async () => {
    const id = newId("pay");
    await setFaults(stack, { timeoutAfterCharge: 1 });
    const res = await call(stack, `/PaymentService/${id}/create`, { amount: 700, currency: "USD" });
    expect(res.status).toBe(200);
    expect(await charges(id)).toHaveLength(1);
  });
});

describe("the scope of an idempotency key", () => {
  it("is service + object key + handler: the same key elsewhere is a new invocation", async () => {
    const id = newId("scope");
    const key = `key-${id}`;
    const payment = { amount: 1000, currency: "USD" };
    const first = await call(stack, `/PaymentService/${id}/create`, payment, key);
    const same = await call(stack, `/PaymentService/${id}/create`, payment, key);
    const otherPayment = await call(stack, `/PaymentService/${id}-2/create`, payment, key);
    const otherHandler = await call(stack, `/PaymentService/${id}/refund`, { refundId: "r-1", amount: 100 }, key);
    const otherService = await call(stack, `/PaymentAntiPatterns/${id}/countOutsideJournal`, payment, key);
    expect(same).toMatchObject({ replayed: true, invocationId: first.invocationId });
    const ids = [first, otherPayment, otherHandler, otherService].map((r) => r.invocationId);
    expect(new Set(ids).size).toBe(4);
    expect([otherPayment, otherHandler, otherService].map((r) => r.replayed)).toEqual([false, false, false]);
    // The other service's handler ran, and the gateway key it shares with create stopped a second charge.
    expect(otherService.body.chargeId).toBe(first.body.chargeId);
    expect(await charges(id)).toHaveLength(1);
  });
});

describe("CheckoutWorkflow", () => {
  it("runs once per workflow id, refuses a key on run, and pays with a key derived from the id", async () => {
    const id = newId("checkout");
    const order = { amount: 1200, currency: "EUR" };
    const keyed = await call(stack, `/CheckoutWorkflow/${id}/run`, order, "some-key");
    expect(keyed.status).toBe(400);
    const first = await call(stack, `/CheckoutWorkflow/${id}/run`, order);
    expect(first).toMatchObject({ status: 200, body: { checkoutId: id, payment: { paymentId: id, amount: 1200, status: "charged" } } });
    const again = await call(stack, `/CheckoutWorkflow/${id}/run`, order);
    expect(again).toMatchObject({ status: 409, body: { message: "the workflow method was already invoked" }, invocationId: first.invocationId });
    const attached = await fetch(`${stack.ingress}/restate/workflow/CheckoutWorkflow/${id}/attach`);
    expect(await attached.json()).toEqual(first.body);
    const calls = await query<{ idempotency_key: string }>(stack, `SELECT idempotency_key FROM sys_invocation WHERE target = 'PaymentService/${id}/create'`);
    expect(calls).toEqual([{ idempotency_key: `checkout-${id}` }]);
    expect(await charges(id)).toHaveLength(1);
  });
});

describe("refund", () => {
  it("refunds once for the same refundId twice, and at most the remaining amount", async () => {
    const id = newId("pay");
    await call(stack, `/PaymentService/${id}/create`, { amount: 1000, currency: "USD" });
    const first = await call(stack, `/PaymentService/${id}/refund`, { refundId: "r1", amount: 600 });
    const again = await call(stack, `/PaymentService/${id}/refund`, { refundId: "r1", amount: 600 });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({ refundedAmount: 600, status: "partially_refunded" });

    const tooMuch = await call(stack, `/PaymentService/${id}/refund`, { refundId: "r2", amount: 500 });
    expect(tooMuch.status).toBe(422);
    expect(JSON.stringify(tooMuch.body)).toMatch(/500.*400/);

    const rest = await call(stack, `/PaymentService/${id}/refund`, { refundId: "r3", amount: 400 });
    expect(rest.body).toMatchObject({ refundedAmount: 1000, status: "refunded" });
    expect((await refunds(id)).map((e) => e.amount)).toEqual([600, 400]);
  });

  it("answers 404 for a payment that does not exist", async () => {
    const res = await call(stack, `/PaymentService/${newId("none")}/refund`, { refundId: "r1", amount: 1 });
    expect(res.status).toBe(404);
  });
});

describe("status", () => {
  it("returns the stored payment, or 404", async () => {
    const id = newId("pay");
    expect((await call(stack, `/PaymentService/${id}/status`, undefined)).status).toBe(404);
    const created = await call(stack, `/PaymentService/${id}/create`, { amount: 300, currency: "GBP" });
    const status = await call(stack, `/PaymentService/${id}/status`, undefined);
    expect(status.status).toBe(200);
    expect(status.body).toEqual(created.body);
  });
});

describe("anti-patterns, under a retry caused by a lost gateway answer", () => {
  it("chargeOutsideRun charges the customer twice", async () => {
    const id = newId("anti1");
    await setFaults(stack, { timeoutAfterCharge: 1 });
    const res = await call(stack, `/PaymentAntiPatterns/${id}/chargeOutsideRun`, { amount: 500, currency: "USD" });
    expect(res.status).toBe(200);
    expect(await charges(id)).toHaveLength(2);
  });

  it("countOutsideJournal charges once but counts the order twice", async () => {
    const id = newId("anti2");
    await setFaults(stack, { timeoutAfterCharge: 1 });
    const res = await call(stack, `/PaymentAntiPatterns/${id}/countOutsideJournal`, { amount: 500, currency: "USD" });
    expect(res.status).toBe(200);
    expect(res.body.timesCounted).toBe(2);
    expect(await charges(id)).toHaveLength(1);
  });

  it("relyOnGatewayIdempotency charges the customer twice", async () => {
    const id = newId("anti3");
    await setFaults(stack, { timeoutAfterCharge: 1 });
    const res = await call(stack, `/PaymentAntiPatterns/${id}/relyOnGatewayIdempotency`, { amount: 500, currency: "USD" });
    expect(res.status).toBe(200);
    expect(await charges(id)).toHaveLength(2);
  });

  it("relyOnGatewayIdempotency also charges twice for two requests without a key", async () => {
    const id = newId("anti3");
    await call(stack, `/PaymentAntiPatterns/${id}/relyOnGatewayIdempotency`, { amount: 500, currency: "USD" });
    await call(stack, `/PaymentAntiPatterns/${id}/relyOnGatewayIdempotency`, { amount: 500, currency: "USD" });
    expect(await charges(id)).toHaveLength(2);
  });
});

describe("a crash after the charge was journaled", () => {
  /** Kills the service while it waits for the (slow) receipt, after the charge. */
  async function crashDuringReceipt(path: string, id: string) {
    // Slow enough to crash the service in, quicker than the service's 2 s gateway timeout.
    await setFaults(stack, { receiptLatencyMs: 1500 });
    const pending = call(stack, path, { amount: 900, currency: "USD" }, `crash-${id}`);
    await waitForJournaledRun(stack, id, "send receipt", "started");
    await stack.restartService();
    await fetch(`${stack.gateway}/faults`, { method: "DELETE" });
    return pending;
  }

  /** Kills the service while the gateway (slowed down) works on the charge, before its result is journaled. */
  async function crashDuringCharge(path: string, id: string) {
    // The charge is held just under the service's 2 s gateway time-out: the kill must land while
    // it is held (a full run on 2 cores once saw the journal's "started" too late at 1.5 s).
    await setFaults(stack, { latencyMs: 1900 });
    const pending = call(stack, path, { amount: 450, currency: "USD" }, `crash-${id}`);
    await waitForJournaledRun(stack, id, "charge", "started");
    await stack.restartService();
    await fetch(`${stack.gateway}/faults`, { method: "DELETE" });
    return pending;
  }

  it("PaymentService.create: Restate retries on the restarted service and the charge is not repeated", async () => {
    const id = newId("crash");
    const res = await crashDuringReceipt(`/PaymentService/${id}/create`, id);
    await waitForJournaledRun(stack, id, "charge", "completed"); // it was journaled before the crash
    expect(res.status).toBe(200);
    expect(await charges(id)).toHaveLength(1);
    const receipts = (await (await fetch(`${stack.gateway}/receipts?paymentId=${id}`)).json()) as unknown[];
    expect(receipts).toHaveLength(1);
  });

  it("Fees.charge, killed while the gateway charges: the retry draws the same key from ctx.rand, one charge", async () => {
    const id = newId("fee");
    const res = await crashDuringCharge(`/Fees/${id}/charge`, id);
    expect(res.status).toBe(200);
    const ledger = await charges(id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ idempotencyKey: res.body.gatewayKey });
  });

  it("feeWithRandomKey, killed while the gateway charges: the retry makes a new key, two charges", async () => {
    const id = newId("fee-anti");
    const res = await crashDuringCharge(`/PaymentAntiPatterns/${id}/feeWithRandomKey`, id);
    expect(res.status).toBe(200);
    // The first attempt's charge is recorded once the slow gateway is done with it.
    let ledger = await charges(id);
    for (let i = 0; i < 50 && ledger.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ledger = await charges(id);
    }
    expect(ledger).toHaveLength(2);
  });

  it("chargeOutsideRun: the retry charges the customer again", async () => {
    const id = newId("crash-anti1");
    const res = await crashDuringReceipt(`/PaymentAntiPatterns/${id}/chargeOutsideRun`, id);
    expect(res.status).toBe(200);
    expect(await charges(id)).toHaveLength(2);
  });
});

describe("who may call the service", () => {
  /** One HTTP/2 request to the service with the given :authority and extra headers; its status. */
  const statusFor = async (authority: string, headers: Record<string, string> = {}) => {
    const { connect } = await import("node:http2");
    const client = connect(stack.service!);
    try {
      return await new Promise<number>((resolve, reject) => {
        client.on("error", reject);
        const req = client.request({ ":method": "GET", ":path": "/discover", ":authority": authority, ...headers });
        req.on("response", (h) => resolve(Number(h[":status"])));
        req.on("error", reject);
        req.end();
      });
    } finally {
      // destroy, not close: close waits for the unread answer, and a session left open
      // meets the service's stop at the end of the file as an uncaught ECONNRESET.
      client.destroy();
    }
  };

  it("answers Restate on 127.0.0.1, and refuses a foreign host name or a web page's Origin", async () => {
    const own = new URL(stack.service!).host;
    expect(await statusFor(own)).not.toBe(403);
    expect(await statusFor("attacker.example")).toBe(403);
    expect(await statusFor(own, { origin: "https://attacker.example" })).toBe(403);
  });
});
