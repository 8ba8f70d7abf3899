// A wrong answer to exercise 3: the provider's idempotency key is the only guard. No state
// check, no ctx.run: it holds while the provider remembers the key, and not after.
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../../../lab-templates/payment-service/src/gateway-client.ts";

type EmailKind = "confirmation" | "shipped";
interface EmailRecord {
  orderId: string;
  kind: EmailKind;
  receiptId: string;
  sentAt: string;
}

const orderNotifications = restate.object({
  name: "OrderNotifications",
  handlers: {
    orderPlaced: async (ctx: restate.ObjectContext, input: { chargeId: string }): Promise<EmailRecord> => sendEmail(ctx, "confirmation", input.chargeId),
    orderShipped: async (ctx: restate.ObjectContext, input: { chargeId: string }): Promise<EmailRecord> => sendEmail(ctx, "shipped", input.chargeId),
    sent: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<EmailRecord[]> =>
      Object.values((await ctx.get<Record<string, EmailRecord>>("emails")) ?? {}),
    ),
  },
});

export const services = [orderNotifications];

async function sendEmail(ctx: restate.ObjectContext, kind: EmailKind, chargeId: string): Promise<EmailRecord> {
  const receipt = await gateway.sendReceipt({ paymentId: ctx.key, chargeId }, `email-${ctx.key}-${kind}`);
  return { orderId: ctx.key, kind, receiptId: receipt.id, sentAt: await ctx.date.toJSON() };
}
