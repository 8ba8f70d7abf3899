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
    expect(await charges(id)).toHaveLength(1);
    const again = await call(stack, `/PaymentService/${id}/create`, { amount: 600, currency: "USD" }, `key-${id}`);
    expect({ status: again.status, replayed: again.replayed, invocationId: again.invocationId }).toEqual({ status: 409, replayed: true, invocationId: invocation });
  });

  it("charges once when the gateway's answer is lost: ctx.run retries with the same gateway key", async () => {
    const id = newId("pay");
    await setFaults(stack, { timeoutAfterCharge: 1 });
    const res = await call(stack, `/PaymentService/${id}/create`, { amount: 700, currency: "USD" });
    expect(res.status).toBe(200);
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

  it("PaymentService.create: Restate retries on the restarted service and the charge is not repeated", async () => {
    const id = newId("crash");
    const res = await crashDuringReceipt(`/PaymentService/${id}/create`, id);
    await waitForJournaledRun(stack, id, "charge", "completed"); // it was journaled before the crash
    expect(res.status).toBe(200);
    expect(await charges(id)).toHaveLength(1);
    const receipts = (await (await fetch(`${stack.gateway}/receipts?paymentId=${id}`)).json()) as unknown[];
    expect(receipts).toHaveLength(1);
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
    const client = connect(stack.service);
    try {
      return await new Promise<number>((resolve, reject) => {
        const req = client.request({ ":method": "GET", ":path": "/discover", ":authority": authority, ...headers });
        req.on("response", (h) => resolve(Number(h[":status"])));
        req.on("error", reject);
        req.end();
      });
    } finally {
      client.close();
    }
  };

  it("answers Restate on 127.0.0.1, and refuses a foreign host name or a web page's Origin", async () => {
    const own = new URL(stack.service).host;
    expect(await statusFor(own)).not.toBe(403);
    expect(await statusFor("attacker.example")).toBe(403);
    expect(await statusFor(own, { origin: "https://attacker.example" })).toBe(403);
  });
});
