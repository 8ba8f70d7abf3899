// What Restate itself does, measured on the server the lab pins (see package.json), with the
// small services of test/fixtures/restate-facts.ts. The docs teach these facts; this file is
// where a new Restate version that behaves otherwise shows up first.
import * as restate from "@restatedev/restate-sdk";
import { createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newId, startStack, type Stack } from "./harness.ts";

const FIXTURE = { entry: "test/fixtures/restate-facts.ts" };

interface Answer {
  status: number;
  body: any;
  invocationId: string | null;
  /** The `idempotency-expires` header: present only on an answer replayed from Restate's store. */
  expires: string | null;
}

async function post(stack: Stack, path: string, body: unknown, idempotencyKey?: string): Promise<Answer> {
  const res = await fetch(`${stack.ingress}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? null : JSON.parse(text),
    invocationId: res.headers.get("x-restate-id"),
    expires: res.headers.get("idempotency-expires"),
  };
}

async function sql<T>(stack: Stack, query: string): Promise<T[]> {
  const res = await fetch(`${stack.admin}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query }),
  });
  return ((await res.json()) as { rows?: T[] }).rows ?? [];
}

const attempts = async (stack: Stack, name: string): Promise<number> => (await post(stack, "/Flaky/attempts", name)).body as number;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe("Restate with its default configuration", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ extraService: FIXTURE });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("refuses an idempotency key on a workflow's run handler: the workflow id is its key", async () => {
    const id = newId("wf");
    const keyed = await post(stack, `/FactsCheckout/${id}/run`, { amount: 5 }, "some-key");
    expect(keyed.status).toBe(400);
    expect(keyed.body.message).toMatch(/cannot use the idempotency key with workflow handlers/);
    const keyedSend = await post(stack, `/FactsCheckout/${id}/run/send`, { amount: 5 }, "some-key");
    expect(keyedSend.status).toBe(400);

    const first = await post(stack, `/FactsCheckout/${id}/run`, { amount: 5 });
    expect(first).toMatchObject({ status: 200, body: { checkout: id, amount: 5 } });
    // A second run of the same workflow id is not replayed: it is refused, naming the first invocation.
    const again = await post(stack, `/FactsCheckout/${id}/run`, { amount: 7 });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already invoked/);
    expect(again.invocationId).toBe(first.invocationId);
    const sentAgain = await post(stack, `/FactsCheckout/${id}/run/send`, { amount: 7 });
    expect(sentAgain).toMatchObject({ status: 202, body: { status: "PreviouslyAccepted", invocationId: first.invocationId } });
    // The result stays reachable by the workflow id.
    const attached = await fetch(`${stack.ingress}/restate/workflow/FactsCheckout/${id}/attach`);
    expect(await attached.json()).toEqual(first.body);
  });

  it("retries with the default policy: 500 ms doubling to 1 min, 70 attempts, then pause", async () => {
    const service = (await (await fetch(`${stack.admin}/services/PaymentService`)).json()) as { retry_policy: unknown };
    expect(service.retry_policy).toEqual({
      initial_interval: "500ms",
      exponentiation_factor: 2,
      max_attempts: 70,
      max_interval: "1m",
      on_max_attempts: "Pause",
    });
  });

  it("kills an invocation whose handler's retry policy says so, and answers the last error", async () => {
    const tag = newId("kill");
    const res = await post(stack, "/Flaky/killedAfterThree", tag);
    expect(res.status).toBe(500);
    expect(res.body.message).toMatch(/a transient error, every time/);
    expect(await attempts(stack, `killedAfterThree:${tag}`)).toBe(3);
    const [row] = await sql<{ status: string; completion_result: string }>(
      stack,
      `SELECT status, completion_result FROM sys_invocation WHERE id = '${res.invocationId}'`,
    );
    expect(row).toEqual({ status: "completed", completion_result: "failure" });
  });

  it("still replays a completed key after its idempotency-expires time, until the cleaner removes it", async () => {
    const key = newId("short");
    const first = await post(stack, "/ShortMemory/echo", "first", key);
    const replay = await post(stack, "/ShortMemory/echo", "second", key);
    expect(first.expires).toBeNull();
    expect(replay).toMatchObject({ body: first.body, invocationId: first.invocationId });
    const expiry = Date.parse(replay.expires!);
    // Retention 2 s: the header says when the promise ends.
    expect(expiry - Date.parse(first.body.ranAt)).toBeGreaterThan(1000);
    expect(expiry - Date.parse(first.body.ranAt)).toBeLessThan(4000);

    await sleep(expiry + 3000 - Date.now());
    const late = await post(stack, "/ShortMemory/echo", "late", key);
    // The default cleaner runs once an hour: the entry outlives its expiry.
    expect(late.body, "a key past its expiry was not replayed").toEqual(first.body);
    expect(late.expires).toBe(replay.expires);
    expect(Date.parse(late.expires!)).toBeLessThan(Date.now());
  });

  it("keeps a deployment's old handlers when its address is registered again without force", async () => {
    // One address, served first without and then with a `bye` handler: a service whose code changed.
    const name = `Reg${Date.now().toString(36)}`;
    const serve = (withBye: boolean, port = 0) => {
      const handlers: Record<string, (ctx: restate.Context) => Promise<string>> = { hello: async () => "hello" };
      if (withBye) handlers.bye = async () => "bye";
      const server = createServer(restate.createEndpointHandler({ services: [restate.service({ name, handlers })] }));
      server.on("session", (session) => sessions.add(session));
      return new Promise<Http2Server>((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
    };
    // Restate may keep its HTTP/2 connection open: close drops it, as a restarted process would.
    const sessions = new Set<ServerHttp2Session>();
    const close = (server: Http2Server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
        sessions.clear();
      });
    const register = async (uri: string, force?: boolean) => {
      const res = await fetch(`${stack.admin}/deployments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(force === undefined ? { uri } : { uri, force }),
      });
      return { status: res.status, id: ((await res.json()) as { id: string }).id };
    };

    let server = await serve(false);
    const port = (server.address() as AddressInfo).port;
    const uri = `http://127.0.0.1:${port}`;
    try {
      const first = await register(uri);
      expect(first.status).toBe(201);
      await close(server);
      server = await serve(true, port);

      const again = await register(uri);
      expect(again).toEqual({ status: 200, id: first.id });
      const bye = await post(stack, `/${name}/bye`, null);
      expect(bye.status, "the new handler was known without force").toBe(404);
      expect(bye.body.message).toMatch(/handler 'bye' was not found/);

      const forced = await register(uri, true);
      expect(forced).toEqual({ status: 200, id: first.id });
      expect(await post(stack, `/${name}/bye`, null)).toMatchObject({ status: 200, body: "bye" });
    } finally {
      await close(server);
    }
  });

  it("counts a keyless duplicate twice in object state, a keyed one once", async () => {
    const keyless = newId("tally");
    expect((await post(stack, `/Tally/${keyless}/add`, null)).body).toBe(1);
    expect((await post(stack, `/Tally/${keyless}/add`, null)).body).toBe(2);

    const keyed = newId("tally");
    const a = await post(stack, `/Tally/${keyed}/add`, null, "add-once");
    const b = await post(stack, `/Tally/${keyed}/add`, null, "add-once");
    expect([a.body, b.body]).toEqual([1, 1]);
    expect((await call(stack, `/Tally/${keyed}/count`, null)).body).toBe(1);
  });

  it("stops a retry whose state write differs from the journal's: 570 Journal mismatch, and retries", async () => {
    const id = newId("tally");
    const sent = await post(stack, `/Tally/${id}/setRandomFailingOnce/send`, null);
    expect(sent.status).toBe(202);
    const invocationId = sent.body.invocationId as string;
    let row: { status: string; last_failure: string | null; last_failure_error_code: string | null } | undefined;
    await until(
      async () => {
        [row] = await sql(stack, `SELECT status, last_failure, last_failure_error_code FROM sys_invocation WHERE id = '${invocationId}'`);
        return /Journal mismatch/.test(row?.last_failure ?? "");
      },
      20_000,
      "no journal mismatch was recorded",
    );
    expect(row?.last_failure_error_code).toBe("RT0016");
    expect(row?.last_failure).toMatch(/set state/);
    expect(["backing-off", "running", "ready"]).toContain(row?.status);
    expect((await fetch(`${stack.admin}/invocations/${invocationId}/kill`, { method: "PATCH" })).ok).toBe(true);
  });

  it.each(["cancel", "kill"] as const)("%s: only a cancel lets the waiting handler run on, and undo what it did", async (how) => {
    const key = newId(how);
    const pending = post(stack, `/Saga/${key}/book`, null).catch((err: Error) => ({ status: -1, body: err.message, invocationId: null, expires: null }) satisfies Answer);
    let id = "";
    await until(
      async () => {
        const rows = await sql<{ id: string }>(
          stack,
          `SELECT j.id FROM sys_journal j JOIN sys_invocation i ON j.id = i.id WHERE i.target = 'Saga/${key}/book' AND j.entry_type LIKE '%Sleep%'`,
        );
        id = rows[0]?.id ?? "";
        return id !== "";
      },
      20_000,
      "the handler never reached its wait",
    );
    expect((await fetch(`${stack.admin}/invocations/${id}/${how}`, { method: "PATCH" })).ok).toBe(true);
    expect(await pending).toMatchObject({ status: 409, body: { message: how === "kill" ? "killed" : "Cancelled" } });
    expect(await attempts(stack, `booked:${key}`)).toBe(1);
    // A kill ends the invocation where it is: no more of the handler runs, nothing is undone.
    expect(await attempts(stack, `undone:${key}`)).toBe(how === "cancel" ? 1 : 0);
  });

  it("counts once when Restate retries one invocation after a failed attempt", async () => {
    const id = newId("tally");
    const res = await post(stack, `/Tally/${id}/addFailingOnce`, null);
    expect(await attempts(stack, `addFailingOnce:${id}`), "the handler was not retried").toBe(2);
    expect(res).toMatchObject({ status: 200, body: 1 });
    expect((await call(stack, `/Tally/${id}/count`, null)).body).toBe(1);
  });
});

describe("Restate with default-retry-policy.max-attempts = 3 and worker.cleanup-interval = 1s", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      extraService: FIXTURE,
      restateEnv: { RESTATE_DEFAULT_RETRY_POLICY__MAX_ATTEMPTS: "3", RESTATE_WORKER__CLEANUP_INTERVAL: "1s" },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("pauses an invocation after the policy's last attempt: the caller gets no answer until someone acts", async () => {
    const tag = newId("pause");
    let answered = false;
    // Settles with an error too (the stack stops under a failed test): never an unhandled rejection.
    const pending = post(stack, "/Flaky/alwaysFails", tag)
      .catch((err: Error) => ({ status: -1, body: err.message, invocationId: null, expires: null }) satisfies Answer)
      .finally(() => (answered = true));
    let id = "";
    await until(
      async () => {
        const rows = await sql<{ id: string; status: string }>(stack, "SELECT id, status FROM sys_invocation WHERE target = 'Flaky/alwaysFails'");
        const paused = rows.find((r) => r.status === "paused");
        id = paused?.id ?? "";
        return paused !== undefined;
      },
      20_000,
      "the invocation never paused",
    );
    expect(await attempts(stack, `alwaysFails:${tag}`)).toBe(3);
    await sleep(1000);
    expect(answered, "a paused invocation answered its caller").toBe(false);

    // Resuming starts a new round of attempts under the same policy, not a single one.
    expect((await fetch(`${stack.admin}/invocations/${id}/resume`, { method: "PATCH" })).ok).toBe(true);
    await until(async () => (await attempts(stack, `alwaysFails:${tag}`)) >= 6, 20_000, "the resumed invocation was not retried");
    await until(
      async () => (await sql<{ status: string }>(stack, `SELECT status FROM sys_invocation WHERE id = '${id}'`))[0]?.status === "paused",
      20_000,
      "the resumed invocation did not pause again",
    );
    expect(await attempts(stack, `alwaysFails:${tag}`)).toBe(6);
    expect(answered, "a paused invocation answered its caller").toBe(false);

    const killed = await fetch(`${stack.admin}/invocations/${id}/kill`, { method: "PATCH" });
    expect(killed.ok).toBe(true);
    const res = await pending;
    expect(res).toMatchObject({ status: 409, body: { message: "killed" } });
  });

  it("keeps a virtual object locked while an invocation on it is paused: later exclusive calls on that key wait in its inbox", async () => {
    const key = newId("locked");
    const stuck = post(stack, `/Tally/${key}/stuck`, null).catch((err: Error) => ({ status: -1, body: err.message, invocationId: null, expires: null }) satisfies Answer);
    let paused = "";
    await until(
      async () => {
        const rows = await sql<{ id: string }>(stack, `SELECT id FROM sys_invocation WHERE target = 'Tally/${key}/stuck' AND status = 'paused'`);
        paused = rows[0]?.id ?? "";
        return paused !== "";
      },
      20_000,
      "the invocation never paused",
    );
    // An exclusive call on the same key: Restate queues it behind the paused invocation.
    let answered = false;
    const queued = post(stack, `/Tally/${key}/add`, null)
      .catch((err: Error) => ({ status: -1, body: err.message, invocationId: null, expires: null }) satisfies Answer)
      .finally(() => (answered = true));
    await until(
      async () => {
        const rows = await sql<{ status: string }>(stack, `SELECT status FROM sys_invocation WHERE target = 'Tally/${key}/add'`);
        // "pending": enqueued, waiting for its turn on the object.
        return rows.length === 1 && rows[0]!.status === "pending";
      },
      20_000,
      "the exclusive call on the locked key never waited (status pending) in the object's queue",
    );
    // A shared handler on that key, and an exclusive one on another key, answer meanwhile.
    expect(await post(stack, `/Tally/${key}/count`, null)).toMatchObject({ status: 200, body: 0 });
    expect(await post(stack, `/Tally/${key}-other/add`, null)).toMatchObject({ status: 200, body: 1 });
    expect(answered, "the queued call answered while the object was locked").toBe(false);
    // Killing the paused invocation frees the object: the queued call runs.
    expect((await fetch(`${stack.admin}/invocations/${paused}/kill`, { method: "PATCH" })).ok).toBe(true);
    expect(await stuck).toMatchObject({ status: 409, body: { message: "killed" } });
    expect(await queued).toMatchObject({ status: 200, body: 1 });
  });

  it("frees a key once the cleaner removed its expired entry: the handler runs again, under the same invocation id", async () => {
    const key = newId("short");
    const first = await post(stack, "/ShortMemory/echo", "first", key);
    const replay = await post(stack, "/ShortMemory/echo", "second", key);
    expect(replay.body).toEqual(first.body);
    await sleep(Date.parse(replay.expires!) + 3000 - Date.now());
    const late = await post(stack, "/ShortMemory/echo", "late", key);
    expect(late.body.input, "the expired entry was still there 3 s after expiry with a 1 s cleaner").toBe("late");
    expect(late.expires).toBeNull();
    // An idempotent invocation's id is derived from its key: a new run of the same key has the old id.
    expect(late.invocationId).toBe(first.invocationId);
  });
});
