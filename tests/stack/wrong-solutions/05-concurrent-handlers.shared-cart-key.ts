// A wrong answer to exercise 5: expressPay stays shared, and both handlers charge under one
// gateway key per cart. The gateway then turns the second charge into the first, so the cart
// is charged once, but the two handlers still race: pay answers with a payment of its own
// (another channel, another time), and another amount meets the gateway's refusal of a reused
// key (a 502) instead of the object's 422.
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../../../lab-templates/payment-service/src/gateway-client.ts";
import type { CreatePaymentRequest } from "../../../lab-templates/payment-service/src/types.ts";
import { parseCreateRequest } from "../../../lab-templates/payment-service/src/validation.ts";

interface CartPayment {
  cartId: string;
  amount: number;
  currency: string;
  chargeId: string;
  channel: "web" | "express";
  paidAt: string;
}

const checkout = restate.object({
  name: "Checkout",
  handlers: {
    pay: async (ctx: restate.ObjectContext, input: unknown): Promise<CartPayment> => {
      const request = parseCreateRequest(input);
      const existing = await ctx.get<CartPayment>("payment");
      if (existing) return answerFor(existing, request);
      const charge = await ctx.run("charge", () => gateway.charge({ paymentId: `cart-${ctx.key}`, ...request }, `cart-${ctx.key}`));
      const payment: CartPayment = { cartId: ctx.key, ...request, chargeId: charge.id, channel: "web", paidAt: await ctx.date.toJSON() };
      ctx.set("payment", payment);
      return payment;
    },
    expressPay: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, input: unknown): Promise<CartPayment> => {
      const request = parseCreateRequest(input);
      const existing = await ctx.get<CartPayment>("payment");
      if (existing) return answerFor(existing, request);
      const charge = await ctx.run("charge", () => gateway.charge({ paymentId: `cart-${ctx.key}`, ...request }, `cart-${ctx.key}`));
      const payment: CartPayment = { cartId: ctx.key, ...request, chargeId: charge.id, channel: "express", paidAt: await ctx.date.toJSON() };
      ctx.objectSendClient<CheckoutApi>({ name: "Checkout" }, ctx.key).record(payment);
      return payment;
    }),
    record: restate.handlers.object.exclusive({ ingressPrivate: true }, async (ctx: restate.ObjectContext, payment: CartPayment): Promise<void> => {
      if (!(await ctx.get<CartPayment>("payment"))) ctx.set("payment", payment);
    }),
    status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<CartPayment | null> => ctx.get<CartPayment>("payment")),
  },
});

type CheckoutApi = { record: (ctx: restate.ObjectContext, payment: CartPayment) => Promise<void> };

export const services = [checkout];

function answerFor(existing: CartPayment, request: CreatePaymentRequest): CartPayment {
  if (existing.amount === request.amount && existing.currency === request.currency) return existing;
  throw new restate.TerminalError(`Cart ${existing.cartId} was already paid`, { errorCode: 422 });
}
