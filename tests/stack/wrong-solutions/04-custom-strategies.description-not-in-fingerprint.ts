// A wrong answer to exercise 4: the table recognises a request by its amount and currency
// only. A key reused for another purchase of the same price (another description) is then
// taken for a retry and answered with the first charge, where it must be refused with 422.
import * as restate from "@restatedev/restate-sdk";
import { createHash } from "node:crypto";
import * as gateway from "../../../lab-templates/payment-service/src/gateway-client.ts";
import {
  parseKeyedChargeRequest,
  RETENTION_MS,
  type Expiry,
  type KeyedCharge,
  type KeyedPaymentsApi,
  type TableEntry,
} from "../../../lab-templates/payment-service/solutions/04-custom-strategies.ts";

const entryKey = (requestKey: string) => `request:${requestKey}`;

const keyedPayments = restate.object({
  name: "KeyedPayments",
  handlers: {
    charge: async (ctx: restate.ObjectContext, input: unknown): Promise<KeyedCharge> => {
      const requestKey = ctx.request().headers.get("x-request-key");
      if (!requestKey) throw new restate.TerminalError("Send an x-request-key header", { errorCode: 400 });
      const request = parseKeyedChargeRequest(input);
      const fingerprint = createHash("sha256")
        .update(JSON.stringify([request.amount, request.currency]))
        .digest("hex");
      const previous = await ctx.get<TableEntry>(entryKey(requestKey));
      if (previous) {
        if (previous.fingerprint !== fingerprint) throw new restate.TerminalError("x-request-key reused", { errorCode: 422 });
        return previous.response;
      }
      const gatewayKey = `keyed-${ctx.rand.uuidv4()}`;
      const charge = await ctx.run("charge", () =>
        gateway.charge({ paymentId: `${ctx.key}-${requestKey}`, amount: request.amount, currency: request.currency }, gatewayKey),
      );
      const storedAt = await ctx.date.toJSON();
      const response: KeyedCharge = { customerId: ctx.key, requestKey, ...request, chargeId: charge.id, recordedAt: storedAt };
      ctx.set(entryKey(requestKey), { fingerprint, response, storedAt } satisfies TableEntry);
      ctx
        .objectSendClient<KeyedPaymentsApi>({ name: "KeyedPayments" }, ctx.key)
        .expire({ requestKey, storedAt }, restate.rpc.sendOpts({ delay: RETENTION_MS }));
      return response;
    },
    expire: restate.handlers.object.exclusive({ ingressPrivate: true }, async (ctx: restate.ObjectContext, expiry: Expiry): Promise<void> => {
      const entry = await ctx.get<TableEntry>(entryKey(expiry.requestKey));
      if (entry && entry.storedAt === expiry.storedAt) ctx.clear(entryKey(expiry.requestKey));
    }),
    forget: async (ctx: restate.ObjectContext, requestKey: string): Promise<void> => {
      ctx.clear(entryKey(requestKey));
    },
    keys: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<string[]> =>
      (await ctx.stateKeys()).filter((k) => k.startsWith("request:")).map((k) => k.slice("request:".length)),
    ),
  },
});

export const services = [keyedPayments];
