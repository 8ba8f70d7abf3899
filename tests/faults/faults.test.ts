// npm run test:faults: the lab keeps its promises when things go wrong. Real processes,
// real signals, real load, bad input; every case is a row of the table printed at the end.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseToExtension } from "../../src/shared/protocol.js";
import { listRuns, saveRun } from "../../src/lab/history.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { poll, sleep } from "../../src/lab/poll.js";
import { choosePorts } from "../../src/lab/ports.js";
import { findProcesses } from "../../src/lab/processes.js";
import { runScenario } from "../../src/lab/replay/run.js";
import { localTarget, type LabTarget } from "../../src/lab/replay/target.js";
import { findScenario } from "../../src/lab/replay/scenarios.js";
import { pool } from "../../src/lab/replay/send.js";
import type { Scenario } from "../../src/lab/replay/types.js";
import { isRestateHealthy, restateServerLaunch, restateUrls, workspaceRestateServer } from "../../src/lab/restate-server.js";
import { down, status, up } from "../../src/lab/stack.js";
import { cleanUpLabs, newLab, runCli, takePorts } from "../stack/helpers.js";
import { Table } from "./table.js";

const table = new Table();
let workspace: string;
let target: LabTarget;

beforeAll(async () => {
  workspace = newLab();
  await up(workspace, { ports: { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 } });
  target = await localTarget(workspace);
});
afterAll(async () => {
  table.print();
  await cleanUpLabs();
});

const ledger = async () => (await (await fetch(`${target.gateway}/ledger`)).json()) as Array<{ type: string; paymentId: string }>;
const chargesFor = async (ids: Set<string>) => (await ledger()).filter((e) => e.type === "charge" && ids.has(e.paymentId)).length;

/** Everything a bad input must leave alone: the ledger, the workspace's files (not the lab's runtime folders). */
async function snapshot(): Promise<string> {
  const hash = createHash("sha256").update(JSON.stringify(await ledger()));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      if ([".lab", ".restate", "node_modules"].includes(entry)) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(workspace);
  return hash.digest("hex");
}

function scenario(base: string, patch: Partial<Scenario>): Scenario {
  return { ...findScenario(base)!, ...patch };
}

describe("load", () => {
  it("1,000 concurrent duplicates with one key: one charge, every answer the same", async () => {
    const started = performance.now();
    const result = await runScenario(target, findScenario("concurrent-burst")!, { count: 1000, concurrency: 1000 });
    const seconds = (performance.now() - started) / 1000;
    const answered = result.requestsDetail.filter((r) => r.status === 200).length;
    table.add(
      "load",
      `1,000 duplicates at once, one key (${Math.round(1000 / seconds)} req/s)`,
      { charges: 1, responses: 1, answered: 1000 },
      { charges: result.charges, responses: result.distinctResponses, answered },
    );
    expect(result.charges).toBe(1);
    expect(result.distinctResponses).toBe(1);
    expect(answered).toBe(1000);
  });

  it("1,000 distinct keys on one payment id: one charge", async () => {
    const perKey = scenario("no-key-same-payment", {
      plan: [
        {
          kind: "requests",
          service: "PaymentService",
          handler: "create",
          body: { amount: 500, currency: "EUR" },
          key: "per-request",
          count: "options",
          concurrency: "options",
        },
      ],
    });
    const result = await runScenario(target, perKey, { count: 1000, concurrency: 100 });
    const answered = result.requestsDetail.filter((r) => r.status === 200).length;
    table.add(
      "load",
      "1,000 distinct keys, one payment id",
      { charges: 1, invocations: 1000, answered: 1000 },
      { charges: result.charges, invocations: result.distinctInvocations, answered },
    );
    expect(result.charges).toBe(1);
    expect(answered).toBe(1000);
  });

  it("200 payments x 5 concurrent duplicates each: exactly 200 charges, none lost", async () => {
    const run = Date.now().toString(36);
    const ids = Array.from({ length: 200 }, (_, i) => `load-${run}-${i}`);
    const started = performance.now();
    const statuses = await pool(1000, 100, async (n) => {
      const id = ids[Math.floor(n / 5)]!;
      try {
        const res = await fetch(`${target.ingress}/PaymentService/${id}/create`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": `key-${id}` },
          body: JSON.stringify({ amount: 1000, currency: "USD" }),
        });
        await res.arrayBuffer();
        return res.status;
      } catch {
        return 0;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const charges = await chargesFor(new Set(ids));
    table.add(
      "load",
      `200 payments x 5 duplicates (${Math.round(1000 / seconds)} req/s)`,
      { charges: 200, answered200: 1000 },
      { charges, answered200: statuses.filter((s) => s === 200).length },
    );
    expect(charges).toBe(200);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1000);
  });
});

describe("faults", () => {
  it("the gateway fails the next 3 calls: ctx.run retries, one charge, answer 200", async () => {
    const flaky = scenario("gateway-timeout-after-charge", {
      plan: [
        { kind: "faults", faults: { failNext: 3 } },
        { kind: "requests", service: "PaymentService", handler: "create", body: { amount: 100, currency: "USD" }, key: "shared", count: 1, concurrency: 1 },
      ],
      invariants: [{ name: "one charge", metric: "charges", expected: 1, role: "safety" }],
    });
    const result = await runScenario(target, flaky);
    table.add("faults", "gateway fails the next 3 calls", { charges: 1, status: 200 }, { charges: result.charges, status: result.requestsDetail[0]!.status });
    expect(result.charges).toBe(1);
  });

  it.each([
    ["a slow gateway (the client times out and retries)", "retry-after-timeout"],
    ["a gateway that charges and never answers", "gateway-timeout-after-charge"],
  ])("%s: the scenario's lesson holds, one charge", async (name, id) => {
    const result = await runScenario(target, findScenario(id)!);
    table.add("faults", name, { verdict: "safe", charges: 1 }, { verdict: result.verdict, charges: result.charges });
    expect({ verdict: result.verdict, charges: result.charges }).toEqual({ verdict: "safe", charges: 1 });
  });

  it("SIGKILL of the service after the charge is journaled: one charge; the anti-pattern shows two", async () => {
    const safe = await runScenario(target, findScenario("crash-after-charge-journaled")!);
    const anti = await runScenario(
      target,
      scenario("crash-after-charge-journaled", {
        kind: "anti-pattern",
        plan: [
          { kind: "faults", faults: { receiptLatencyMs: 1500 } },
          {
            kind: "requests",
            service: "PaymentAntiPatterns",
            handler: "chargeOutsideRun",
            body: { amount: 100, currency: "USD" },
            key: "shared",
            count: 1,
            concurrency: 1,
            crashServiceAfter: { run: "send receipt", state: "started" },
          },
        ],
      }),
    );
    table.add(
      "faults",
      "SIGKILL service after journaling (PaymentService / chargeOutsideRun)",
      { safe: 1, antiPattern: 2 },
      { safe: safe.charges, antiPattern: anti.charges },
    );
    expect(safe.charges).toBe(1);
    expect(anti.charges).toBe(2);
  });

  it("SIGKILL of restate-server during a burst: the supervisor starts it again; stored answers replay, the ledger is unchanged", async () => {
    const lab = newLab();
    await up(lab, { ports: { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 } });
    const t = await localTarget(lab);
    const first = await runScenario(t, findScenario("duplicates-in-a-row")!, { count: 2 });
    const key = first.requestsDetail[0]!.idempotencyKey!;
    const paymentId = first.paymentIds[0]!;
    saveRun(lab, {
      runId: "beforekill",
      request: { scenario: first.id },
      finishedAt: new Date().toISOString(),
      result: first,
      conceptsSection: "idempotency-keys",
    });
    const before = await (await fetch(`${t.gateway}/ledger`)).text();

    // A burst on other payments, and restate-server killed in the middle of it.
    const state = await status(lab);
    if (state.state !== "ready") throw new Error("not ready");
    const burst = pool(300, 50, (i) =>
      fetch(`${t.ingress}/PaymentService/burst-${i % 30}/create`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `b-${i % 30}` },
        body: JSON.stringify({ amount: 1, currency: "USD" }),
      }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await sleep(150);
    process.kill(state.pids.restate!, "SIGKILL");
    await burst;
    // The supervisor notices and starts a new server on the same ports and data folder.
    const after = await poll(
      async () => {
        const now = await status(lab);
        return now.state === "ready" && now.healthy && now.pids.restate !== state.pids.restate && now;
      },
      { what: "a new restate-server", everyMs: 100, timeoutMs: 60_000 },
    );
    const t2 = await localTarget(lab);
    const res = await fetch(`${t2.ingress}/PaymentService/${paymentId}/create`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ amount: 10_000, currency: "USD" }),
    });
    const body = await res.json();
    const sameLedger = (await (await fetch(`${t2.gateway}/ledger`)).text()).startsWith(before.slice(0, -1));
    const observed = {
      replayed: res.headers.has("idempotency-expires"),
      sameInvocation: res.headers.get("x-restate-id") === first.requestsDetail[0]!.invocationId,
      sameBody: JSON.stringify(body) === JSON.stringify(first.requestsDetail[0]!.response),
      ledgerKept: sameLedger,
      newServer: after.pids.restate !== state.pids.restate,
      historyKept: listRuns(lab).some((r) => r.runId === "beforekill"),
    };
    const expected = { replayed: true, sameInvocation: true, sameBody: true, ledgerKept: true, newServer: true, historyKept: true };
    table.add("faults", "SIGKILL restate-server mid-burst: started again by the supervisor", expected, observed);
    expect(observed).toEqual(expected);
    expect(findProcesses(["restate-server", workspacePaths(lab).restateData])).toHaveLength(1);
    await down(lab);
  });

  it("the process that started the lab is SIGKILLed: the next up stops its leftovers; one server on the data folder", async () => {
    const lab = newLab();
    const first = await up(lab, { ports: { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 } });
    process.kill(first.pids.supervisor, "SIGKILL");
    await poll(() => !findProcesses([lab]).includes(first.pids.supervisor), { what: "the kill to land", everyMs: 100, timeoutMs: 30_000 });
    const second = await up(lab, { ports: { ingress: 0, admin: 0, gateway: 0, service: 0, node: 0 } });
    const servers = findProcesses(["restate-server", workspacePaths(lab).restateData]);
    const observed = { restartedFresh: !second.adopted, serversOnData: servers.length, oldServerGone: !servers.includes(first.pids.restate!) };
    table.add("faults", "supervisor SIGKILLed, then up", { restartedFresh: true, serversOnData: 1, oldServerGone: true }, observed);
    expect(observed).toEqual({ restartedFresh: true, serversOnData: 1, oldServerGone: true });
    await down(lab);
  });

  it("ports 8080, 9070, 9080 and 9081 taken by another program: the lab comes up elsewhere and replays there", async () => {
    const taken = await takePorts([8080, 9070, 9080, 9081]);
    try {
      const lab = newLab();
      const stack = await up(lab);
      const used = Object.values(stack.urls).map((u) => Number(new URL(u).port));
      const result = await runScenario(await localTarget(lab), findScenario("duplicates-in-a-row")!, { count: 2 });
      table.add(
        "faults",
        "default ports taken",
        { defaultsUsed: [], verdict: "safe" },
        { defaultsUsed: used.filter((p) => [8080, 9070, 9080, 9081].includes(p)), verdict: result.verdict },
      );
      expect(used.filter((p) => [8080, 9070, 9080, 9081].includes(p))).toEqual([]);
      expect(result.verdict).toBe("safe");
      await down(lab);
    } finally {
      taken.release();
    }
  });
});

describe("beyond one machine", () => {
  it("a three-node Restate cluster on loopback, used as an existing Restate: a burst survives killing a node with one charge", async () => {
    const cluster = await startCluster();
    try {
      const lab = newLab();
      const stack = await up(lab, { existingRestate: { admin: cluster.admin, ingress: cluster.ingress }, ports: { gateway: 0, service: 0 } });
      expect(stack.pids.restate).toBeUndefined();
      const t = await localTarget(lab);
      const burst = runScenario(t, findScenario("concurrent-burst")!, { count: 300, concurrency: 100 });
      await sleep(300);
      process.kill(cluster.pids[2]!, "SIGKILL"); // n3: not the node the lab talks to
      const result = await burst;
      const answered = result.requestsDetail.filter((r) => r.status === 200).length;
      const observed = { charges: result.charges, invocations: result.distinctInvocations, answered };
      table.add("cluster", "3 nodes, replication 2, a node SIGKILLed mid-burst", { charges: 1, invocations: 1, answered: 300 }, observed);
      expect(observed).toEqual({ charges: 1, invocations: 1, answered: 300 });
      await down(lab);
    } finally {
      cluster.stop();
    }
  });
});

/**
 * Three restate-server nodes from the npm binary, on loopback, replicating to 2 of them. Their
 * nine ports are free when chosen, but the other lanes start servers on free ports too: a node
 * that exits before it is healthy (its port taken meanwhile) is a failed start, tried again on
 * new ports, twice at most; what it printed goes into the error.
 */
async function startCluster(): Promise<{ admin: string; ingress: string; pids: number[]; stop: () => void }> {
  const failures: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = await startClusterOnce();
    if ("admin" in started) return started;
    failures.push(`attempt ${attempt}: ${started.exited}`);
  }
  throw new Error(`the cluster did not start:\n${failures.join("\n")}`);
}

async function startClusterOnce(): Promise<{ admin: string; ingress: string; pids: number[]; stop: () => void } | { exited: string }> {
  const binary = workspaceRestateServer(workspace);
  const base = mkdtempSync(join(tmpdir(), "lab-cluster-"));
  const names = ["n1", "n2", "n3"];
  // choosePorts: nine ports, no two the same (two free ports asked for in a row can be one).
  const ports = await choosePorts(Object.fromEntries(names.flatMap((n) => ["node", "ingress", "admin"].map((k) => [`${n}-${k}`, 0]))));
  const nodes = names.map((name) => ({ name, ports: { node: ports[`${name}-node`]!, ingress: ports[`${name}-ingress`]!, admin: ports[`${name}-admin`]! } }));
  const metadataNodes = nodes.map((n) => n.ports.node);
  let exited: string | null = null;
  const children = nodes.map((n, i) => {
    const cluster = { name: "lab-cluster", replication: 2, metadataNodes, provision: i === 0 };
    const { command, args, env } = restateServerLaunch({ binary, baseDir: join(base, n.name), nodeName: n.name, ports: n.ports, cluster });
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let output = "";
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-2000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("exit", (code, signal) => (exited ??= `node ${n.name} exited (${signal ?? `code ${code}`}) before it was healthy:\n${output}`));
    return child;
  });
  const stop = () => {
    for (const c of children) c.kill("SIGKILL");
    setTimeout(() => rmSync(base, { recursive: true, force: true }), 1000);
  };
  try {
    for (const n of nodes)
      await poll(
        async () => {
          if (exited !== null) return "exited";
          return (await isRestateHealthy(restateUrls(n.ports))) && "healthy";
        },
        { what: `cluster node ${n.name} to be healthy`, everyMs: 100, timeoutMs: 60_000 },
      );
  } catch (err) {
    stop();
    throw err;
  }
  if (exited !== null) {
    stop();
    return { exited };
  }
  for (const c of children) c.removeAllListeners("exit"); // killed by the test from here on
  return { ...restateUrls(nodes[0]!.ports), pids: children.map((c) => c.pid!), stop };
}

describe("bad input: a clear message, and nothing changes", () => {
  const http: Array<[string, string, string | undefined, Record<string, string>?]> = [
    ["malformed JSON", "create", "{amount: 1"],
    ["an array", "create", '[100, "USD"]'],
    ["no body", "create", undefined],
    ["a string amount", "create", '{"amount":"100","currency":"USD"}'],
    ["a zero amount", "create", '{"amount":0,"currency":"USD"}'],
    ["a negative amount", "create", '{"amount":-5,"currency":"USD"}'],
    ["a fractional amount", "create", '{"amount":10.5,"currency":"USD"}'],
    ["an enormous amount", "create", '{"amount":1e15,"currency":"USD"}'],
    ["an unknown currency", "create", '{"amount":100,"currency":"XYZ"}'],
    ["a lower-case currency", "create", '{"amount":100,"currency":"usd"}'],
    ["no currency", "create", '{"amount":100}'],
    ["a refund of a payment that does not exist", "refund", '{"refundId":"r1","amount":1}'],
    ["a refund with an empty refundId", "refund", '{"refundId":"","amount":1}'],
    ["a non-ASCII idempotency key", "create", '{"amount":100,"currency":"USD"}', { "idempotency-key": "ключ" }],
  ];
  it.each(http)("service API: %s", async (name, handler, body, headers) => {
    const before = await snapshot();
    const id = `bad-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const status = await rawPost(`${target.ingress}/PaymentService/${id}/${handler}`, body, headers ?? {});
    const payment = await fetch(`${target.ingress}/PaymentService/${id}/status`, { method: "POST" });
    await payment.arrayBuffer();
    const observed = {
      status: status.code >= 400 && status.code < 500 ? "4xx" : status.code,
      message: status.message.length > 10,
      unchanged: (await snapshot()) === before,
      noPayment: payment.status === 404,
    };
    table.add("bad input", `service API: ${name}`, { status: "4xx", message: true, unchanged: true, noPayment: true }, observed);
    expect(observed).toEqual({ status: "4xx", message: true, unchanged: true, noPayment: true });
  });

  const panel: Array<[string, unknown, RegExp]> = [
    ["an empty idempotency key", { scenario: "custom", key: "fixed", fixedKey: "" }, /fixedKey must be 1 to 255/],
    ["an oversized idempotency key", { scenario: "custom", key: "fixed", fixedKey: "k".repeat(256) }, /fixedKey must be 1 to 255/],
    ["a non-ASCII idempotency key", { scenario: "custom", key: "fixed", fixedKey: "ключ" }, /printable ASCII/],
    ["a count of 0", { scenario: "concurrent-burst", count: 0 }, /count must be a whole number from 1 to 10000/],
    ["a count above the cap", { scenario: "concurrent-burst", count: 10_001 }, /count must be/],
    ["malformed body JSON", { scenario: "custom", body: "{amount:" }, /body is not valid JSON/],
    ["a payment id with quotes (SQL)", { scenario: "custom", paymentId: "x' OR '1'='1" }, /paymentId must be letters/],
  ];
  it.each(panel)("panel message: %s", async (name, request, message) => {
    const before = await snapshot();
    const parsed = parseToExtension({ type: "run", requestId: "r1", request });
    const observed = { refused: !parsed.ok, message: !parsed.ok && message.test(parsed.error), unchanged: (await snapshot()) === before };
    table.add("bad input", `panel: ${name}`, { refused: true, message: true, unchanged: true }, observed);
    expect(observed).toEqual({ refused: true, message: true, unchanged: true });
  });

  const cli: Array<[string, string[], RegExp]> = [
    ["unknown command", ["explode"], /Unknown command "explode"/],
    ["unknown scenario", ["replay", "WS", "--scenario", "nope"], /Unknown scenario "nope"/],
    ["count 0", ["replay", "WS", "--scenario", "duplicates-in-a-row", "--count", "0"], /--count must be a whole number from 1 to 10,000/],
    ["count above the cap", ["replay", "WS", "--scenario", "duplicates-in-a-row", "--count", "10001"], /--count must be/],
    ["concurrency above the cap", ["replay", "WS", "--scenario", "concurrent-burst", "--concurrency", "1001"], /--concurrency must be/],
    ["malformed body JSON", ["replay", "WS", "--scenario", "duplicates-in-a-row", "--body", "{x"], /--body is not valid JSON/],
    ["no scenario", ["replay", "WS"], /replay needs --scenario/],
    ["scaffold into a non-empty folder", ["scaffold", "SRC"], /not empty and is not an Idempotency Lab workspace/],
    ["scaffold onto a file", ["scaffold", "FILE"], /is a file, not a folder/],
    ["scaffold into a read-only file system", ["scaffold", "/sys/idempotency-lab-test"], /Cannot write in \/sys\/idempotency-lab-test/],
    ["scaffold into a virtual file system", ["scaffold", "/proc/idempotency-lab-test"], /Cannot write in \/proc\/idempotency-lab-test/],
    ["up on a folder that is not a lab", ["up", "SRC"], /not an Idempotency Lab workspace/],
    [
      "a missing restate-server binary",
      ["up", "FRESH", "--restate-server", "/nonexistent/restate-server"],
      /restate-server was not found at \/nonexistent\/restate-server/,
    ],
    ["Node too old", ["up", "FRESH", "--node", "OLDNODE"], /is v20\.0\.0; the lab service needs 22 or newer/],
    ["a port that is not a number", ["up", "FRESH", "--ingress-port", "http"], /--ingress-port must be a port/],
    ["replay on a lab that is not running", ["replay", "FRESH", "--scenario", "duplicates-in-a-row"], /is not running/],
  ];
  it.each(cli)("CLI: %s", async (name, args, message) => {
    const fresh = newLab();
    const oldNode = join(fresh, "..", "node");
    (await import("node:fs")).writeFileSync(oldNode, "#!/bin/sh\necho v20.0.0\n", { mode: 0o755 });
    const resolved = args.map((a) =>
      a === "WS"
        ? workspace
        : a === "SRC"
          ? join(workspace, "src")
          : a === "FILE"
            ? join(workspace, "README.md")
            : a === "FRESH"
              ? fresh
              : a === "OLDNODE"
                ? oldNode
                : a,
    );
    const before = await snapshot();
    const out = runCli(resolved);
    // Progress lines ("› ...") may come first; the error is one line starting "error:".
    const errorLine = out.stderr.split("\n").find((l) => l.startsWith("error:")) ?? "";
    const observed = {
      exit: out.code === 0 ? 0 : "non-zero",
      message: message.test(errorLine),
      unchanged: (await snapshot()) === before,
      nothingStarted: findProcesses([fresh]).length === 0,
    };
    table.add("bad input", `CLI: ${name}`, { exit: "non-zero", message: true, unchanged: true, nothingStarted: true }, observed);
    expect(observed, out.stderr).toEqual({ exit: "non-zero", message: true, unchanged: true, nothingStarted: true });
  });
});

async function rawPost(url: string, body: string | undefined, headers: Record<string, string>): Promise<{ code: number; message: string }> {
  // node:http, not fetch: fetch refuses non-ASCII header values before sending anything.
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("latin1")])),
        },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ code: res.statusCode ?? 0, message: text }));
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
