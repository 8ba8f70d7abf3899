// Exercise 4: custom idempotency strategies (exercises/04-custom-strategies.ts): a table that
// refuses a reused key with another request, and whose entries expire. The tests judge what the
// table does, not how: any design that keeps these invariants passes.
// Every assertion names the invariant it guards: that is the message you see when it breaks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chargesOf,
  clearFaults,
  crashWhileRunning,
  eventually,
  judged,
  newId,
  post,
  setFaults,
  sleep,
  startExerciseStack,
  type Stack,
} from "./helpers.ts";

/** Short enough to watch an entry expire in a test. */
const RETENTION_MS = 1500;

let stack: Stack;
beforeAll(async () => {
  stack = await startExerciseStack({ REQUEST_KEY_RETENTION_MS: String(RETENTION_MS) });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const body = { amount: 4200, currency: "EUR", description: "annual plan" };
const charge = (customer: string, requestKey: string | null, payload: unknown = body) =>
  post(stack, `/KeyedPayments/${customer}/charge`, payload, requestKey === null ? {} : { "x-request-key": requestKey });
const keys = async (customer: string): Promise<string[]> => (await post(stack, `/KeyedPayments/${customer}/keys`, undefined)).body;
const charges = async (customer: string, requestKey: string) => (await chargesOf(stack, `${customer}-${requestKey}`)).length;
async function query<T>(sql: string): Promise<T[]> {
  const res = await fetch(`${stack.admin}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: sql }),
  });
  return ((await res.json()) as { rows?: T[] }).rows ?? [];
}

describe(`exercise 4a: recognising a request (${judged("04-custom-strategies")})`, () => {
  it("charges once for a request key and answers with the charge", async () => {
    const customer = newId("cust");
    const res = await charge(customer, "k1");
    expect(res.status, `charge answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body).toMatchObject({ customerId: customer, requestKey: "k1", amount: 4200, currency: "EUR" });
    expect(await charges(customer, "k1"), "a keyed charge was not charged exactly once").toBe(1);
  });

  it("answers 400 without an x-request-key header", async () => {
    const res = await charge(newId("cust"), null);
    expect(res.status, "a charge without x-request-key must be refused with 400").toBe(400);
  });

  it("answers a retry (same key, same body) with the first response and charges once", async () => {
    const customer = newId("cust");
    const first = await charge(customer, "k1");
    const retry = await charge(customer, "k1", { description: "annual plan", currency: "EUR", amount: 4200 }); // same request, keys in another order
    const n = await charges(customer, "k1");
    expect(n, `one request key was charged ${n} times`).toBe(1);
    expect(retry.status, `a retry with the same body (fields in another order) must not be refused: got ${retry.status}`).toBe(200);
    expect(retry.body, "a retry must get the first response").toEqual(first.body);
  });

  it("answers 422 when a key is reused with another body, and charges nothing", async () => {
    const customer = newId("cust");
    await charge(customer, "k1");
    const reused = await charge(customer, "k1", { ...body, amount: 9900 });
    const n = await charges(customer, "k1");
    expect(
      reused.status,
      `a request key reused with another body was answered ${reused.status} ${JSON.stringify(reused.body)} instead of 422: a reused key with another request must be refused (TODO 1)`,
    ).toBe(422);
    expect(n, `a request key reused with another body charged again (${n} charges)`).toBe(1);
  });

  it("answers 422 when a key is reused with another description: every field is part of the request", async () => {
    const customer = newId("cust");
    await charge(customer, "k1");
    const reused = await charge(customer, "k1", { ...body, description: "monthly plan" });
    expect(reused.status, `a request key reused with another description was answered ${reused.status} instead of 422 (TODO 1)`).toBe(422);
    expect(await charges(customer, "k1"), "a request key reused with another description charged again").toBe(1);
  });

  it("keeps keys of different customers apart", async () => {
    const [a, b] = [newId("cust"), newId("cust")];
    await charge(a, "k1");
    const other = await charge(b, "k1", { ...body, amount: 100 });
    expect(other.status, "the same request key of another customer is another request").toBe(200);
  });
});

describe(`exercise 4: the given charge, keyed with ctx.rand (${judged("04-custom-strategies")})`, () => {
  it("charges once when the service dies while the gateway works on the charge", async () => {
    const customer = newId("cust");
    await setFaults(stack, { latencyMs: 1500 }); // the gateway takes 1.5 s per charge, then records it
    const sentAt = Date.now();
    const pending = charge(customer, "k1");
    await crashWhileRunning(stack, `KeyedPayments/${customer}/charge`, 500);
    await clearFaults(stack);
    const res = await pending;
    await sleep(sentAt + 2000 - Date.now()); // the first, orphaned gateway call has recorded its charge by now
    const n = await charges(customer, "k1");
    expect(
      n,
      `a charge was made ${n} times after a crash during the gateway call: the gateway key must be the same on every attempt (ctx.rand.uuidv4(), called outside ctx.run)`,
    ).toBe(1);
    expect(res.status, `charge answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
  });
});

describe(`exercise 4b: an idempotency table with expiry (${judged("04-custom-strategies")})`, () => {
  it(`removes an entry once its retention (${RETENTION_MS} ms in this test) is over`, async () => {
    const customer = newId("cust");
    await charge(customer, "k1");
    expect(await keys(customer), "the table must hold the key it has just answered").toEqual(["k1"]);
    const expired = await eventually(async () => !(await keys(customer)).includes("k1"), RETENTION_MS + 3000);
    expect(
      expired,
      `the idempotency table still holds key k1 ${RETENTION_MS + 3000} ms after it was stored with a retention of ${RETENTION_MS} ms: have Restate expire it (TODO 2) and remove it in expire (TODO 3)`,
    ).toBe(true);
  });

  it("treats a key as new once its entry has expired: retries are safe only within the retention", async () => {
    const customer = newId("cust");
    const first = await charge(customer, "k1");
    const expired = await eventually(async () => !(await keys(customer)).includes("k1"), RETENTION_MS + 3000);
    expect(expired, `the entry of key k1 never expired (retention ${RETENTION_MS} ms)`).toBe(true);
    const late = await charge(customer, "k1", { ...body, amount: 9900 });
    expect(late.status, `an expired key must be usable again, got ${late.status} ${JSON.stringify(late.body)}`).toBe(200);
    expect(late.body.chargeId, "a key used again after it expired is a new charge").not.toBe(first.body.chargeId);
  });

  it("keeps expire away from clients: it is ingress-private", async () => {
    const res = await post(stack, `/KeyedPayments/${newId("cust")}/expire`, { requestKey: "k1", storedAt: "then" });
    expect(res.status, `a client could call expire (${res.status}): only the object's own delayed message may`).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it("lets an expiry remove only the entry it was scheduled for", async () => {
    const customer = newId("cust");
    await charge(customer, "k1");
    // The first entry leaves early, and the key comes back half a retention later with a new entry.
    const forgot = await post(stack, `/KeyedPayments/${customer}/forget`, JSON.stringify("k1")); // a JSON string body
    expect(forgot.status, `forget answered ${forgot.status}: ${JSON.stringify(forgot.body)}`).toBe(200);
    await sleep(RETENTION_MS / 2);
    const second = await charge(customer, "k1", { ...body, amount: 100 });
    expect(second.status, `a forgotten key must be usable again, got ${second.status} ${JSON.stringify(second.body)}`).toBe(200);

    const expiries = async () =>
      (
        await query<{ n: number }>(
          `SELECT count(*) AS n FROM sys_invocation WHERE target = 'KeyedPayments/${customer}/expire' AND status = 'completed'`,
        )
      )[0]?.n ?? 0;
    const firstFired = await eventually(async () => (await expiries()) >= 1, RETENTION_MS + 3000);
    expect(firstFired, `no expiry ran within ${RETENTION_MS + 3000} ms of storing an entry: schedule one (TODO 2)`).toBe(true);
    const kept = (await keys(customer)).includes("k1");
    // Read before the second entry's own expiry ran: otherwise this run cannot tell.
    expect(await expiries(), "the test was too slow to look between the two expiries").toBe(1);
    expect(
      kept,
      "the expiry of the first entry of key k1 removed the second one, half a retention early: an expiry must remove only the entry it was scheduled for (TODO 3)",
    ).toBe(true);
    const removed = await eventually(async () => !(await keys(customer)).includes("k1"), RETENTION_MS + 3000);
    expect(removed, "the second entry of key k1 never expired").toBe(true);
  });

  it("keeps an entry until its retention is over", async () => {
    const customer = newId("cust");
    await charge(customer, "k1");
    await new Promise((r) => setTimeout(r, RETENTION_MS / 3));
    const retry = await charge(customer, "k1");
    expect(await charges(customer, "k1"), "a retry within the retention must not charge again").toBe(1);
    expect(retry.status).toBe(200);
  });
});
