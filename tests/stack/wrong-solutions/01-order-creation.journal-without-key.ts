// A wrong answer to exercise 1: a state check and the charge in ctx.run, but no gateway key.
// The journal records a step's result only once the step has answered: when the gateway takes
// the money and its answer is lost, ctx.run runs the charge again, and the gateway, given no
// key, charges again.
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../../../lab-templates/payment-service/src/gateway-client.ts";
import { parseOrderRequest, sameRequest, type Order } from "../../../lab-templates/payment-service/solutions/01-order-creation.ts";

const orderService = restate.object({
  name: "OrderService",
  handlers: {
    create: async (ctx: restate.ObjectContext, input: unknown): Promise<Order> => {
      const request = parseOrderRequest(input);
      const total = request.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
      const existing = await ctx.get<Order>("order");
      if (existing) {
        if (sameRequest(existing, request)) return existing;
        throw new restate.TerminalError(`Order ${ctx.key} was already placed with other items`, { errorCode: 422 });
      }
      const charge = await ctx.run("charge order", () => gateway.charge({ paymentId: `order-${ctx.key}`, amount: total, currency: request.currency }));
      const order: Order = { orderId: ctx.key, ...request, total, chargeId: charge.id, placedAt: await ctx.date.toJSON() };
      ctx.set("order", order);
      await ctx.run("send confirmation", () => gateway.sendReceipt({ paymentId: `order-${ctx.key}`, chargeId: charge.id }, `confirmation-${ctx.key}`));
      return order;
    },
    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<Order | null> => ctx.get<Order>("order")),
  },
});

export const services = [orderService];
