// Exercise 3: email-sending deduplication.
//
// OrderNotifications is a virtual object keyed by order id. It emails the customer twice
// in an order's life: a confirmation when the order is placed and a notice when it ships.
// The gateway's POST /receipts plays the email provider: like a real one it takes an
// Idempotency-Key, and it keeps every email it sent (GET /receipts). An email cannot be
// unsent, so each one must go out once, whatever is retried.
//
// Tests: test/exercises/03-email-dedup.test.ts (npm run test:exercises -- 03)
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../src/gateway-client.ts";

export type EmailKind = "confirmation" | "shipped";

export interface EmailRecord {
  orderId: string;
  kind: EmailKind;
  /** The provider's id of the email (a receipt id at the gateway). */
  receiptId: string;
  sentAt: string;
}

/** State: the emails sent for this order, by kind. */
const SENT = "emails";

export const orderNotifications = restate.object({
  name: "OrderNotifications",
  handlers: {
    orderPlaced: async (ctx: restate.ObjectContext, input: unknown): Promise<EmailRecord> =>
      sendEmail(ctx, "confirmation", parseChargeId(input)),

    orderShipped: async (ctx: restate.ObjectContext, input: unknown): Promise<EmailRecord> =>
      sendEmail(ctx, "shipped", parseChargeId(input)),

    sent: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<EmailRecord[]> =>
      Object.values((await ctx.get<Record<string, EmailRecord>>(SENT)) ?? {}),
    ),
  },
});

export const services = [orderNotifications];

async function sendEmail(ctx: restate.ObjectContext, kind: EmailKind, chargeId: string): Promise<EmailRecord> {
  // TODO 1: a client or a queue may deliver orderPlaced (or orderShipped) again, a second
  // later or a day later. Today every delivery emails the customer again.

  // TODO 2: when the service dies while the provider is sending, Restate runs this handler
  // again, and today the customer gets the email twice. The confirmation and the shipping
  // notice are two different emails: whatever stops one from going out twice must not stop
  // the other from going out once.
  const receipt = await gateway.sendReceipt({ paymentId: ctx.key, chargeId });

  const record: EmailRecord = { orderId: ctx.key, kind, receiptId: receipt.id, sentAt: await ctx.date.toJSON() };
  // TODO 3: `sent` lists the emails this order got. Today it always answers [].
  return record;
}

function parseChargeId(input: unknown): string {
  const chargeId = (input as { chargeId?: unknown } | null)?.chargeId;
  if (typeof chargeId !== "string" || chargeId === "" || chargeId.length > 200) {
    throw new restate.TerminalError('The body must be { "chargeId": "ch_..." }', { errorCode: 400 });
  }
  return chargeId;
}
