// A wrong answer to exercise 3: state, journal and a provider key, but the key names only the
// order. The shipping notice then reuses the confirmation's key, and the provider answers it
// with the confirmation: the second email is swallowed.
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
  const sent = (await ctx.get<Record<string, EmailRecord>>("emails")) ?? {};
  const earlier = sent[kind];
  if (earlier) return earlier;
  const receipt = await ctx.run(`send ${kind} email`, () => gateway.sendReceipt({ paymentId: ctx.key, chargeId }, `email-${ctx.key}`));
  const record: EmailRecord = { orderId: ctx.key, kind, receiptId: receipt.id, sentAt: await ctx.date.toJSON() };
  ctx.set("emails", { ...sent, [kind]: record });
  return record;
}
