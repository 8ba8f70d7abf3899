// PaymentService: a virtual object keyed by payment id. Three layers keep a payment
// from being charged twice:
//   1. Restate's idempotency keys: a duplicate request with the same `idempotency-key`
//      header gets the first result back without running the handler again.
//   2. Object state: the handler looks at the stored payment before charging, so a
//      second `create` for the same payment id charges nothing, key or no key.
//   3. ctx.run journals the charge, and the gateway call carries an idempotency key
//      derived from the payment id, so a retry after a lost answer is not a new charge.
import * as restate from "@restatedev/restate-sdk";
import { CancelledError, TerminalError } from "@restatedev/restate-sdk";
import * as gateway from "./gateway-client.ts";
import type { Payment, ReceiptState } from "./types.ts";
import { parseCreateRequest, parseRefundRequest } from "./validation.ts";

const PAYMENT = "payment";

export const paymentService = restate.object({
  name: "PaymentService",
  handlers: {
    create: async (ctx: restate.ObjectContext, input: unknown): Promise<Payment> => {
      const request = parseCreateRequest(input);
      const existing = await ctx.get<Payment>(PAYMENT);
      if (existing) {
        if (existing.amount === request.amount && existing.currency === request.currency) return existing;
        throw new TerminalError(
          `Payment ${ctx.key} already exists for ${existing.amount} ${existing.currency}; ` +
            `this request asks for ${request.amount} ${request.currency}. Use a new payment id for a new payment.`,
          { errorCode: 422 },
        );
      }

      const charge = await ctx.run("charge", () =>
        gateway.charge({ paymentId: ctx.key, ...request }, `charge-${ctx.key}`),
      );

      const payment: Payment = {
        paymentId: ctx.key,
        amount: request.amount,
        currency: request.currency,
        status: "charged",
        chargeId: charge.id,
        refundedAmount: 0,
        refunds: [],
        createdAt: await ctx.date.toJSON(),
        receipt: "pending",
      };
      ctx.set(PAYMENT, payment);

      // A second side effect after the charge. If the service crashes here, Restate retries the
      // handler: the journal already holds the charge, so only the receipt is sent again (once,
      // thanks to its key). A receipt the provider refuses for good (a TerminalError) must not
      // turn a payment that was charged into an error: the payment records it, create answers.
      // A cancellation is a TerminalError too, but it is the caller's decision, not the
      // provider's: it goes on, so that the invocation ends as cancelled.
      const receipt = await ctx
        .run("send receipt", () => gateway.sendReceipt({ paymentId: ctx.key, chargeId: charge.id }, `receipt-${ctx.key}`))
        .then(
          (): ReceiptState => "sent",
          (err: unknown): ReceiptState => {
            if (err instanceof TerminalError && !(err instanceof CancelledError)) return "refused";
            throw err;
          },
        );
      const receipted: Payment = { ...payment, receipt };
      ctx.set(PAYMENT, receipted);
      return receipted;
    },

    refund: async (ctx: restate.ObjectContext, input: unknown): Promise<Payment> => {
      const request = parseRefundRequest(input);
      const payment = await ctx.get<Payment>(PAYMENT);
      if (!payment) throw new TerminalError(`No payment ${ctx.key}: create it before refunding`, { errorCode: 404 });

      const earlier = payment.refunds.find((r) => r.refundId === request.refundId);
      if (earlier) {
        if (earlier.amount === request.amount) return payment;
        throw new TerminalError(
          `Refund ${request.refundId} already refunded ${earlier.amount}; this request asks for ${request.amount}`,
          { errorCode: 422 },
        );
      }
      const remaining = payment.amount - payment.refundedAmount;
      if (request.amount > remaining) {
        throw new TerminalError(
          `A refund of ${request.amount} is more than the ${remaining} ${payment.currency} left on payment ${ctx.key}`,
          { errorCode: 422 },
        );
      }

      const entry = await ctx.run(`refund ${request.refundId}`, () =>
        gateway.refund({ paymentId: ctx.key, amount: request.amount }, `refund-${ctx.key}-${request.refundId}`),
      );

      const refundedAmount = payment.refundedAmount + request.amount;
      const updated: Payment = {
        ...payment,
        refundedAmount,
        status: refundedAmount === payment.amount ? "refunded" : "partially_refunded",
        refunds: [...payment.refunds, { ...request, gatewayRefundId: entry.id }],
      };
      ctx.set(PAYMENT, updated);
      return updated;
    },

    // Shared: runs concurrently with the exclusive handlers and only reads state.
    status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<Payment> => {
      const payment = await ctx.get<Payment>(PAYMENT);
      if (!payment) throw new TerminalError(`No payment ${ctx.key}`, { errorCode: 404 });
      return payment;
    }),
  },
});
