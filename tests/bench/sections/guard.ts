// What the lab's guard in front of Restate costs (restate-guard.ts): the same duplicate requests
// from autocannon through the guard (the lab's ingress port) and straight to restate-server's
// Unix socket, alternating which goes first, with the supervisor's CPU per guarded request.
import autocannon from "autocannon";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { workspacePaths } from "../../../src/lab/paths.js";
import { restateSockets } from "../../../src/lab/restate-server.js";
import type { RunningStack } from "../../../src/lab/stack.js";
import { figure, median, round, type Row } from "../figures.js";

interface Run {
  rps: number;
  p50: number;
  errors: number;
}

export async function guardCost(stack: RunningStack, request: { path: string; headers: Record<string, string>; body: string }, rounds: number): Promise<Row[]> {
  const socket = restateSockets(workspacePaths(stack.workspace).restateData, "lab").ingress;
  const load = (socketPath?: string) =>
    new Promise<Run>((resolve, reject) =>
      autocannon(
        {
          url: `${stack.urls.ingress}${request.path}`,
          method: "POST",
          headers: request.headers,
          body: request.body,
          connections: 50,
          amount: 5000,
          timeout: 120,
          sampleInt: 5,
          socketPath,
        },
        (err, res) =>
          err
            ? reject(err)
            : resolve({ rps: res.requests.total / (res.duration || 0.01), p50: res.latency.p50, errors: res.requests.total - res["2xx"] + res.errors }),
      ),
    );
  const guarded: Run[] = [];
  const direct: Run[] = [];
  const supervisorCpuUs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const which of i % 2 === 0 ? ["guard", "direct"] : ["direct", "guard"]) {
      if (which === "direct") {
        direct.push(await load(socket));
        continue;
      }
      const before = cpuUs(stack.pids.supervisor);
      guarded.push(await load());
      supervisorCpuUs.push((cpuUs(stack.pids.supervisor) - before) / 5000);
    }
  }
  const med = (xs: Run[], k: keyof Run) => median(xs.map((x) => x[k]));
  const section = "replay (a)";
  return [
    figure({
      section,
      name: "  profile: autocannon through the lab's Host/Origin guard: throughput",
      value: med(guarded, "rps"),
      baseline: { name: "straight to restate-server's Unix socket", value: med(direct, "rps") },
      ratio: med(guarded, "rps") / med(direct, "rps"),
      unit: "req/s",
      rounds: guarded.map((x) => round(x.rps, 0)),
      note: `direct rounds ${direct.map((x) => Math.round(x.rps)).join(", ")}; errors ${[...guarded, ...direct].reduce((n, x) => n + x.errors, 0)}`,
    }),
    figure({
      section,
      name: "  profile: the guard's latency p50",
      value: med(guarded, "p50"),
      baseline: { name: "Unix socket", value: med(direct, "p50") },
      ratio: med(guarded, "p50") / med(direct, "p50"),
      unit: "ms",
    }),
    figure({
      section,
      name: "  profile: the supervisor's CPU per guarded request",
      value: median(supervisorCpuUs),
      unit: "µs",
      note: "the guard runs in the supervisor process",
    }),
  ];
}

const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

function cpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}
