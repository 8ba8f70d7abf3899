// Exercise 1: idempotent order creation.
//
// OrderService is a virtual object keyed by order id. `create` charges the order's total
// through the gateway, stores the order and sends the customer a confirmation. A client that times out retries `create`,
// sometimes with the same idempotency key and sometimes without one; the gateway may take
// the money and lose its answer. Whatever happens, one order is charged once.
//
// Tests: test/exercises/01-order-creation.test.ts (npm run test:exercises -- 01)
import * as restate from "@restatedev/restate-sdk";
import { TerminalError } from "@restatedev/restate-sdk";
import * as gateway from "../src/gateway-client.ts";

export interface OrderItem {
  sku: string;
  quantity: number;
  /** Minor units (cents), like every amount in the lab. */
  unitPrice: number;
}

export interface OrderRequest {
  items: OrderItem[];
  currency: string;
}

export interface Order extends OrderRequest {
  orderId: string;
  total: number;
  /** The gateway's ledger entry of the charge. */
  chargeId: string;
  placedAt: string;
}

const ORDER = "order";

export const orderService = restate.object({
  name: "OrderService",
  handlers: {
    create: async (ctx: restate.ObjectContext, input: unknown): Promise<Order> => {
      const request = parseOrderRequest(input);
      const total = totalOf(request.items);

      // A retry without an idempotency key is a new invocation: the object's state is what
      // remembers that this order was placed. Exclusive handlers of one key run one at a
      // time, so two concurrent creates cannot both get past this check.
      const existing = await ctx.get<Order>(ORDER);
      if (existing) {
        if (sameRequest(existing, request)) return existing;
        throw new TerminalError(
          `Order ${ctx.key} was already placed with other items or another currency; use a new order id for a new order`,
          { errorCode: 422 },
        );
      }

      // Journaled, so a retry after this step does not call the gateway again; and keyed by the
      // order id, so a retry of the step itself (its answer was lost) is not a second charge.
      const charge = await ctx.run("charge order", () =>
        gateway.charge({ paymentId: `order-${ctx.key}`, amount: total, currency: request.currency }, `order-${ctx.key}`),
      );

      const order: Order = {
        orderId: ctx.key,
        items: request.items,
        currency: request.currency,
        total,
        chargeId: charge.id,
        placedAt: await ctx.date.toJSON(),
      };
      ctx.set(ORDER, order);

      // Given, and already safe: the confirmation, journaled and keyed by the order id.
      await ctx.run("send confirmation", () =>
        gateway.sendReceipt({ paymentId: `order-${ctx.key}`, chargeId: charge.id }, `confirmation-${ctx.key}`),
      );
      return order;
    },

    get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<Order> => {
      const order = await ctx.get<Order>(ORDER);
      if (!order) throw new TerminalError(`No order ${ctx.key}`, { errorCode: 404 });
      return order;
    }),
  },
});

export const services = [orderService];

export function sameRequest(order: Order, request: OrderRequest): boolean {
  return order.currency === request.currency && JSON.stringify(order.items) === JSON.stringify(request.items);
}

function totalOf(items: OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
}

/** `{ items: [{ sku, quantity, unitPrice }], currency }`; anything else is a 400. */
export function parseOrderRequest(input: unknown): OrderRequest {
  const body = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const { items, currency } = body;
  if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
    throw new TerminalError("items must be a list of 1 to 100 { sku, quantity, unitPrice }", { errorCode: 400 });
  }
  const parsed = items.map((item: unknown, i): OrderItem => {
    const { sku, quantity, unitPrice } = (item ?? {}) as Record<string, unknown>;
    if (typeof sku !== "string" || sku === "" || !isCount(quantity) || !isCount(unitPrice)) {
      throw new TerminalError(`items[${i}] must be { sku: string, quantity: whole number > 0, unitPrice: whole number > 0 }`, {
        errorCode: 400,
      });
    }
    return { sku, quantity, unitPrice };
  });
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) {
    throw new TerminalError(`currency must be a 3-letter code such as "USD"`, { errorCode: 400 });
  }
  return { items: parsed, currency };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= 1_000_000_000;
}
