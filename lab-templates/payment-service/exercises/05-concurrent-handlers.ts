// Exercise 5 (advanced): concurrent duplicates across the handlers of one object.
//
// Checkout is a virtual object keyed by cart id with two ways to pay for a cart: `pay`
// (the web shop) and `expressPay` (the one-tap button of the mobile app). A customer who
// taps both, or a client that retries on both, sends duplicates to two handlers of one
// object at the same moment. Restate's idempotency keys do not join them: their scope is
// service + object key + handler + key, so the same key on `pay` and on `expressPay` is
// two invocations. What the object itself does decides whether the cart is paid once.
//
// Tests: test/exercises/05-concurrent-handlers.test.ts (npm run test:exercises -- 05)
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../src/gateway-client.ts";
import type { CreatePaymentRequest } from "../src/types.ts";
import { parseCreateRequest } from "../src/validation.ts";

export type Channel = "web" | "express";

export interface CartPayment {
  cartId: string;
  amount: number;
  currency: string;
  chargeId: string;
  /** Which handler paid: the other one answers with this payment. */
  channel: Channel;
  paidAt: string;
}

const PAYMENT = "payment";

export const checkout = restate.object({
  name: "Checkout",
  handlers: {
    pay: async (ctx: restate.ObjectContext, input: unknown): Promise<CartPayment> => {
      const request = parseCreateRequest(input);
      const existing = await ctx.get<CartPayment>(PAYMENT);
      if (existing) return answerFor(existing, request);

      const charge = await ctx.run("charge", () =>
        gateway.charge({ paymentId: `cart-${ctx.key}`, ...request }, `cart-${ctx.key}-web`),
      );
      const payment: CartPayment = { cartId: ctx.key, ...request, chargeId: charge.id, channel: "web", paidAt: await ctx.date.toJSON() };
      ctx.set(PAYMENT, payment);
      return payment;
    },

    // TODO: this handler was made shared "so that the app never waits behind another request".
    // Since then, customers who tap the app's button while the web shop is paying (or the
    // other way round) are sometimes charged twice for one cart. A cart is paid once,
    // whichever handlers are called, in whichever order, with whichever keys.
    expressPay: restate.handlers.object.shared(
      async (ctx: restate.ObjectSharedContext, input: unknown): Promise<CartPayment> => {
        const request = parseCreateRequest(input);
        const existing = await ctx.get<CartPayment>(PAYMENT);
        if (existing) return answerFor(existing, request);

        const charge = await ctx.run("charge", () =>
          gateway.charge({ paymentId: `cart-${ctx.key}`, ...request }, `cart-${ctx.key}-express`),
        );
        const payment: CartPayment = { cartId: ctx.key, ...request, chargeId: charge.id, channel: "express", paidAt: await ctx.date.toJSON() };
        // A shared handler cannot call ctx.set: it asks the exclusive `record` to store the payment.
        ctx.objectSendClient<CheckoutApi>({ name: "Checkout" }, ctx.key).record(payment);
        return payment;
      },
    ),

    record: restate.handlers.object.exclusive(
      { ingressPrivate: true },
      async (ctx: restate.ObjectContext, payment: CartPayment): Promise<void> => {
        if (!(await ctx.get<CartPayment>(PAYMENT))) ctx.set(PAYMENT, payment);
      },
    ),

    status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<CartPayment | null> =>
      ctx.get<CartPayment>(PAYMENT),
    ),
  },
});

/** The handlers' signatures, for the object to send messages to itself. */
export type CheckoutApi = {
  record: (ctx: restate.ObjectContext, payment: CartPayment) => Promise<void>;
};

export const services = [checkout];

/** A cart is paid once: the same request gets the payment back, another one a 422. */
function answerFor(existing: CartPayment, request: CreatePaymentRequest): CartPayment {
  if (existing.amount === request.amount && existing.currency === request.currency) return existing;
  throw new restate.TerminalError(
    `Cart ${existing.cartId} was already paid ${existing.amount} ${existing.currency}; this request asks for ${request.amount} ${request.currency}`,
    { errorCode: 422 },
  );
}
