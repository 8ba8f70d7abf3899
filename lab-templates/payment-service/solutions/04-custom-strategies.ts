// Exercise 4: custom idempotency strategies.
//
// Restate's idempotency keys answer a key reused with another body with the FIRST result,
// and no error. A public payments API usually must refuse that instead (Stripe and the IETF
// Idempotency-Key draft answer 422), and may want a retention of its own. KeyedPayments, a
// virtual object keyed by customer id, keeps its own idempotency table in its state:
//
//   request key -> { fingerprint of the request, the response, when it was stored }
//
// Clients send the key in an `x-request-key` header: Restate keeps `idempotency-key` for
// its own deduplication, and a request carrying it would never reach this handler twice.
// Entries should expire after REQUEST_KEY_RETENTION_MS (one day unless the environment says
// otherwise; the tests use a couple of seconds).
//
// One design among others: a fingerprint (a hash of the request in a canonical form) recognises
// the request, and each expiry names the entry it was scheduled for by its storedAt.
//
// Tests: test/exercises/04-custom-strategies.test.ts (npm run test:exercises -- 04)
import * as restate from "@restatedev/restate-sdk";
import { createHash } from "node:crypto";
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
  fingerprint: string;
  response: KeyedCharge;
  storedAt: string;
}

/** What a delayed `expire` message carries: which entry it was scheduled for. */
export interface Expiry {
  requestKey: string;
  storedAt: string;
}

const entryKey = (requestKey: string) => `request:${requestKey}`;

export const keyedPayments = restate.object({
  name: "KeyedPayments",
  handlers: {
    charge: async (ctx: restate.ObjectContext, input: unknown): Promise<KeyedCharge> => {
      const requestKey = requestKeyOf(ctx);
      const request = parseKeyedChargeRequest(input);
      const fingerprint = fingerprintOf(request);

      const previous = await ctx.get<TableEntry>(entryKey(requestKey));
      if (previous) {
        // The same key with the same request is a retry; with another request it is a client bug.
        if (previous.fingerprint !== fingerprint) {
          throw new restate.TerminalError(
            `x-request-key ${requestKey} was already used with a different request; use a new key for a new payment`,
            { errorCode: 422 },
          );
        }
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
      ctx.set(entryKey(requestKey), { fingerprint, response, storedAt } satisfies TableEntry);

      // A durable timer: Restate delivers this message once, RETENTION_MS from now, even if the
      // service restarts meanwhile; and a retry of this handler does not schedule it twice.
      ctx
        .objectSendClient<KeyedPaymentsApi>({ name: "KeyedPayments" }, ctx.key)
        .expire({ requestKey, storedAt }, restate.rpc.sendOpts({ delay: RETENTION_MS }));
      return response;
    },

    /** Removes an entry of the table once its retention is over. Not reachable from the ingress. */
    expire: restate.handlers.object.exclusive(
      { ingressPrivate: true },
      async (ctx: restate.ObjectContext, expiry: Expiry): Promise<void> => {
        const entry = await ctx.get<TableEntry>(entryKey(expiry.requestKey));
        // Only the entry this expiry was scheduled for: a newer one has its own timer.
        if (entry && entry.storedAt === expiry.storedAt) ctx.clear(entryKey(expiry.requestKey));
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

/** A hash of the request in a canonical form: the same request always has the same fingerprint. */
export function fingerprintOf(request: KeyedChargeRequest): string {
  const canonical = JSON.stringify([request.amount, request.currency, request.description]);
  return createHash("sha256").update(canonical).digest("hex");
}
