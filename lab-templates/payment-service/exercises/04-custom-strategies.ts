// Exercise 4: custom idempotency strategies.
//
// Restate's idempotency keys answer a key reused with another body with the FIRST result,
// and no error. A public payments API usually must refuse that instead (Stripe and the IETF
// Idempotency-Key draft answer 422), and may want a retention of its own. KeyedPayments, a
// virtual object keyed by customer id, keeps its own idempotency table in its state:
//
//   request key -> { what is needed to recognise the request, the response, when it was stored }
//
// Clients send the key in an `x-request-key` header: Restate keeps `idempotency-key` for
// its own deduplication, and a request carrying it would never reach this handler twice.
// Entries should expire after REQUEST_KEY_RETENTION_MS (one day unless the environment says
// otherwise; the tests use a couple of seconds).
//
// The design is yours: the tests say what must hold, the TODOs where to work.
//
// Tests: test/exercises/04-custom-strategies.test.ts (npm run test:exercises -- 04)
import * as restate from "@restatedev/restate-sdk";
import * as gateway from "../src/gateway-client.ts";
import { parseCreateRequest } from "../src/validation.ts";

/** How long a request key is remembered. */
export const RETENTION_MS = Number(process.env.REQUEST_KEY_RETENTION_MS ?? 24 * 60 * 60 * 1000);

export interface KeyedChargeRequest {
  amount: number;
  currency: string;
  description: string;
}

export interface KeyedCharge extends KeyedChargeRequest {
  customerId: string;
  requestKey: string;
  chargeId: string;
  recordedAt: string;
}

export interface TableEntry {
  // TODO 1: what must an entry remember to tell a retry (the same request again) from a key
  // reused for another request? Add it here, and fill it in where the entry is stored.
  response: KeyedCharge;
  storedAt: string;
}

/** What a delayed `expire` message carries (TODO 2 and 3: add what your design needs). */
export interface Expiry {
  requestKey: string;
}

const entryKey = (requestKey: string) => `request:${requestKey}`;

export const keyedPayments = restate.object({
  name: "KeyedPayments",
  handlers: {
    charge: async (ctx: restate.ObjectContext, input: unknown): Promise<KeyedCharge> => {
      const requestKey = requestKeyOf(ctx);
      const request = parseKeyedChargeRequest(input);

      const previous = await ctx.get<TableEntry>(entryKey(requestKey));
      if (previous) {
        // TODO 1: a reused key comes back here with whatever body the client sent this time, and
        // gets the first response, like Restate's own keys. Answer a retry with the stored
        // response; refuse a different request with 422 (a restate.TerminalError with errorCode
        // 422) and charge nothing. Two bodies that mean the same request are the same request.
        return previous.response;
      }

      // No business id names this charge (a request key may come back after it expired, for a new
      // charge), so the gateway key is random, but drawn from Restate's deterministic random
      // generator outside ctx.run: every retry of this invocation draws the same value, another
      // invocation a new one. crypto.randomUUID() here would be a new key on every retry.
      const gatewayKey = `keyed-${ctx.rand.uuidv4()}`;
      const charge = await ctx.run("charge", () =>
        gateway.charge({ paymentId: `${ctx.key}-${requestKey}`, amount: request.amount, currency: request.currency }, gatewayKey),
      );

      const storedAt = await ctx.date.toJSON();
      const response: KeyedCharge = { customerId: ctx.key, requestKey, ...request, chargeId: charge.id, recordedAt: storedAt };
      ctx.set(entryKey(requestKey), { response, storedAt } satisfies TableEntry);

      // TODO 2: entries never leave the table. Have Restate remove this one RETENTION_MS from now.
      // A timer kept by Restate survives restarts of the service, and a message to one of this
      // object's own handlers can be sent with a delay (KeyedPaymentsApi below types `expire` for
      // the object's send client).
      return response;
    },

    /** Removes an entry of the table once its retention is over. Not reachable from the ingress. */
    expire: restate.handlers.object.exclusive(
      { ingressPrivate: true },
      async (ctx: restate.ObjectContext, expiry: Expiry): Promise<void> => {
        // TODO 3: remove the entry this expiry was scheduled for, and nothing else. An entry can
        // leave the table before its timer fires (see `forget`), and its key can then come back
        // with a new entry, which has a timer of its own.
        ctx.console.log(`expire ${expiry.requestKey}: not implemented yet`);
      },
    ),

    /** Releases a request key at once: a client that will never retry it again says so. */
    forget: async (ctx: restate.ObjectContext, requestKey: string): Promise<void> => {
      ctx.clear(entryKey(requestKey));
    },

    /** The request keys the table holds now. */
    keys: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<string[]> =>
      (await ctx.stateKeys()).filter((k) => k.startsWith("request:")).map((k) => k.slice("request:".length)),
    ),
  },
});

/** The handlers' signatures, for the object to send messages to itself. */
export type KeyedPaymentsApi = {
  expire: (ctx: restate.ObjectContext, expiry: Expiry) => Promise<void>;
};

export const services = [keyedPayments];

function requestKeyOf(ctx: restate.ObjectContext): string {
  const key = ctx.request().headers.get("x-request-key");
  if (!key || key.length > 255) {
    throw new restate.TerminalError("Send an x-request-key header of 1 to 255 characters with every charge", {
      errorCode: 400,
    });
  }
  return key;
}

export function parseKeyedChargeRequest(input: unknown): KeyedChargeRequest {
  const { amount, currency } = parseCreateRequest(input);
  const description = (input as { description?: unknown }).description ?? "";
  if (typeof description !== "string" || description.length > 500) {
    throw new restate.TerminalError("description must be a string of at most 500 characters", { errorCode: 400 });
  }
  return { amount, currency, description };
}
