// Memory: the lab stack's resident memory (its whole process tree, from /proc), idle and
// under a burst, and the replay engine's peak heap for a 10,000-request run.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "../../../src/lab/poll.js";
import { packageRoot } from "../../../src/lab/paths.js";
import type { RunningStack } from "../../../src/lab/stack.js";
import { figure, fmt, MB, median, notMeasured, type Row } from "../figures.js";

export const HEAP_RUN = { count: 10_000, concurrency: 100 };
/** The scale figures: the same duplicates run at two sizes, to see how cost grows with the work. */
export const SCALE_RUNS = [1_000, 10_000];

/** The median resident memory of a process tree, sampled five times over a second. */
export async function idleRss(pid: number): Promise<number> {
  return (await idleMemoryOf(pid)).rss;
}

/**
 * A process tree's memory, median of five samples over a second: resident (RSS, each process's
 * shared pages counted in full, so the Node.js binary's pages count once per Node process) and
 * proportional (PSS: a page shared by n processes counts 1/n in each; the tree's sum is what the
 * machine actually gives it, give or take pages shared with processes outside it).
 */
export async function idleMemoryOf(pid: number): Promise<{ rss: number; pss: number }> {
  const rss: number[] = [];
  const pss: number[] = [];
  for (let i = 0; i < 5; i++) {
    const tree = treeOf(pid);
    rss.push(rssBytes(tree));
    pss.push(pssBytes(tree));
    await sleep(200);
  }
  return { rss: median(rss), pss: median(pss) };
}

/**
 * The idle stack's resident memory, against a bare restate-server's idle memory measured in the
 * same run, and each of its processes' share (what the limit is made of).
 */
export async function idleMemory(stack: RunningStack, bareRestate: { rss: number; pss: number } | null): Promise<Row[]> {
  const bareRestateBytes = bareRestate?.rss ?? null;
  const bareNode = await bareNodeIdleRss();
  const { rss: idle, pss: idlePss } = await idleMemoryOf(stack.pids.supervisor);
  const pids = treeOf(stack.pids.supervisor);
  // The compiled gateway runs in the supervisor's process (supervisor.ts startGatewayHere): no pid of its own.
  const roles = new Map(
    Object.entries(stack.pids).map(([role, pid]) => [
      pid,
      role === "supervisor" && stack.pids.gateway === undefined ? "supervisor (and the gateway, in its process)" : role,
    ]),
  );
  const shares = pids.map((pid) => ({ pid, what: roles.get(pid) ?? commandName(pid), bytes: rssBytes([pid]) }));
  return [
    figure({
      section: "memory",
      name: `lab stack resident memory, idle (${pids.length} processes)`,
      value: idle / MB,
      unit: "MB",
      baseline: { name: "bare restate-server idle", value: bareRestateBytes === null ? null : bareRestateBytes / MB },
      target: { what: "over baseline", cmp: "<=", limit: 150 },
      note: "the supervisor (with the gateway in its process) and the service together may add at most 150 MB to the server",
    }),
    ...shares.map((share) =>
      figure({ section: "memory", name: `  of which: ${share.what}`, value: share.bytes / MB, unit: "MB", note: `pid ${share.pid}, one sample` }),
    ),
    figure({
      section: "memory",
      name: `lab stack proportional memory (PSS), idle (${pids.length} processes)`,
      value: idlePss / MB,
      unit: "MB",
      baseline: { name: "bare restate-server idle PSS", value: bareRestate === null ? null : bareRestate.pss / MB },
      target: { what: "over baseline", cmp: "<=", limit: 150 },
      note: "shared pages (the Node.js binary, shared libraries) split among the processes sharing them: what the stack costs the machine",
    }),
    ...pids.map((pid) =>
      figure({
        section: "memory",
        name: `  of which: ${roles.get(pid) ?? commandName(pid)} (PSS)`,
        value: pssBytes([pid]) / MB,
        unit: "MB",
        note: `pid ${pid}, one sample`,
      }),
    ),
    figure({
      section: "memory",
      name: "  floor: a bare Node.js process, idle (the lab runs two: the supervisor with the gateway, and the service)",
      value: bareNode / MB,
      unit: "MB",
      note: `${process.execPath} ${process.version}, running only a timer`,
    }),
  ];
}

/** A Node.js process that only waits, once settled: what each of the stack's Node processes costs at least. */
async function bareNodeIdleRss(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1e9)"], { stdio: "ignore" });
  try {
    await sleep(1_000);
    return await idleRss(child.pid!);
  } finally {
    child.kill("SIGKILL");
  }
}

/** A process's command name (/proc/<pid>/comm), for a process the stack's state does not name. */
function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "gone";
  }
}

export interface MemoryPeaks {
  /** Over all replay rounds. */
  overallPeak: number;
  /** Over the (b) rounds: many fresh payments at once. */
  burstPeak: number;
}

export function burstMemory(peaks: MemoryPeaks): Row {
  return figure({
    section: "memory",
    name: "lab stack resident memory, peak under a burst (the (b) rounds)",
    value: peaks.burstPeak / MB,
    unit: "MB",
    note: `peak over all replay rounds ${fmt(peaks.overallPeak / MB)} MB; no target in the issue`,
  });
}

/** The engine's peak heap, measured in a child process of its own (heap-child.ts). */
export function engineHeap(stack: RunningStack, count = HEAP_RUN.count): Row[] {
  const root = packageRoot();
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "tests", "bench", "heap-child.ts"),
      stack.urls.ingress,
      stack.urls.admin,
      stack.urls.gateway,
      String(count),
      String(HEAP_RUN.concurrency),
    ],
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
  if (!parsed) return [notMeasured("scale", `engine, ${count} duplicates`, `the child failed: ${(r.stderr || r.error?.message || "").slice(-300)}`)];
  const perRequest = (parsed.peakHeapBytes - parsed.startHeapBytes) / parsed.requests;
  return [
    figure({
      section: "scale",
      name: `engine, ${parsed.requests} duplicates of one key (concurrency ${HEAP_RUN.concurrency}): throughput`,
      value: parsed.requests / (parsed.ms / 1000),
      unit: "req/s",
      note: `${parsed.failed} failed, verdict ${parsed.verdict}`,
    }),
    figure({
      section: "scale",
      name: `engine, ${parsed.requests} duplicates: peak heap`,
      value: parsed.peakHeapBytes / MB,
      unit: "MB",
      note: `heap at start ${fmt(parsed.startHeapBytes / MB)} MB`,
    }),
    figure({
      section: "scale",
      name: `engine, ${parsed.requests} duplicates: heap per request`,
      value: perRequest / 1024,
      unit: "KB",
      ...(parsed.requests >= 10_000 ? { target: { what: "value" as const, cmp: "<=" as const, limit: 5 } } : {}),
      note: "(peak heap - heap at start) / requests, every per-request record kept",
    }),
  ];
}

/** Samples the resident memory of a process tree until stopped; returns the peak. */
export function rssSampler(pid: number, everyMs = 100): { stop: () => number } {
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

/** Proportional set size (Linux /proc/<pid>/smaps_rollup). */
function pssBytes(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // gone
    }
  }
  return total;
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
