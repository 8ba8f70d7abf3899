// `npm run bench`: the lab's speed and size figures, each against a baseline measured in the
// same run (the machine is shared and noisy), several alternating rounds, medians reported.
// Prints a table and writes bench-results/bench-<time>.json (and bench-results/latest.json).
//
// Sections (BENCH_ONLY=stack,extension,host to pick some; BENCH_ROUNDS=n, default 3):
//  stack:     time to ready (`up` vs a bare restate-server spawn-to-healthy), replay throughput
//             and latency (the engine vs autocannon, same stack, same requests and concurrency),
//             the engine's peak heap for 10,000 requests, the stack's resident memory.
//  extension: minified bundle sizes (extension, webview) and the VSIX size.
//  host:      activation time in a real VS Code extension host, and the time the panel takes
//             to render a 10,000-request run.
// Every figure printed was measured in this run; what could not be is printed as "not measured".
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import * as esbuild from "esbuild";
import { installDependencies } from "../../src/lab/install.js";
import { findNode } from "../../src/lab/node-runtime.js";
import { packageRoot, templateDir, workspacePaths } from "../../src/lab/paths.js";
import { freePort } from "../../src/lab/ports.js";
import { workspaceRestateServer } from "../../src/lab/restate-server.js";
import { isHealthy } from "../../src/lab/restate-admin.js";
import { runScenario } from "../../src/lab/replay/run.js";
import type { LabTarget } from "../../src/lab/replay/target.js";
import { pool, sendOne } from "../../src/lab/replay/send.js";
import type { Scenario } from "../../src/lab/replay/types.js";
import { scaffold } from "../../src/lab/scaffold.js";
import { down, up, type RunningStack } from "../../src/lab/stack.js";
import { runHostBench } from "./host.js";

const root = packageRoot();
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const ONLY = new Set((process.env.BENCH_ONLY ?? "stack,extension,host").split(",").map((s) => s.trim()));
const PAYMENT = { amount: 10_000, currency: "USD" };
// Workload sizes: bounded request counts, loopback only.
const DUP = { count: 5_000, concurrency: 50 }; // (a) duplicates of one completed payment, one key
const FRESH = { count: 300, concurrency: 20 }; // (b) fresh payments, one object and key each
const HEAP_RUN = { count: 10_000, concurrency: 100 };

// ---------------------------------------------------------------------------------------
// Results

type Cmp = "<=" | ">=";
export interface Row {
  section: string;
  name: string;
  value: number | null;
  unit: string;
  baseline?: { name: string; value: number | null };
  ratio?: number | null;
  target?: { what: "value" | "ratio"; cmp: Cmp; limit: number };
  met?: boolean | null;
  note?: string;
  rounds?: number[];
}
const rows: Row[] = [];

function record(row: Row): void {
  if (row.target) {
    const v = row.target.what === "ratio" ? row.ratio : row.value;
    row.met = v === null || v === undefined ? null : row.target.cmp === "<=" ? v <= row.target.limit : v >= row.target.limit;
  }
  rows.push(row);
  const t = row.target ? ` (target ${row.target.what} ${row.target.cmp} ${row.target.limit}: ${row.met === null ? "n/a" : row.met ? "met" : "NOT met"})` : "";
  log(`${row.section} / ${row.name}: ${fmt(row.value)} ${row.unit}${row.ratio !== undefined ? `, ratio ${fmt(row.ratio)}` : ""}${t}`);
}

function notMeasured(section: string, name: string, why: string, target?: Row["target"]): void {
  rows.push({ section, name, value: null, unit: "", note: `not measured: ${why}`, target, met: target ? null : undefined });
  log(`${section} / ${name}: not measured: ${why}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return "-";
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(round(x, Math.abs(x) >= 10 ? 1 : 2));
}
function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------
// The lab: a scaffolded workspace whose node_modules link to a one-time install, as the
// stack tests do (tests/stack/global-setup.ts).

async function labNodeModules(): Promise<string> {
  const template = templateDir();
  const hash = createHash("sha256")
    .update(readFileSync(join(template, "package.json")))
    .update(readFileSync(join(template, "package-lock.json")))
    .digest("hex")
    .slice(0, 16);
  const cache = join(root, ".cache", "lab-deps", hash);
  if (!existsSync(join(cache, "done"))) {
    const temp = `${cache}.tmp-${process.pid}`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) cpSync(join(template, file), join(temp, file));
    log(`installing the lab template's dependencies into ${cache} (once)`);
    await installDependencies(temp, { nodePath: findNode().path });
    writeFileSync(join(temp, "done"), new Date().toISOString());
    rmSync(cache, { recursive: true, force: true });
    renameSync(temp, cache);
  }
  return join(cache, "node_modules");
}

async function newLab(prefix: string): Promise<string> {
  const workspace = join(mkdtempSync(join(tmpdir(), prefix)), "lab");
  scaffold(workspace);
  symlinkSync(await labNodeModules(), workspacePaths(workspace).nodeModules, "dir");
  return workspace;
}

const ANY_PORTS = { ingress: 0, admin: 0, node: 0, gateway: 0, service: 0 };

// ---------------------------------------------------------------------------------------
// Processes and memory

function childrenOf(): Map<number, number[]> {
  const kids = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = kids.get(ppid) ?? [];
      list.push(Number(entry));
      kids.set(ppid, list);
    } catch {
      // gone
    }
  }
  return kids;
}

function treeOf(pid: number): number[] {
  const kids = childrenOf();
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}

function rssBytes(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/** Samples the resident memory of a process tree until stopped; returns the peak. */
function rssSampler(pid: number, everyMs = 100) {
  let peak = 0;
  const tick = () => {
    peak = Math.max(peak, rssBytes(treeOf(pid)));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}

const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------
// Time to ready

async function bareRestateToHealthy(workspace: string): Promise<number> {
  const binary = workspaceRestateServer(workspace);
  const base = mkdtempSync(join(tmpdir(), "bench-restate-"));
  const [node, ingress, admin] = [await freePort(), await freePort(), await freePort()];
  const started = performance.now();
  const child: ChildProcess = spawn(binary, ["--base-dir", base, "--node-name", "bench", "--no-logo"], {
    stdio: "ignore",
    env: {
      ...process.env,
      RESTATE_LISTEN_MODE: "tcp",
      RESTATE_BIND_IP: "127.0.0.1",
      RESTATE_BIND_PORT: String(node),
      RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingress}`,
      RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${admin}`,
    },
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if ((await isHealthy(`http://127.0.0.1:${admin}/health`)) && (await isHealthy(`http://127.0.0.1:${ingress}/restate/health`))) break;
      if (child.exitCode !== null) throw new Error(`restate-server exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error("restate-server not healthy after 120 s");
      await sleep(20);
    }
    return performance.now() - started;
  } finally {
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(base, { recursive: true, force: true });
  }
}

async function labUpToReady(workspace: string): Promise<{ ms: number; stack: RunningStack }> {
  rmSync(workspacePaths(workspace).restateData, { recursive: true, force: true }); // a fresh server, like the bare one
  const started = performance.now();
  const stack = await up(workspace, { ports: ANY_PORTS });
  return { ms: performance.now() - started, stack };
}

async function benchTimeToReady(workspace: string): Promise<void> {
  const bare: number[] = [];
  const lab: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await bareRestateToHealthy(workspace));
    const { ms } = await labUpToReady(workspace);
    lab.push(ms);
    await down(workspace);
    log(`time to ready round ${i + 1}: bare restate ${Math.round(bare[i]!)} ms, lab up ${Math.round(ms)} ms`);
  }
  const b = median(bare);
  const l = median(lab);
  record({
    section: "time to ready",
    name: "`up` on an installed lab (server healthy, service registered, gateway up)",
    value: l,
    unit: "ms",
    baseline: { name: "bare restate-server spawn-to-healthy", value: b },
    ratio: l / b,
    target: { what: "ratio", cmp: "<=", limit: 1.5 },
    rounds: lab.map((x) => round(x, 0)),
    note: `baseline rounds ${bare.map((x) => Math.round(x)).join(", ")} ms`,
  });
}

// ---------------------------------------------------------------------------------------
// Replay: the engine against autocannon

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
}

/** (a) through the engine's own runScenario: one key, one already-completed payment. */
async function engineDuplicates(target: LabTarget, paymentId: string, key: string): Promise<LoadResult> {
  const scenario: Scenario = {
    id: "bench-duplicates",
    title: "Bench: duplicates of a completed payment",
    lesson: "",
    kind: "idempotent",
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

async function benchReplay(stack: RunningStack): Promise<void> {
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
  let freshSeq = 0;
  const freshCannon = (tag: string): Promise<LoadResult> =>
    cannon({
      url: target.ingress,
      connections: FRESH.concurrency,
      amount: FRESH.count,
      requests: [
        {
          setupRequest: (req: Record<string, unknown>) => {
            const id = `bench-ac-${tag}-${freshSeq++}`;
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

  // Warm-up (not counted): both clients, small.
  await engineDuplicates(target, paymentId, key);
  await dupCannon();

  const results = { engineA: [] as LoadResult[], cannonA: [] as LoadResult[], engineB: [] as LoadResult[], cannonB: [] as LoadResult[] };
  const sampler = rssSampler(stack.pids.supervisor, 100);
  let burstPeak = 0;
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which client goes first in each round.
    const order = i % 2 === 0 ? ["engine", "cannon"] : ["cannon", "engine"];
    for (const who of order) {
      if (who === "engine") results.engineA.push(await engineDuplicates(target, paymentId, key));
      else results.cannonA.push(await dupCannon());
    }
    for (const who of order) {
      const burst = rssSampler(stack.pids.supervisor, 50);
      if (who === "engine") results.engineB.push(await engineFresh(target, `e${i}-${Date.now()}`));
      else results.cannonB.push(await freshCannon(`c${i}-${Date.now()}`));
      burstPeak = Math.max(burstPeak, burst.stop());
    }
    const last = (xs: LoadResult[]) => `${Math.round(xs.at(-1)!.rps)} req/s p50 ${fmt(xs.at(-1)!.p50)} ms`;
    log(
      `replay round ${i + 1}: (a) engine ${last(results.engineA)}, autocannon ${last(results.cannonA)}; (b) engine ${last(results.engineB)}, autocannon ${last(results.cannonB)}`,
    );
  }
  const overallPeak = sampler.stop();

  const errors = Object.entries(results).flatMap(([k, xs]) => xs.filter((x) => x.errors > 0).map((x) => `${k}: ${x.errors} errors`));
  if (errors.length) log(`replay: some requests failed: ${errors.join("; ")}`);
  const med = (xs: LoadResult[], k: keyof LoadResult) => median(xs.map((x) => x[k]));
  for (const [label, e, c, targets] of [
    [`(a) duplicates of one completed payment, one key (${DUP.count} requests, concurrency ${DUP.concurrency})`, results.engineA, results.cannonA, true],
    [`(b) fresh payments (${FRESH.count} requests, concurrency ${FRESH.concurrency})`, results.engineB, results.cannonB, false],
  ] as const) {
    const section = `replay ${label.slice(0, 3)}`;
    record({
      section,
      name: `throughput ${label}`,
      value: med(e, "rps"),
      unit: "req/s",
      baseline: { name: "autocannon", value: med(c, "rps") },
      ratio: med(e, "rps") / med(c, "rps"),
      target: targets ? { what: "ratio", cmp: ">=", limit: 0.9 } : undefined,
      rounds: e.map((x) => round(x.rps, 0)),
      note: `autocannon rounds ${c.map((x) => Math.round(x.rps)).join(", ")}`,
    });
    record({
      section,
      name: "latency p50",
      value: med(e, "p50"),
      unit: "ms",
      baseline: { name: "autocannon", value: med(c, "p50") },
      ratio: med(e, "p50") / med(c, "p50"),
      target: targets ? { what: "ratio", cmp: "<=", limit: 1.2 } : undefined,
      rounds: e.map((x) => x.p50),
    });
    record({
      section,
      name: "latency p99",
      value: med(e, "p99"),
      unit: "ms",
      baseline: { name: "autocannon", value: med(c, "p99") },
      ratio: med(e, "p99") / med(c, "p99"),
      rounds: e.map((x) => x.p99),
    });
  }
  return void (benchReplay.peaks = { overallPeak, burstPeak });
}
benchReplay.peaks = { overallPeak: 0, burstPeak: 0 };

async function benchHeap(stack: RunningStack): Promise<void> {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "tests", "bench", "heap-child.ts"), stack.urls.ingress, stack.urls.admin, stack.urls.gateway, String(HEAP_RUN.count), String(HEAP_RUN.concurrency)],
    { cwd: root, encoding: "utf8", timeout: 300_000 },
  );
  const line = r.stdout.trim().split("\n").at(-1) ?? "";
  type HeapRun = { peakHeapBytes: number; startHeapBytes: number; requests: number; failed: number; ms: number; verdict: string };
  let parsed: HeapRun | null;
  try {
    parsed = JSON.parse(line) as HeapRun;
  } catch {
    parsed = null;
  }
  if (!parsed) return notMeasured("memory", "engine peak heap, 10,000-request run", `the child failed: ${(r.stderr || r.error?.message || "").slice(-300)}`);
  record({
    section: "memory",
    name: `engine peak heap, ${parsed.requests}-request run (concurrency ${HEAP_RUN.concurrency})`,
    value: parsed.peakHeapBytes / MB,
    unit: "MB",
    note: `heap at start ${fmt(parsed.startHeapBytes / MB)} MB; run took ${parsed.ms} ms, ${parsed.failed} failed, verdict ${parsed.verdict}; no target in the issue`,
  });
}

async function benchStack(): Promise<void> {
  const workspace = await newLab("bench-lab-");
  try {
    await benchTimeToReady(workspace);
    const { stack } = await labUpToReady(workspace);
    await sleep(3_000); // let start-up settle
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) {
      idle.push(rssBytes(treeOf(stack.pids.supervisor)));
      await sleep(200);
    }
    const procs = treeOf(stack.pids.supervisor).length;
    record({ section: "memory", name: `lab stack resident memory, idle (${procs} processes)`, value: median(idle) / MB, unit: "MB", note: "no target in the issue" });
    await benchReplay(stack);
    record({
      section: "memory",
      name: "lab stack resident memory, peak under a burst (the (b) rounds)",
      value: benchReplay.peaks.burstPeak / MB,
      unit: "MB",
      note: `peak over all replay rounds ${fmt(benchReplay.peaks.overallPeak / MB)} MB; no target in the issue`,
    });
    await benchHeap(stack);
  } finally {
    await down(workspace).catch(() => {});
    rmSync(join(workspace, ".."), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// Extension: bundles and VSIX

async function benchExtension(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "bench-bundles-"));
  try {
    // The same options as scripts/build.mjs --minify, into a temp folder (dist/ stays the dev build).
    const common = {
      bundle: true,
      platform: "node" as const,
      target: "node20",
      format: "cjs" as const,
      minify: true,
      logLevel: "warning" as const,
      define: { "import.meta.url": "__import_meta_url" },
      inject: [join(root, "scripts/import-meta-url.js")],
      absWorkingDir: root,
    };
    await esbuild.build({ ...common, entryPoints: ["src/extension.ts"], outfile: join(out, "extension.cjs"), external: ["vscode"] });
    await esbuild.build({ ...common, entryPoints: ["src/webview/main.ts"], outfile: join(out, "webview.js"), platform: "browser", format: "iife", target: "es2022", define: {}, inject: [] });
    const ext = statSync(join(out, "extension.cjs")).size;
    const web = statSync(join(out, "webview.js")).size;
    record({ section: "extension", name: "extension bundle, minified", value: ext / 1024, unit: "KB", target: { what: "value", cmp: "<=", limit: 300 } });
    record({ section: "extension", name: "webview bundle, minified", value: web / 1024, unit: "KB", note: "no target in the issue" });

    const vsix = join(out, "bench.vsix");
    const r = spawnSync(process.execPath, [join(root, "scripts/package.mjs"), "--out", vsix], { cwd: root, encoding: "utf8", timeout: 300_000 });
    if (r.status === 0 && existsSync(vsix)) record({ section: "extension", name: "VSIX", value: statSync(vsix).size / 1024, unit: "KB", note: "no target in the issue" });
    else notMeasured("extension", "VSIX", `scripts/package.mjs failed: ${(r.stderr || r.stdout || r.error?.message || "").trim().split("\n").slice(-3).join(" | ")}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------

function table(): string {
  const cells = rows.map((r) => [
    r.section,
    r.name,
    r.note?.startsWith("not measured") ? r.note : `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}${r.unit ? ` ${r.unit}` : ""}` : "-",
    r.ratio === undefined ? "-" : fmt(r.ratio),
    r.target ? `${r.target.what} ${r.target.cmp} ${r.target.limit}` : "-",
    r.met === undefined ? "-" : r.met === null ? "n/a" : r.met ? "met" : "NOT MET",
  ]);
  const head = ["section", "figure", "value", "baseline (same run)", "ratio", "target", "met"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  log(`rounds ${ROUNDS}; sections ${[...ONLY].join(", ")}; ${process.version}`);
  if (!existsSync(join(root, "dist", "supervisor.cjs")) || !existsSync(join(root, "dist", "extension.cjs"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm run bench does)");
  }
  const sections: Array<[string, () => Promise<void>]> = [
    ["extension", benchExtension],
    ["stack", benchStack],
    ["host", async () => void (await runHostBench(rows, { record, notMeasured, log, newLab, rounds: ROUNDS }))],
  ];
  for (const [name, fn] of sections) {
    if (!ONLY.has(name)) continue;
    try {
      await fn();
    } catch (err) {
      log(`${name} failed: ${(err as Error).stack ?? err}`);
      notMeasured(name, `section ${name}`, `it failed: ${(err as Error).message}`);
    }
  }
  const totalMs = performance.now() - started;
  const dir = join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const json = {
    at: new Date().toISOString(),
    node: process.version,
    cores: (await import("node:os")).cpus().length,
    rounds: ROUNDS,
    workloads: { duplicates: DUP, fresh: FRESH, heapRun: HEAP_RUN },
    totalMs: Math.round(totalMs),
    rows,
  };
  writeFileSync(join(dir, `bench-${stamp}.json`), JSON.stringify(json, null, 2));
  writeFileSync(join(dir, "latest.json"), JSON.stringify(json, null, 2));
  console.log(table());
  const missed = rows.filter((r) => r.met === false).length;
  const unmeasured = rows.filter((r) => r.note?.startsWith("not measured")).length;
  console.log(`\n${rows.length} figures, ${missed} target(s) not met, ${unmeasured} not measured; ${Math.round(totalMs / 1000)} s; bench-results/bench-${stamp}.json`);
}

await main();
