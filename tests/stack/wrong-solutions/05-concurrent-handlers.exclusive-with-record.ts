// A wrong answer to exercise 5: expressPay is made exclusive, but it still hands its payment
// to `record` with a one-way message, and each channel keeps its gateway key. Exclusive
// handlers of one cart run one at a time, in the order their calls arrived: a pay that came
// while expressPay was charging runs before the `record` message sent at the end of
// expressPay, finds no payment, and charges again.
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
      const charge = await ctx.run("charge", () => gateway.charge({ paymentId: `cart-${ctx.key}`, ...request }, `cart-${ctx.key}-web`));
      const payment: CartPayment = { cartId: ctx.key, ...request, chargeId: charge.id, channel: "web", paidAt: await ctx.date.toJSON() };
      ctx.set("payment", payment);
      return payment;
    },
    expressPay: async (ctx: restate.ObjectContext, input: unknown): Promise<CartPayment> => {
      const request = parseCreateRequest(input);
      const existing = await ctx.get<CartPayment>("payment");
      if (existing) return answerFor(existing, request);
      const charge = await ctx.run("charge", () => gateway.charge({ paymentId: `cart-${ctx.key}`, ...request }, `cart-${ctx.key}-express`));
      const payment: CartPayment = { cartId: ctx.key, ...request, chargeId: charge.id, channel: "express", paidAt: await ctx.date.toJSON() };
      ctx.objectSendClient<CheckoutApi>({ name: "Checkout" }, ctx.key).record(payment);
      return payment;
    },
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
