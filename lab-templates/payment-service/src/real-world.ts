// Real-world patterns around idempotency (docs/05-real-world.md): a checkout that undoes its
// charge when it is cancelled (a saga), a webhook receiver that applies each event once, and a
// payment that pauses instead of guessing when the gateway's answer never comes.
import * as restate from "@restatedev/restate-sdk";
import { TerminalError } from "@restatedev/restate-sdk";
import * as gateway from "./gateway-client.ts";
import type { GatewayEntry, Payment } from "./types.ts";
import { parseCreateRequest } from "./validation.ts";

export interface SagaCheckout {
  orderId: string;
  chargeId: string;
  status: "completed";
}

/**
 * OrderSaga.checkout: charge, then a later step (the receipt). Each step that succeeded
 * registers how to undo it; on a TerminalError (a step refused for good, or a cancel, which
 * the handler sees as a TerminalError at its next await) the undos run in reverse order, each
 * in ctx.run with a key of its own, so a retry of the compensation does not refund twice.
 * A kill runs no code at all: the charge stays.
 */
export const orderSaga = restate.object({
  name: "OrderSaga",
  handlers: {
    checkout: async (ctx: restate.ObjectContext, input: unknown): Promise<SagaCheckout> => {
      const request = parseCreateRequest(input);
      const compensations: Array<() => Promise<unknown>> = [];
      try {
        const charge = await ctx.run("charge", () => gateway.charge({ paymentId: ctx.key, ...request }, `saga-charge-${ctx.key}`));
        // Registered once the charge is known: a charge the gateway refused needs no refund.
        compensations.push(() =>
          ctx.run("refund the charge", () => gateway.refund({ paymentId: ctx.key, amount: request.amount }, `saga-refund-${ctx.key}`)),
        );
        ctx.set("charge", charge);
        await ctx.run("send receipt", () => gateway.sendReceipt({ paymentId: ctx.key, chargeId: charge.id }, `saga-receipt-${ctx.key}`));
        return { orderId: ctx.key, chargeId: charge.id, status: "completed" };
      } catch (err) {
        if (err instanceof TerminalError) {
          for (const undo of compensations.reverse()) await undo();
          ctx.set("compensated", true);
        }
        throw err;
      }
    },
  },
});

export interface WebhookEvent {
  id: string;
  type: "charge.succeeded" | "charge.refunded";
  /** The provider's clock for the event (a sequence number here): later events have larger values. */
  created: number;
}

export interface WebhookView {
  /** Every delivery that reached the handler, duplicates included. */
  deliveries: number;
  /** Distinct events applied. */
  eventsApplied: number;
  /** The `created` of the newest event applied: an older event arriving late does not replace it. */
  latestCreated: number;
  latestType: WebhookEvent["type"] | null;
}

/**
 * PaymentWebhooks, keyed by payment id: receives the provider's events. Providers deliver at
 * least once, in any order, and send no Restate idempotency key, so the handler deduplicates by
 * the event's own id, kept in the object's state (exclusive handler: one delivery at a time per
 * payment, so two copies cannot both pass the check).
 */
export const paymentWebhooks = restate.object({
  name: "PaymentWebhooks",
  handlers: {
    onEvent: async (ctx: restate.ObjectContext, input: unknown): Promise<WebhookView & { duplicate: boolean }> => {
      const event = parseEvent(input);
      ctx.set("deliveries", ((await ctx.get<number>("deliveries")) ?? 0) + 1);
      // A real receiver keeps ids for the provider's retry window (days), not for ever.
      const seen = (await ctx.get<string[]>("seen")) ?? [];
      if (seen.includes(event.id)) return { ...(await view(ctx)), duplicate: true };
      ctx.set("seen", [...seen, event.id]);
      const latest = await ctx.get<WebhookEvent>("latest");
      if (!latest || event.created > latest.created) ctx.set("latest", event);
      if (event.type === "charge.succeeded") {
        // The side effect of the event, keyed at the provider too: by the payment and the event id (a
        // real provider's event ids are unique; the lab's examples reuse evt_1 for every payment).
        await ctx.run("send receipt", () => gateway.sendReceipt({ paymentId: ctx.key, chargeId: event.id }, `webhook-${ctx.key}-${event.id}`));
      }
      return { ...(await view(ctx)), duplicate: false };
    },
    view: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<WebhookView> => view(ctx)),
  },
});

async function view(ctx: restate.ObjectSharedContext): Promise<WebhookView> {
  const latest = await ctx.get<WebhookEvent>("latest");
  return {
    deliveries: (await ctx.get<number>("deliveries")) ?? 0,
    eventsApplied: ((await ctx.get<string[]>("seen")) ?? []).length,
    latestCreated: latest?.created ?? 0,
    latestType: latest?.type ?? null,
  };
}

function parseEvent(input: unknown): WebhookEvent {
  const o = (typeof input === "object" && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const ok =
    typeof o.id === "string" &&
    /^evt_[A-Za-z0-9_-]{1,100}$/.test(o.id) &&
    (o.type === "charge.succeeded" || o.type === "charge.refunded") &&
    Number.isSafeInteger(o.created) &&
    (o.created as number) > 0;
  if (!ok) {
    throw new TerminalError(
      `An event must look like { "id": "evt_1", "type": "charge.succeeded" | "charge.refunded", "created": 1 }, got ${JSON.stringify(input)?.slice(0, 200)}`,
      { errorCode: 400 },
    );
  }
  return { id: o.id as string, type: o.type as WebhookEvent["type"], created: o.created as number };
}

/**
 * CarefulPayments.create: like PaymentService.create, but Restate stops retrying after a few
 * attempts and pauses the invocation instead of retrying for ever. When the gateway's answer
 * never comes, nobody knows whether the customer was charged: the pause hands the question to
 * an operator, who looks the charge up in the gateway's ledger by its key and then resumes
 * (the retry's same key gets the recorded charge back) or kills the invocation.
 */
export const carefulPayments = restate.object({
  name: "CarefulPayments",
  options: { retryPolicy: { maxAttempts: 3, initialInterval: 200, onMaxAttempts: "pause" } },
  handlers: {
    create: async (ctx: restate.ObjectContext, input: unknown): Promise<Payment> => {
      const request = parseCreateRequest(input);
      const existing = await ctx.get<Payment>("payment");
      if (existing) return existing;
      const charge: GatewayEntry = await ctx.run("charge", () => gateway.charge({ paymentId: ctx.key, ...request }, `charge-${ctx.key}`));
      const payment: Payment = {
        paymentId: ctx.key,
        amount: request.amount,
        currency: request.currency,
        status: "charged",
        chargeId: charge.id,
        refundedAmount: 0,
        refunds: [],
        createdAt: await ctx.date.toJSON(),
      };
      ctx.set("payment", payment);
      return payment;
    },
  },
});

export interface EmailOutcome {
  /** "unknown": the one attempt got no answer, so nobody knows whether the email went out. */
  outcome: "sent" | "unknown";
  /** 1 when the provider confirmed a send, else 0. */
  confirmed: number;
}

/**
 * OrderEmails: an email provider that takes no idempotency key at all (the gateway's receipts,
 * called without one). Two choices, both honest about what they risk:
 *   sendAtMostOnce  one attempt; a lost answer is recorded as "unknown", never retried. A crash
 *                   of the service while the send is in flight does run the action again (it was
 *                   not journaled), so this is at most once only as long as the process lives.
 *   sendAtLeastOnce Restate retries until an answer comes: a lost answer means a second email.
 */
export const orderEmails = restate.object({
  name: "OrderEmails",
  handlers: {
    sendAtMostOnce: async (ctx: restate.ObjectContext): Promise<EmailOutcome> => {
      const result = await ctx
        .run("send email", () => gateway.sendReceipt({ paymentId: ctx.key, chargeId: "order-confirmation" }), { maxRetryAttempts: 1 })
        .then(
          (): EmailOutcome => ({ outcome: "sent", confirmed: 1 }),
          (err: unknown): EmailOutcome => {
            // After its one attempt ctx.run throws a TerminalError; a cancel is the caller's decision and goes on.
            if (err instanceof TerminalError && !(err instanceof restate.CancelledError)) return { outcome: "unknown", confirmed: 0 };
            throw err;
          },
        );
      ctx.set("email", result);
      return result;
    },
    sendAtLeastOnce: async (ctx: restate.ObjectContext): Promise<EmailOutcome> => {
      await ctx.run("send email", () => gateway.sendReceipt({ paymentId: ctx.key, chargeId: "order-confirmation" }));
      const result: EmailOutcome = { outcome: "sent", confirmed: 1 };
      ctx.set("email", result);
      return result;
    },
  },
});
