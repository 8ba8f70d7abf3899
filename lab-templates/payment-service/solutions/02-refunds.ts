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

      // The refundId is the business identity of the refund: the same one again is a retry.
      const earlier = refunds[request.refundId];
      if (earlier) {
        if (earlier.amount === request.amount) return earlier;
        throw new restate.TerminalError(
          `Refund ${request.refundId} of payment ${ctx.key} already paid back ${earlier.amount}; this request asks for ${request.amount}`,
          { errorCode: 422 },
        );
      }

      // Journaled, and keyed by payment and refund: if the service dies while the gateway works
      // on it, the retried step asks for the same refund and the gateway answers with the first.
      const entry = await ctx.run(`refund ${request.refundId}`, () =>
        gateway.refund({ paymentId: ctx.key, amount: request.amount }, `refund-${ctx.key}-${request.refundId}`),
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
