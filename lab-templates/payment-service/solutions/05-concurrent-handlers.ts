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
    pay: async (ctx: restate.ObjectContext, input: unknown): Promise<CartPayment> =>
      payOnce(ctx, parseCreateRequest(input), "web"),

    // Exclusive, like `pay`: Restate runs the exclusive handlers of one cart one at a time, so
    // whichever of the two comes second finds the payment in state and charges nothing.
    expressPay: async (ctx: restate.ObjectContext, input: unknown): Promise<CartPayment> =>
      payOnce(ctx, parseCreateRequest(input), "express"),

    status: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<CartPayment | null> =>
      ctx.get<CartPayment>(PAYMENT),
    ),
  },
});

export const services = [checkout];

/** The one way to pay for a cart, whichever handler was called. */
async function payOnce(ctx: restate.ObjectContext, request: CreatePaymentRequest, channel: Channel): Promise<CartPayment> {
  const existing = await ctx.get<CartPayment>(PAYMENT);
  if (existing) return answerFor(existing, request);

  // One gateway key per cart, whichever channel pays: even two charges that raced past every
  // other check would be one charge at the gateway.
  const charge = await ctx.run("charge", () =>
    gateway.charge({ paymentId: `cart-${ctx.key}`, ...request }, `cart-${ctx.key}`),
  );
  const payment: CartPayment = { cartId: ctx.key, ...request, chargeId: charge.id, channel, paidAt: await ctx.date.toJSON() };
  ctx.set(PAYMENT, payment);
  return payment;
}

/** A cart is paid once: the same request gets the payment back, another one a 422. */
function answerFor(existing: CartPayment, request: CreatePaymentRequest): CartPayment {
  if (existing.amount === request.amount && existing.currency === request.currency) return existing;
  throw new restate.TerminalError(
    `Cart ${existing.cartId} was already paid ${existing.amount} ${existing.currency}; this request asks for ${request.amount} ${request.currency}`,
    { errorCode: 422 },
  );
}
