// Fees: extra charges on a payment (a late fee, a conversion fee), a virtual object keyed by
// payment id. A fee has no id of its own, so no business id can name its gateway call: the
// gateway key is drawn from Restate's journal instead, the safe way to make up a value that
// must be the same on every attempt.
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "./gateway-client.ts";
import { parseCreateRequest } from "./validation.ts";

export interface Fee {
  paymentId: string;
  amount: number;
  currency: string;
  /** The gateway's ledger entry of the fee. */
  chargeId: string;
  /** The key the gateway call carried: the same on every attempt of one invocation. */
  gatewayKey: string;
}

export const fees = restate.object({
  name: "Fees",
  handlers: {
    /**
     * Charges one fee. Not deduplicated by state (two fees on a payment are allowed): a client
     * that must not charge a fee twice sends an idempotency key. Within one invocation, though,
     * every attempt charges the same fee, whatever crashes.
     */
    charge: async (ctx: restate.ObjectContext, input: unknown): Promise<Fee> => {
      const request = parseCreateRequest(input);
      // Outside ctx.run: Restate seeds ctx.rand with the invocation id, so a retry after a crash
      // draws the same key, and the gateway answers it with the charge it already made.
      const gatewayKey = `fee-${ctx.rand.uuidv4()}`;
      const charge = await ctx.run("charge", () => gateway.charge({ paymentId: ctx.key, ...request }, gatewayKey));
      const fee: Fee = { paymentId: ctx.key, amount: request.amount, currency: request.currency, chargeId: charge.id, gatewayKey };
      ctx.set("fees", [...((await ctx.get<Fee[]>("fees")) ?? []), fee]);
      return fee;
    },
  },
});
