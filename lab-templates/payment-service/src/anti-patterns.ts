// ANTI-PATTERNS. Do not copy these handlers: each one is here so the lab can show,
// with real retries and the gateway's ledger, what goes wrong. PaymentService and Fees
// show the safe way to do the same work.
import * as restate from "@restatedev/restate-sdk";
import { randomUUID } from "node:crypto";
import * as gateway from "./gateway-client.ts";
import type { Payment } from "./types.ts";
import { parseCreateRequest } from "./validation.ts";

/**
 * Anti-pattern 2's counter: plain process memory, outside Restate's journal.
 * It is bumped every time the handler body runs, and Restate may run it more than once.
 */
const timesCounted = new Map<string, number>();

export const paymentAntiPatterns = restate.object({
  name: "PaymentAntiPatterns",
  handlers: {
    /**
     * ANTI-PATTERN 1: the charge is not inside ctx.run.
     * When the gateway's answer is lost or the service crashes after charging, Restate
     * retries the handler from the top. Nothing was journaled and no state was written
     * yet, so the retry charges the customer again.
     */
    chargeOutsideRun: async (ctx: restate.ObjectContext, input: unknown): Promise<Payment> => {
      const request = parseCreateRequest(input);
      const existing = await ctx.get<Payment>("payment");
      if (existing) return existing;

      const charge = await gateway.charge({ paymentId: ctx.key, ...request }); // not journaled!

      const payment = newPayment(ctx.key, request, charge.id, await ctx.date.toJSON());
      await ctx.run("send receipt", () =>
        gateway.sendReceipt({ paymentId: ctx.key, chargeId: charge.id }, `receipt-${ctx.key}`),
      ); // a crash here re-runs the handler, and with it the unjournaled charge
      ctx.set("payment", payment);
      return payment;
    },

    /**
     * ANTI-PATTERN 2: a counter mutated outside the journal.
     * The charge itself is safe here, but `timesCounted` is bumped on every attempt, so
     * after a retry the "orders processed" figure says 2 for one order.
     */
    countOutsideJournal: async (
      ctx: restate.ObjectContext,
      input: unknown,
    ): Promise<Payment & { timesCounted: number }> => {
      const request = parseCreateRequest(input);
      timesCounted.set(ctx.key, (timesCounted.get(ctx.key) ?? 0) + 1); // not journaled!

      const charge = await ctx.run("charge", () =>
        gateway.charge({ paymentId: ctx.key, ...request }, `charge-${ctx.key}`),
      );
      const payment = newPayment(ctx.key, request, charge.id, await ctx.date.toJSON());
      ctx.set("payment", payment);
      return { ...payment, timesCounted: timesCounted.get(ctx.key) ?? 0 };
    },

    /**
     * ANTI-PATTERN 3: relying on the gateway's own idempotency.
     * The gateway deduplicates by Idempotency-Key, but this handler makes a new key on
     * every attempt (as many client libraries do per call) and keeps no state of its
     * own. A retry of the handler, a second request without an idempotency key, or one
     * with a key Restate no longer remembers, is a brand-new charge as far as the gateway
     * can tell.
     */
    relyOnGatewayIdempotency: async (ctx: restate.ObjectContext, input: unknown): Promise<Payment> => {
      const request = parseCreateRequest(input);
      const charge = await ctx.run("charge", () =>
        gateway.charge({ paymentId: ctx.key, ...request }, randomUUID()), // a new key each attempt!
      );
      const payment = newPayment(ctx.key, request, charge.id, await ctx.date.toJSON());
      ctx.set("payment", payment);
      return payment;
    },

    /**
     * ANTI-PATTERN 4: a gateway key made up with crypto.randomUUID() in the handler.
     * The charge is in ctx.run and carries a key, but the key is a new value on every attempt:
     * when the service dies while the gateway works on the charge, the retry asks for a second
     * charge under another key. Fees.charge draws it with ctx.rand.uuidv4() instead.
     */
    feeWithRandomKey: async (ctx: restate.ObjectContext, input: unknown): Promise<{ chargeId: string; gatewayKey: string }> => {
      const request = parseCreateRequest(input);
      const gatewayKey = `fee-${randomUUID()}`; // a new key on every attempt!
      const charge = await ctx.run("charge", () => gateway.charge({ paymentId: ctx.key, ...request }, gatewayKey));
      return { chargeId: charge.id, gatewayKey };
    },

    /**
     * ANTI-PATTERN 5: a read-modify-write of state that nothing names.
     * The count is in Restate's state (journaled, one writer at a time per key), so a retry of
     * one invocation counts once. But the handler never looks at the order id it is given: a
     * client that resends without an idempotency key starts a second invocation, which reads
     * what the first wrote and adds one more.
     */
    countOrder: async (ctx: restate.ObjectContext, input: unknown): Promise<{ orders: number }> => {
      void input; // the order id is there, and ignored: that is the flaw
      const orders = ((await ctx.get<number>("orders")) ?? 0) + 1;
      ctx.set("orders", orders);
      return { orders };
    },

    /** Anti-pattern 5's count, as stored. */
    orders: restate.handlers.object.shared(
      async (ctx: restate.ObjectSharedContext): Promise<{ orders: number }> => ({ orders: (await ctx.get<number>("orders")) ?? 0 }),
    ),

    /** How many times anti-pattern 2 counted each payment, in this service process. */
    counters: restate.handlers.object.shared(
      async (ctx: restate.ObjectSharedContext): Promise<{ timesCounted: number }> => ({
        timesCounted: timesCounted.get(ctx.key) ?? 0,
      }),
    ),
  },
});

function newPayment(
  paymentId: string,
  request: { amount: number; currency: string },
  chargeId: string,
  createdAt: string,
): Payment {
  return { paymentId, ...request, status: "charged", chargeId, refundedAmount: 0, refunds: [], createdAt };
}
