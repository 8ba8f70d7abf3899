// How long Restate remembers a key, measured on the server the lab pins: the retention a
// service gets at run time through the admin API, the cleaner that removes expired entries
// (every hour by default; every second here, every 5 s in the lab's own server), and what a
// key runs into once the cleaner removed it; and its twin for workflows: a workflow id runs once
// only while the workflow is retained. docs/01-concepts.md teaches these facts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ledgerFor, newId, query, restateServerBinary, startStack, type Stack } from "./harness.ts";

const FEE = { amount: 250, currency: "USD" };

/** The value of `cleanup-interval` in restate-server's effective configuration, for this environment. */
function cleanupInterval(env: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "restate-config-"));
  try {
    const out = spawnSync(restateServerBinary(), ["--dump-config"], { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000 });
    expect(out.status, out.stderr).toBe(0);
    const worker = out.stdout.slice(out.stdout.indexOf("\n[worker]\n"));
    return /^cleanup-interval = "([^"]+)"$/m.exec(worker)?.[1] ?? "(none)";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function retention(stack: Stack, service: string, value?: string): Promise<{ status: number; idempotency_retention: string }> {
  const res = await fetch(`${stack.admin}/services/${service}`, {
    method: value === undefined ? "GET" : "PATCH",
    headers: { "content-type": "application/json" },
    body: value === undefined ? undefined : JSON.stringify({ idempotency_retention: value }),
  });
  return { status: res.status, ...((await res.json()) as { idempotency_retention: string }) };
}

/** Reads, or sets at run time, a workflow's retention (the admin API's workflow_completion_retention). */
async function workflowRetention(stack: Stack, service: string, value?: string): Promise<{ status: number; workflow_completion_retention: string | null }> {
  const res = await fetch(`${stack.admin}/services/${service}`, {
    method: value === undefined ? "GET" : "PATCH",
    headers: { "content-type": "application/json" },
    body: value === undefined ? undefined : JSON.stringify({ workflow_completion_retention: value }),
  });
  return { status: res.status, ...((await res.json()) as { workflow_completion_retention: string | null }) };
}

/** Resolves once the invocation's row is gone from sys_invocation: Restate's cleaner removed it. */
async function removed(stack: Stack, invocationId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await query(stack, `SELECT id FROM sys_invocation WHERE id = '${invocationId}'`)).length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${invocationId} was still in sys_invocation after 60 s`);
}

describe("restate-server's cleaner of expired entries", () => {
  it("runs once an hour by default, and as often as RESTATE_WORKER__CLEANUP_INTERVAL says", () => {
    expect(cleanupInterval()).toBe("1h");
    expect(cleanupInterval({ RESTATE_WORKER__CLEANUP_INTERVAL: "5s" })).toBe("5s");
  });
});

describe("Restate with worker.cleanup-interval = 1s", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ restateEnv: { RESTATE_WORKER__CLEANUP_INTERVAL: "1s" } });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it("takes a service's idempotency retention at run time (admin API); new invocations expire that long after they complete", async () => {
    expect((await retention(stack, "PaymentService")).idempotency_retention).toBe("1d");
    try {
      expect(await retention(stack, "PaymentService", "5s")).toMatchObject({ status: 200, idempotency_retention: "5s" });
      const id = newId("pay");
      const first = await call(stack, `/PaymentService/${id}/create`, { amount: 100, currency: "USD" }, `key-${id}`);
      const res = await fetch(`${stack.ingress}/PaymentService/${id}/create`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `key-${id}` },
        body: JSON.stringify({ amount: 100, currency: "USD" }),
      });
      await res.arrayBuffer();
      const [row] = await query<{ completed_at: string; completion_retention: string }>(
        stack,
        `SELECT completed_at, completion_retention FROM sys_invocation WHERE id = '${first.invocationId}'`,
      );
      expect(row?.completion_retention).toBe("PT5S");
      expect(Date.parse(res.headers.get("idempotency-expires")!) - Date.parse(row!.completed_at)).toBe(5000);
    } finally {
      await retention(stack, "PaymentService", "1d");
    }
    expect((await retention(stack, "PaymentService")).idempotency_retention).toBe("1d");
  });

  it("runs a key again once the cleaner removed it: same invocation id, and ctx.rand draws the same values", async () => {
    await retention(stack, "Fees", "2s");
    try {
      const id = newId("fee");
      const first = await call(stack, `/Fees/${id}/charge`, FEE, `key-${id}`);
      expect(first.status).toBe(200);
      await removed(stack, first.invocationId!);
      const again = await call(stack, `/Fees/${id}/charge`, FEE, `key-${id}`);
      expect({ status: again.status, replayed: again.replayed, invocationId: again.invocationId }).toEqual({ status: 200, replayed: false, invocationId: first.invocationId });
      // The new run drew the first run's gateway key, and the gateway answered with the first charge.
      expect(again.body.gatewayKey).toBe(first.body.gatewayKey);
      expect(again.body.chargeId).toBe(first.body.chargeId);
      expect((await ledgerFor(stack, id)).filter((e) => e.type === "charge")).toHaveLength(1);
    } finally {
      await retention(stack, "Fees", "1d");
    }
  });

  it("charges again after the cleaner when nothing but the key stood in the way (relyOnGatewayIdempotency)", async () => {
    await retention(stack, "PaymentAntiPatterns", "2s");
    try {
      const id = newId("anti");
      const first = await call(stack, `/PaymentAntiPatterns/${id}/relyOnGatewayIdempotency`, FEE, `key-${id}`);
      expect((await call(stack, `/PaymentAntiPatterns/${id}/relyOnGatewayIdempotency`, FEE, `key-${id}`)).replayed).toBe(true);
      await removed(stack, first.invocationId!);
      const again = await call(stack, `/PaymentAntiPatterns/${id}/relyOnGatewayIdempotency`, FEE, `key-${id}`);
      expect({ replayed: again.replayed, invocationId: again.invocationId }).toEqual({ replayed: false, invocationId: first.invocationId });
      expect((await ledgerFor(stack, id)).filter((e) => e.type === "charge")).toHaveLength(2);
    } finally {
      await retention(stack, "PaymentAntiPatterns", "1d");
    }
  });

  it("keeps PaymentService.create at one charge after the cleaner: the object's state answers the new run", async () => {
    await retention(stack, "PaymentService", "2s");
    try {
      const id = newId("pay");
      const first = await call(stack, `/PaymentService/${id}/create`, { amount: 100, currency: "USD" }, `key-${id}`);
      await removed(stack, first.invocationId!);
      const again = await call(stack, `/PaymentService/${id}/create`, { amount: 100, currency: "USD" }, `key-${id}`);
      expect({ replayed: again.replayed, invocationId: again.invocationId, body: again.body }).toEqual({ replayed: false, invocationId: first.invocationId, body: first.body });
      expect((await ledgerFor(stack, id)).filter((e) => e.type === "charge")).toHaveLength(1);
    } finally {
      await retention(stack, "PaymentService", "1d");
    }
  });

  it("runs a workflow id again once the workflow is no longer retained (the twin of a key's retention)", async () => {
    expect((await workflowRetention(stack, "CheckoutWorkflow")).workflow_completion_retention).toBe("1d");
    expect(await workflowRetention(stack, "CheckoutWorkflow", "2s")).toMatchObject({ status: 200, workflow_completion_retention: "2s" });
    try {
      const id = newId("checkout");
      const order = { amount: 100, currency: "USD" };
      const first = await call(stack, `/CheckoutWorkflow/${id}/run`, order);
      expect(first.status).toBe(200);
      // Within the retention the id is taken: a second run is refused, under the first invocation.
      const refused = await call(stack, `/CheckoutWorkflow/${id}/run`, order);
      expect({ status: refused.status, message: refused.body.message, invocationId: refused.invocationId }).toEqual({
        status: 409,
        message: "the workflow method was already invoked",
        invocationId: first.invocationId,
      });
      await removed(stack, first.invocationId!);
      // The retention is over and the cleaner has passed: the same id runs the workflow again.
      const again = await call(stack, `/CheckoutWorkflow/${id}/run`, order);
      expect(again.status).toBe(200);
      const rows = await query<{ id: string; status: string }>(stack, `SELECT id, status FROM sys_invocation WHERE target_service_key = '${id}' AND target_handler_name = 'run'`);
      expect(rows).toEqual([{ id: again.invocationId, status: "completed" }]);
      // It paid again through PaymentService, whose key (checkout-<id>, one day) and state gave back the first payment.
      expect(again.body.payment).toEqual(first.body.payment);
      expect((await ledgerFor(stack, id)).filter((e) => e.type === "charge")).toHaveLength(1);
    } finally {
      await workflowRetention(stack, "CheckoutWorkflow", "1d");
    }
  });
});
