// Memory: the lab stack's resident memory (its whole process tree, from /proc), idle and
// under a burst, and the replay engine's peak heap for a 10,000-request run.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "../../../src/lab/poll.js";
import { packageRoot } from "../../../src/lab/paths.js";
import type { RunningStack } from "../../../src/lab/stack.js";
import { figure, fmt, MB, median, notMeasured, type Row } from "../figures.js";

export const HEAP_RUN = { count: 10_000, concurrency: 100 };

/** The median resident memory of the idle stack, over a second. */
export async function idleMemory(stack: RunningStack): Promise<Row> {
  const idle: number[] = [];
  for (let i = 0; i < 5; i++) {
    idle.push(rssBytes(treeOf(stack.pids.supervisor)));
    await sleep(200);
  }
  const procs = treeOf(stack.pids.supervisor).length;
  return figure({ section: "memory", name: `lab stack resident memory, idle (${procs} processes)`, value: median(idle) / MB, unit: "MB", note: "no target in the issue" });
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
export function engineHeap(stack: RunningStack): Row {
  const root = packageRoot();
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
  return figure({
    section: "memory",
    name: `engine peak heap, ${parsed.requests}-request run (concurrency ${HEAP_RUN.concurrency})`,
    value: parsed.peakHeapBytes / MB,
    unit: "MB",
    note: `heap at start ${fmt(parsed.startHeapBytes / MB)} MB; run took ${parsed.ms} ms, ${parsed.failed} failed, verdict ${parsed.verdict}; no target in the issue`,
  });
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
