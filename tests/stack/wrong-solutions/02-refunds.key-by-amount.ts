// A wrong answer to exercise 2: everything in place, but the gateway key names the payment and
// the amount instead of the refundId. Two refunds of the same amount then share a key, and the
// gateway answers the second with the first: the customer's second refund is swallowed.
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../../../lab-templates/payment-service/src/gateway-client.ts";
import { parseRefundRequest } from "../../../lab-templates/payment-service/src/validation.ts";
import type { RefundRecord } from "../../../lab-templates/payment-service/solutions/02-refunds.ts";

const refundService = restate.object({
  name: "RefundService",
  handlers: {
    refund: async (ctx: restate.ObjectContext, input: unknown): Promise<RefundRecord> => {
      const request = parseRefundRequest(input);
      const refunds = (await ctx.get<Record<string, RefundRecord>>("refunds")) ?? {};
      const earlier = refunds[request.refundId];
      if (earlier) {
        if (earlier.amount === request.amount) return earlier;
        throw new restate.TerminalError(`Refund ${request.refundId} already paid back ${earlier.amount}`, { errorCode: 422 });
      }
      const entry = await ctx.run(`refund ${request.refundId}`, () =>
        gateway.refund({ paymentId: ctx.key, amount: request.amount }, `refund-${ctx.key}-${request.amount}`),
      );
      const record: RefundRecord = { paymentId: ctx.key, ...request, gatewayRefundId: entry.id, refundedAt: await ctx.date.toJSON() };
      ctx.set("refunds", { ...refunds, [request.refundId]: record });
      return record;
    },
    list: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<RefundRecord[]> =>
      Object.values((await ctx.get<Record<string, RefundRecord>>("refunds")) ?? {}),
    ),
  },
});

export const services = [refundService];
