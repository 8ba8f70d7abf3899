// Storefront: pays for an order by calling PaymentService, from one Restate service to another.
// The call is in placeOrder's journal, so Restate's retries of placeOrder do not call again. The
// idempotency key is for the case the journal does not cover: another invocation of placeOrder
// for the same order (a client that resends without a key) gets the first call's answer from
// Restate, and PaymentService.create runs once.
import * as restate from "@restatedev/restate-sdk";
import { TerminalError } from "@restatedev/restate-sdk";
import type { paymentService } from "./payment-service.ts";
import type { Payment } from "./types.ts";
import { parseCreateRequest } from "./validation.ts";

export interface PlacedOrder {
  orderId: string;
  payment: Payment;
}

export const storefront = restate.service({
  name: "Storefront",
  handlers: {
    placeOrder: async (ctx: restate.Context, input: unknown): Promise<PlacedOrder> => {
      const orderId = orderIdOf(input);
      const request = parseCreateRequest(input);
      const payment = await ctx
        .objectClient<typeof paymentService>({ name: "PaymentService" }, `pay-${orderId}`)
        .create(request, restate.rpc.opts({ idempotencyKey: `order-${orderId}` }));
      return { orderId, payment };
    },
  },
});

function orderIdOf(input: unknown): string {
  const orderId = (input as { orderId?: unknown } | null)?.orderId;
  if (typeof orderId !== "string" || !/^[\w-]{1,100}$/.test(orderId)) {
    throw new TerminalError('orderId must be 1 to 100 letters, digits, "-" or "_"', { errorCode: 400 });
  }
  return orderId;
}
