// The mock gateway on its own: Stripe-like idempotency, faults, and a ledger that
// survives a restart of the gateway process.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ledgerEntryProblem, parseLedger } from "../gateway/contract.ts";

const workspace = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gateway-test-"));
const ledgerFile = join(dir, "ledger.jsonl");
const port = 20_000 + Math.floor(Math.random() * 20_000);
const base = `http://127.0.0.1:${port}`;
let gateway: ChildProcess;

function spawnGateway(): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/server.ts"], {
    cwd: workspace,
    env: { ...process.env, GATEWAY_PORT: String(port), LEDGER_FILE: ledgerFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** Starts the gateway and waits until it answers; returns what it printed so far. */
async function startGateway(): Promise<() => string> {
  const spawned = spawnGateway();
  gateway = spawned.child;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return spawned.output;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`gateway did not start: ${spawned.output()}`);
}

async function startGatewayExpectingFailure(): Promise<{ code: number | null; output: string }> {
  const spawned = spawnGateway();
  const [code] = (await once(spawned.child, "exit")) as [number | null];
  return { code, output: spawned.output() };
}

async function stopGateway(): Promise<void> {
  await new Promise((r) => {
    gateway.once("exit", r);
    gateway.kill("SIGTERM");
  });
}

const post = (path: string, body: unknown, key?: string, signal?: AbortSignal) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
    body: JSON.stringify(body),
    signal,
  });

beforeAll(startGateway, 30_000);
afterAll(async () => {
  await stopGateway();
  rmSync(dir, { recursive: true, force: true });
});

describe("gateway", () => {
  it("records a charge per call without a key, and once per Idempotency-Key", async () => {
    await post("/charges", { paymentId: "p1", amount: 100, currency: "USD" });
    await post("/charges", { paymentId: "p1", amount: 100, currency: "USD" });
    const a = await post("/charges", { paymentId: "p2", amount: 100, currency: "USD" }, "k");
    const b = await post("/charges", { paymentId: "p2", amount: 100, currency: "USD" }, "k");
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const first = await a.json();
    expect(await b.json()).toEqual(first);
    // Every answer keeps the contract the lab reads it by (gateway/contract.ts).
    expect(ledgerEntryProblem(first)).toBeNull();
    const ledger = parseLedger(await (await fetch(`${base}/ledger`)).json());
    expect(ledger.filter((e) => e.paymentId === "p1")).toHaveLength(2);
    expect(ledger.filter((e) => e.paymentId === "p2")).toEqual([expect.objectContaining({ idempotencyKey: "k" })]);
  });

  it("makes a duplicate that arrives during a slow first request wait for it and share its charge", async () => {
    await post("/faults", { latencyMs: 300 });
    const [a, b] = await Promise.all([
      post("/charges", { paymentId: "p7", amount: 100, currency: "USD" }, "k7"),
      post("/charges", { paymentId: "p7", amount: 100, currency: "USD" }, "k7"),
    ]);
    await fetch(`${base}/faults`, { method: "DELETE" });
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(await a.json()).toEqual(await b.json());
    const ledger = (await (await fetch(`${base}/ledger?paymentId=p7`)).json()) as unknown[];
    expect(ledger).toHaveLength(1);
  });

  it("refuses a key reused with other parameters", async () => {
    await post("/charges", { paymentId: "p3", amount: 100, currency: "USD" }, "k3");
    const reused = await post("/charges", { paymentId: "p3", amount: 999, currency: "USD" }, "k3");
    expect(reused.status).toBe(422);
  });

  it("never refunds more than was charged", async () => {
    await post("/charges", { paymentId: "p4", amount: 100, currency: "EUR" });
    expect((await post("/refunds", { paymentId: "p4", amount: 60 })).status).toBe(201);
    expect((await post("/refunds", { paymentId: "p4", amount: 60 })).status).toBe(400);
    expect((await post("/refunds", { paymentId: "nope", amount: 1 })).status).toBe(404);
  });

  it("fails the next N calls without recording them, then recovers", async () => {
    expect((await post("/faults", { failNext: 2 })).status).toBe(200);
    expect((await post("/charges", { paymentId: "p5", amount: 1, currency: "USD" })).status).toBe(503);
    expect((await post("/charges", { paymentId: "p5", amount: 1, currency: "USD" })).status).toBe(503);
    expect((await post("/charges", { paymentId: "p5", amount: 1, currency: "USD" })).status).toBe(201);
    const ledger = (await (await fetch(`${base}/ledger?paymentId=p5`)).json()) as unknown[];
    expect(ledger).toHaveLength(1);
  });

  it("refuses the next N receipts with 422 and sends nothing for them", async () => {
    await post("/faults", { refuseReceipts: 1 });
    const refused = await post("/receipts", { paymentId: "p8", chargeId: "ch_x" }, "rk8");
    expect(refused.status).toBe(422);
    expect(await (await fetch(`${base}/receipts?paymentId=p8`)).json()).toEqual([]);
    const sent = await post("/receipts", { paymentId: "p8", chargeId: "ch_x" }, "rk8");
    expect(sent.status).toBe(201);
  });

  it("forgets an Idempotency-Key keyRetentionMs after its first use", async () => {
    await post("/charges", { paymentId: "p9", amount: 100, currency: "USD" }, "k9");
    await post("/faults", { keyRetentionMs: 500 });
    await new Promise((r) => setTimeout(r, 700));
    const late = await post("/charges", { paymentId: "p9", amount: 100, currency: "USD" }, "k9");
    const again = await post("/charges", { paymentId: "p9", amount: 100, currency: "USD" }, "k9");
    await fetch(`${base}/faults`, { method: "DELETE" });
    expect(late.status, "a forgotten key is a new charge").toBe(201);
    expect(again.status, "the new charge's key is remembered again").toBe(200);
    expect(await again.json()).toEqual(await late.json());
    const ledger = (await (await fetch(`${base}/ledger?paymentId=p9`)).json()) as unknown[];
    expect(ledger).toHaveLength(2);
  });

  it("loseChargeAnswers: the charge is recorded once, and no answer comes, not even to a keyed retry that finds it", async () => {
    await post("/faults", { loseChargeAnswers: 2 });
    const lost = async () => {
      const res = await post("/charges", { paymentId: "p10", amount: 100, currency: "USD" }, "k10", AbortSignal.timeout(500)).catch((e: Error) => e);
      return res instanceof Error ? "no answer" : res.status;
    };
    expect([await lost(), await lost()]).toEqual(["no answer", "no answer"]);
    expect((await (await fetch(`${base}/faults`)).json()) as { loseChargeAnswers: number }).toMatchObject({ loseChargeAnswers: 0 });
    const answered = await post("/charges", { paymentId: "p10", amount: 100, currency: "USD" }, "k10");
    expect(answered.status, "the outage is over: the retry gets the recorded charge").toBe(200);
    expect((await (await fetch(`${base}/ledger?paymentId=p10`)).json()) as unknown[]).toHaveLength(1);
  });

  it("loseReceiptAnswers: the receipt is sent, its answer never comes", async () => {
    await post("/faults", { loseReceiptAnswers: 1 });
    const res = await post("/receipts", { paymentId: "p11", chargeId: "ch_x" }, undefined, AbortSignal.timeout(500)).catch((e: Error) => e);
    expect(res).toBeInstanceOf(Error);
    expect((await (await fetch(`${base}/receipts?paymentId=p11`)).json()) as unknown[]).toHaveLength(1);
    expect((await post("/receipts", { paymentId: "p11", chargeId: "ch_x" })).status, "no key: a second receipt").toBe(201);
    expect((await (await fetch(`${base}/receipts?paymentId=p11`)).json()) as unknown[]).toHaveLength(2);
  });

  it("rejects malformed faults and bodies with a clear message", async () => {
    const bad = await post("/faults", { failNext: -1 });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/failNext must be a whole number/);
    expect((await post("/faults", { explode: 1 })).status).toBe(400);
    const notJson = await fetch(`${base}/charges`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect((await post("/charges", { paymentId: "p6", amount: 0, currency: "USD" })).status).toBe(400);
  });

  it("answers only this machine's programs: a foreign Host or Origin, or a form's body type, is refused and charges nothing", async () => {
    const charge = JSON.stringify({ paymentId: "p-web", amount: 100, currency: "USD" });
    // fetch() will not set Host or Origin; node:http will.
    const raw = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${base}/charges`, { method: "POST", headers }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", reject);
        req.end(charge);
      });
    const json = { "content-type": "application/json" };
    expect(await raw({ ...json, host: "attacker.example:9081" })).toBe(403); // DNS rebinding
    expect(await raw({ ...json, origin: "https://attacker.example" })).toBe(403); // a page's fetch
    expect(await raw({ "content-type": "application/x-www-form-urlencoded" })).toBe(415); // a page's form
    expect(await raw({ "content-type": "text/plain" })).toBe(415);
    const ledger = (await (await fetch(`${base}/ledger?paymentId=p-web`)).json()) as unknown[];
    expect(ledger).toHaveLength(0);
    expect(await raw({ ...json, host: "localhost" })).toBe(201); // and the lab's own calls still work
  });

  it("sets a torn last line aside on start, says which line, and appends cleanly after it", async () => {
    await stopGateway();
    const before = readFileSync(ledgerFile, "utf8");
    writeFileSync(ledgerFile, before + '{"id":"ch_9999","type":"cha'); // the gateway died mid-write
    const output = await startGateway();
    expect(output()).toMatch(new RegExp(`WARN: ${ledgerFile}: line ${before.split("\n").length} was incomplete`));
    expect(readFileSync(ledgerFile, "utf8")).toBe(before);
    const aside = readdirSync(dir).filter((f) => f.startsWith("ledger.jsonl.torn-"));
    expect(aside.map((f) => readFileSync(join(dir, f), "utf8"))).toEqual(['{"id":"ch_9999","type":"cha']);
    expect((await post("/charges", { paymentId: "p-after-torn", amount: 100, currency: "USD" })).status).toBe(201);
    expect(readFileSync(ledgerFile, "utf8").split("\n").filter(Boolean).every((l) => JSON.parse(l).id)).toBe(true);
  });

  it("refuses to start on a corrupt line in the middle, names the line, and leaves the file as it was", async () => {
    await stopGateway();
    const good = readFileSync(ledgerFile, "utf8").split("\n").filter(Boolean);
    const corrupt = [good[0], "not an entry", ...good.slice(1)].join("\n") + "\n";
    writeFileSync(ledgerFile, corrupt);
    const { code, output } = await startGatewayExpectingFailure();
    expect(code).not.toBe(0);
    expect(output).toMatch(/payment gateway could not start: .*line 2 is not a ledger entry/);
    expect(readFileSync(ledgerFile, "utf8")).toBe(corrupt);
    writeFileSync(ledgerFile, good.join("\n") + "\n"); // repaired by hand, as the message says
    await startGateway();
  });

  it("keeps its ledger across a restart, and its idempotency keys with it", async () => {
    const before = readFileSync(ledgerFile, "utf8");
    await stopGateway();
    await startGateway();
    expect(readFileSync(ledgerFile, "utf8")).toBe(before);
    const again = await post("/charges", { paymentId: "p2", amount: 100, currency: "USD" }, "k");
    expect(again.status).toBe(200);
    const ledger = (await (await fetch(`${base}/ledger?paymentId=p2`)).json()) as unknown[];
    expect(ledger).toHaveLength(1);
  });
});
