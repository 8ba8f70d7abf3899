// Replay: the engine's throughput and latency against the floor under it, a bare node:http
// client with the engine's keep-alive agent (the engine sends through node:http, so it cannot be
// faster), on the same stack with the same requests and concurrency, the clients interleaved
// (each round another order) and judged in the median. autocannon (raw sockets, no Node client
// stack) is printed beside them as the machine's ceiling. Also samples the stack's resident
// memory meanwhile (the memory section reports it).
import autocannon from "autocannon";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { runScenario } from "../../../src/lab/replay/run.js";
import { pool, sendOne } from "../../../src/lab/replay/send.js";
import type { LabTarget } from "../../../src/lab/replay/target.js";
import type { Scenario } from "../../../src/lab/replay/types.js";
import type { RunningStack } from "../../../src/lab/stack.js";
import { figure, fmt, log, median, percentile, round, type Row } from "../figures.js";
import { guardCost } from "./guard.js";
import { rssSampler, type MemoryPeaks } from "./memory.js";

const PAYMENT = { amount: 10_000, currency: "USD" };
// Workload sizes: bounded request counts, loopback only.
export const DUP = { count: 5_000, concurrency: 50 }; // (a) duplicates of one completed payment, one key
export const FRESH = { count: 300, concurrency: 20 }; // (b) fresh payments, one object and key each

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  /** CPU time per request, in µs: this process (the client) and restate-server, over the client's run. */
  clientCpuUs?: number;
  restateCpuUs?: number;
}

const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** A process's CPU time so far (user + system), in µs, from /proc. */
function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

/**
 * Runs a client and notes the CPU it and restate-server spent per request: the two share this
 * machine's cores, so their sum per request bounds the throughput either client can reach.
 */
async function withCpu(restatePid: number, client: () => Promise<LoadResult>): Promise<LoadResult> {
  const ownBefore = process.cpuUsage();
  const restateBefore = processCpuUs(restatePid);
  const result = await client();
  const own = process.cpuUsage(ownBefore);
  const requests = result.ok + result.errors;
  return { ...result, clientCpuUs: (own.user + own.system) / requests, restateCpuUs: (processCpuUs(restatePid) - restateBefore) / requests };
}

export async function replayAgainstFloor(stack: RunningStack, rounds: number): Promise<{ rows: Row[]; peaks: MemoryPeaks }> {
  const target: LabTarget = { ingress: stack.urls.ingress, admin: stack.urls.admin, gateway: stack.urls.gateway };
  const paymentId = `bench-done-${Date.now()}`;
  const key = `bench-key-${Date.now()}`;
  // The payment every (a) request duplicates: completed once before the rounds.
  const first = await fetch(`${target.ingress}/PaymentService/${paymentId}/create`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(PAYMENT),
  });
  if (!first.ok) throw new Error(`the first payment failed: ${first.status} ${await first.text()}`);
  await first.text();

  const dupCannon = (): Promise<LoadResult> =>
    cannon({
      url: `${target.ingress}/PaymentService/${paymentId}/create`,
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify(PAYMENT),
      connections: DUP.concurrency,
      amount: DUP.count,
    });

  // Warm-up (not counted): every client.
  await engineDuplicates(target, paymentId, key);
  await dupCannon();
  await bareDuplicates(target, paymentId, key);

  const results = {
    engineA: [] as LoadResult[],
    cannonA: [] as LoadResult[],
    bareA: [] as LoadResult[],
    engineB: [] as LoadResult[],
    cannonB: [] as LoadResult[],
  };
  const restatePid = stack.pids.restate;
  if (restatePid === undefined) throw new Error("the bench needs the lab's own restate-server (its pid is not in the state)");
  const sampler = rssSampler(stack.pids.supervisor, 100);
  let burstPeak = 0;
  const clientsA = ["engine", "bare", "cannon"] as const;
  for (let i = 0; i < rounds; i++) {
    // Interleaved: each round starts with another client, so no client always runs on a warmer (or busier) machine.
    const orderA = clientsA.map((_, j) => clientsA[(i + j) % clientsA.length]!);
    for (const who of orderA) {
      if (who === "engine") results.engineA.push(await withCpu(restatePid, () => engineDuplicates(target, paymentId, key)));
      else if (who === "bare") results.bareA.push(await withCpu(restatePid, () => bareDuplicates(target, paymentId, key)));
      else results.cannonA.push(await withCpu(restatePid, dupCannon));
    }
    const order = i % 2 === 0 ? ["engine", "cannon"] : ["cannon", "engine"];
    for (const who of order) {
      const burst = rssSampler(stack.pids.supervisor, 50);
      if (who === "engine") results.engineB.push(await engineFresh(target, `e${i}-${Date.now()}`));
      else results.cannonB.push(await freshCannon(target, `c${i}-${Date.now()}`));
      burstPeak = Math.max(burstPeak, burst.stop());
    }
    const last = (xs: LoadResult[]) => `${Math.round(xs.at(-1)!.rps)} req/s p50 ${fmt(xs.at(-1)!.p50)} ms`;
    log(
      `replay round ${i + 1} (${orderA.join(", ")}): (a) engine ${last(results.engineA)}, node:http ${last(results.bareA)}, autocannon ${last(results.cannonA)}; (b) engine ${last(results.engineB)}, autocannon ${last(results.cannonB)}`,
    );
  }
  const overallPeak = sampler.stop();

  const errors = Object.entries(results).flatMap(([k, xs]) => xs.filter((x) => x.errors > 0).map((x) => `${k}: ${x.errors} errors`));
  if (errors.length) log(`replay: some requests failed: ${errors.join("; ")}`);
  const rows = [
    ...compare(
      `(a) duplicates of one completed payment, one key (${DUP.count} requests, concurrency ${DUP.concurrency})`,
      results.engineA,
      { name: "a bare node:http client", results: results.bareA },
      true,
    ),
    ...ceiling(results.engineA, results.bareA, results.cannonA),
    ...(await guardCost(
      stack,
      { path: `/PaymentService/${paymentId}/create`, headers: { "content-type": "application/json", "idempotency-key": key }, body: JSON.stringify(PAYMENT) },
      rounds,
    )),
    ...compare(
      `(b) fresh payments (${FRESH.count} requests, concurrency ${FRESH.concurrency})`,
      results.engineB,
      { name: "autocannon", results: results.cannonB },
      false,
    ),
  ];
  return { rows, peaks: { overallPeak, burstPeak } };
}

/** min / median / max of a figure over the rounds, as printed in a row's note. */
function spread(xs: LoadResult[], k: keyof LoadResult, digits = 0): string {
  const v = xs.map((x) => x[k] ?? Number.NaN);
  const r = (x: number) => (digits === 0 ? String(Math.round(x)) : fmt(x));
  return `min ${r(Math.min(...v))} / median ${r(median(v))} / max ${r(Math.max(...v))}`;
}

/** Throughput, p50 and p99 of the engine, each against the baseline's, judged in the median of the rounds. */
function compare(label: string, engine: LoadResult[], baseline: { name: string; results: LoadResult[] }, withTargets: boolean): Row[] {
  const section = `replay ${label.slice(0, 3)}`;
  const base = baseline.results;
  const med = (xs: LoadResult[], k: keyof LoadResult) => median(xs.map((x) => x[k] ?? Number.NaN));
  const versus = (k: keyof LoadResult) => ({
    value: med(engine, k),
    baseline: { name: baseline.name, value: med(base, k) },
    ratio: med(engine, k) / med(base, k),
  });
  return [
    figure({
      section,
      name: `throughput ${label}`,
      ...versus("rps"),
      unit: "req/s",
      target: withTargets ? { what: "ratio", cmp: ">=", limit: 0.9 } : undefined,
      rounds: engine.map((x) => round(x.rps, 0)),
      note: `engine ${spread(engine, "rps")}; ${baseline.name} ${spread(base, "rps")} req/s`,
    }),
    figure({
      section,
      name: "latency p50",
      ...versus("p50"),
      unit: "ms",
      target: withTargets ? { what: "ratio", cmp: "<=", limit: 1.2 } : undefined,
      rounds: engine.map((x) => x.p50),
      note: `engine ${spread(engine, "p50", 2)}; ${baseline.name} ${spread(base, "p50", 2)} ms`,
    }),
    figure({ section, name: "latency p99", ...versus("p99"), unit: "ms", rounds: engine.map((x) => x.p99) }),
    ...(engine.every((x) => x.clientCpuUs !== undefined) && base.every((x) => x.clientCpuUs !== undefined)
      ? [
          figure({
            section,
            name: "  profile: the client's CPU per request (this process)",
            ...versus("clientCpuUs"),
            unit: "µs",
            note: "user + system time of the bench process over the client's run, per request",
          }),
          figure({
            section,
            name: "  profile: restate-server's CPU per request, during that client's run",
            ...versus("restateCpuUs"),
            unit: "µs",
            note: `from /proc/<pid>/stat, ${TICKS_PER_SECOND} ticks a second`,
          }),
        ]
      : []),
  ];
}

/**
 * The machine's ceiling, for reading the figures above: autocannon sends the same (a) requests
 * from raw sockets, without Node's HTTP client; neither the engine nor node:http can match it.
 */
function ceiling(engine: LoadResult[], bare: LoadResult[], cannon: LoadResult[]): Row[] {
  const med = (xs: LoadResult[], k: "rps" | "p50" | "clientCpuUs") => median(xs.map((x) => x[k] ?? Number.NaN));
  return [
    figure({
      section: "replay (a)",
      name: "  ceiling: autocannon (raw sockets, same requests and connections): throughput",
      value: med(cannon, "rps"),
      unit: "req/s",
      baseline: { name: "the engine", value: med(engine, "rps") },
      ratio: med(cannon, "rps") / med(engine, "rps"),
      rounds: cannon.map((x) => round(x.rps, 0)),
      note: `${spread(cannon, "rps")} req/s; node:http reached ${fmt(med(bare, "rps") / med(cannon, "rps"))} of it`,
    }),
    figure({
      section: "replay (a)",
      name: "  ceiling: autocannon's latency p50",
      value: med(cannon, "p50"),
      unit: "ms",
      baseline: { name: "the engine", value: med(engine, "p50") },
    }),
    figure({ section: "replay (a)", name: "  ceiling: autocannon's CPU per request (this process)", value: med(cannon, "clientCpuUs"), unit: "µs" }),
  ];
}

/** (a) through node:http alone, as the engine sends: a keep-alive agent, DUP.concurrency requests in flight. */
async function bareDuplicates(target: LabTarget, paymentId: string, key: string): Promise<LoadResult> {
  const agent = new HttpAgent({ keepAlive: true });
  const url = new URL(`${target.ingress}/PaymentService/${paymentId}/create`);
  const body = JSON.stringify(PAYMENT);
  const headers = { "content-type": "application/json", "idempotency-key": key };
  const origin = performance.now();
  const outcomes = await pool(DUP.count, DUP.concurrency, async () => {
    const sentAtMs = performance.now() - origin;
    const status = await new Promise<number | null>((resolve) => {
      const req = httpRequest({ hostname: url.hostname, port: url.port, path: url.pathname, method: "POST", headers, agent }, (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? null));
      });
      req.on("error", () => resolve(null));
      req.end(body);
    });
    return { sentAtMs, latencyMs: performance.now() - origin - sentAtMs, status };
  });
  agent.destroy();
  return fromOutcomes(outcomes);
}

/** (a) through the engine's own runScenario: one key, one already-completed payment. */
async function engineDuplicates(target: LabTarget, paymentId: string, key: string): Promise<LoadResult> {
  const scenario: Scenario = {
    id: "bench-duplicates",
    title: "Bench: duplicates of a completed payment",
    lesson: "",
    kind: "idempotent",
    group: "basics",
    defaults: { count: DUP.count, concurrency: DUP.concurrency },
    plan: [{ kind: "requests", service: "PaymentService", handler: "create", body: PAYMENT, key: "shared", count: "options", concurrency: "options" }],
    invariants: [],
    explanation: { asExpected: "" },
    conceptsSection: "idempotency-keys",
  };
  const result = await runScenario(target, scenario, { count: DUP.count, concurrency: DUP.concurrency, paymentId, idempotencyKey: key });
  return fromOutcomes(result.requestsDetail);
}

/** (b) through the engine's request path (sendOne in its pool): a fresh payment per request. */
async function engineFresh(target: LabTarget, runTag: string): Promise<LoadResult> {
  const origin = performance.now();
  const outcomes = await pool(FRESH.count, FRESH.concurrency, (i) =>
    sendOne({
      index: i,
      step: 0,
      ingress: target.ingress,
      method: "POST",
      path: `/PaymentService/bench-${runTag}-${i}/create`,
      paymentId: `bench-${runTag}-${i}`,
      idempotencyKey: `bench-${runTag}-${i}`,
      body: PAYMENT,
      origin,
    }),
  );
  return fromOutcomes(outcomes);
}

/** (b) through autocannon: each request a payment of its own. */
function freshCannon(target: LabTarget, tag: string): Promise<LoadResult> {
  let seq = 0;
  return cannon({
    url: target.ingress,
    connections: FRESH.concurrency,
    amount: FRESH.count,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const id = `bench-ac-${tag}-${seq++}`;
          return {
            ...req,
            method: "POST",
            path: `/PaymentService/${id}/create`,
            headers: { "content-type": "application/json", "idempotency-key": id },
            body: JSON.stringify(PAYMENT),
          };
        },
      },
    ],
  });
}

function fromOutcomes(outcomes: Array<{ sentAtMs: number; latencyMs: number; status: number | null }>): LoadResult {
  const first = Math.min(...outcomes.map((o) => o.sentAtMs));
  const last = Math.max(...outcomes.map((o) => o.sentAtMs + o.latencyMs));
  const latencies = outcomes.map((o) => o.latencyMs);
  const ok = outcomes.filter((o) => o.status !== null && o.status < 400).length;
  return { rps: (outcomes.length / (last - first)) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok, errors: outcomes.length - ok };
}

async function cannon(options: autocannon.Options): Promise<LoadResult> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // sampleInt: autocannon notices the last answer only at its next sample tick (1 s by
    // default), which would round every run's duration up to whole seconds.
    autocannon({ ...options, timeout: 120, sampleInt: 5 }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  const ok = result["2xx"];
  return {
    // duration is in seconds, to 10 ms.
    rps: result.requests.total / (result.duration || 0.01),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    errors: result.requests.total - ok + result.errors + result.timeouts,
  };
}
