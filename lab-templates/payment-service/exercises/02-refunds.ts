// Exercise 2: refund processing.
//
// RefundService is a virtual object keyed by payment id: `refund` pays part of a charge
// back through the gateway. The caller names each refund with a refundId of its own. The
// same refundId sent again (a retry, a double click, a queue redelivering a message) is
// the same refund: it is paid out once. Two refundIds are two refunds.
//
// Tests: test/exercises/02-refunds.test.ts (npm run test:exercises -- 02)
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../src/gateway-client.ts";
import { parseRefundRequest } from "../src/validation.ts";

export interface RefundRecord {
  paymentId: string;
  refundId: string;
  amount: number;
  /** The gateway's ledger entry of the refund. */
  gatewayRefundId: string;
  refundedAt: string;
}

/** State: every refund of this payment, by refundId. */
const REFUNDS = "refunds";

export const refundService = restate.object({
  name: "RefundService",
  handlers: {
    refund: async (ctx: restate.ObjectContext, input: unknown): Promise<RefundRecord> => {
      const request = parseRefundRequest(input);
      const refunds = (await ctx.get<Record<string, RefundRecord>>(REFUNDS)) ?? {};

      // TODO 1: the refundId names the refund, and this one may be in `refunds` already: a
      // retry. Answer with the stored record when the amount is the same, and with a 422 (a
      // restate.TerminalError with errorCode 422) when it is not. Today it refunds again.

      // TODO 2: the refund is journaled, but when the service dies while the gateway is still
      // working on it, Restate runs this step again, and the gateway, which gets no idempotency
      // key, pays back twice. Pass a key derived from the payment id and the refundId as the
      // second argument of gateway.refund.
      const entry = await ctx.run(`refund ${request.refundId}`, () =>
        gateway.refund({ paymentId: ctx.key, amount: request.amount }),
      );

      const record: RefundRecord = {
        paymentId: ctx.key,
        refundId: request.refundId,
        amount: request.amount,
        gatewayRefundId: entry.id,
        refundedAt: await ctx.date.toJSON(),
      };
      ctx.set(REFUNDS, { ...refunds, [request.refundId]: record });
      return record;
    },

    list: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<RefundRecord[]> =>
      Object.values((await ctx.get<Record<string, RefundRecord>>(REFUNDS)) ?? {}),
    ),
  },
});

export const services = [refundService];
