// Time to ready: `up` on an installed lab against a bare restate-server's spawn-to-healthy,
// alternating, on the same machine in the same run.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workspacePaths } from "../../../src/lab/paths.js";
import { poll, sleep } from "../../../src/lab/poll.js";
import { freePort } from "../../../src/lab/ports.js";
import { isRestateHealthy, restateServerLaunch, restateUrls, workspaceRestateServer } from "../../../src/lab/restate-server.js";
import { down, up, type RunningStack } from "../../../src/lab/stack.js";
import { readState, STARTUP_MARKS, type StartupMark } from "../../../src/lab/state.js";
import { figure, log, median, round, type Row } from "../figures.js";
import { idleMemoryOf } from "./memory.js";
import { ANY_PORTS } from "../lab.js";

export async function timeToReady(workspace: string, benchRounds: number): Promise<Row[]> {
  // At least five, as for the VS Code figures: on 2 cores the bare server's start alone varied
  // 494-640 ms between runs, and the ratio of medians of three read 1.22 to 1.6 on the same code.
  const rounds = Math.max(benchRounds, 5);
  const bare: number[] = [];
  const lab: number[] = [];
  const marks: Array<Partial<Record<StartupMark, number>>> = [];
  // An installed lab has started before: one round of each first, not counted (the lab's first
  // start compiles its sources; both read their binaries from a cold page cache).
  await bareRestateToHealthy(workspace);
  await labUpToReady(workspace);
  await down(workspace);
  for (let i = 0; i < rounds; i++) {
    bare.push(await bareRestateToHealthy(workspace));
    const { ms } = await labUpToReady(workspace);
    lab.push(ms);
    marks.push(readState(workspacePaths(workspace).state)?.startupMs ?? {});
    await down(workspace);
    log(`time to ready round ${i + 1}: bare restate ${Math.round(bare[i]!)} ms, lab up ${Math.round(ms)} ms`);
  }
  const b = median(bare);
  const l = median(lab);
  return [
    figure({
      section: "time to ready",
      name: "`up` on an installed lab (server healthy, service registered, gateway up)",
      value: l,
      unit: "ms",
      baseline: { name: "bare restate-server spawn-to-healthy", value: b },
      ratio: l / b,
      target: { what: "ratio", cmp: "<=", limit: 1.5 },
      rounds: lab.map((x) => round(x, 0)),
      note: `baseline rounds ${bare.map((x) => Math.round(x)).join(", ")} ms`,
    }),
    ...startupProfile(lab, marks),
  ];
}

const MARK_NAMES: Record<StartupMark, string> = {
  portsChosen: "ports chosen",
  compiled: "the gateway and the service compiled (esbuild)",
  restateHealthy: "restate-server healthy",
  gatewayHealthy: "the gateway healthy",
  serviceListening: "the service listening",
  registered: "the deployment registered (Restate discovered the service)",
};

/** Where a start's time goes: each moment the supervisor noted, in ms since its process began, and what `up` adds around it. */
function startupProfile(lab: number[], marks: Array<Partial<Record<StartupMark, number>>>): Row[] {
  const rows = STARTUP_MARKS.filter((mark) => marks.every((m) => m[mark] !== undefined)).map((mark) => {
    const at = marks.map((m) => m[mark]!);
    return figure({ section: "time to ready", name: `  at: ${MARK_NAMES[mark]}`, value: median(at), unit: "ms", rounds: at });
  });
  if (marks.every((m) => m.registered !== undefined)) {
    const around = lab.map((ms, i) => ms - marks[i]!.registered!);
    rows.push(
      figure({
        section: "time to ready",
        name: "  the rest: `up`'s own work before the supervisor's process begins, and noticing the lab is ready",
        value: median(around),
        unit: "ms",
        rounds: around.map((x) => round(x, 0)),
      }),
    );
  }
  return rows;
}

/** `up` on a lab whose Restate data was deleted first, so that its server starts afresh like the bare one. */
export async function labUpToReady(workspace: string): Promise<{ ms: number; stack: RunningStack }> {
  rmSync(workspacePaths(workspace).restateData, { recursive: true, force: true });
  const started = performance.now();
  const stack = await up(workspace, { ports: ANY_PORTS });
  return { ms: performance.now() - started, stack };
}

/** A bare restate-server's memory (RSS and PSS) once healthy and idle for 3 s (the memory baseline). */
export async function bareRestateIdleRss(workspace: string): Promise<{ rss: number; pss: number }> {
  let memory = { rss: 0, pss: 0 };
  await bareRestateToHealthy(workspace, async (pid) => {
    await sleep(3_000);
    memory = await idleMemoryOf(pid);
  });
  return memory;
}

async function bareRestateToHealthy(workspace: string, whileHealthy?: (pid: number) => Promise<void>): Promise<number> {
  const ports = { node: await freePort(), ingress: await freePort(), admin: await freePort() };
  const baseDir = mkdtempSync(join(tmpdir(), "bench-restate-"));
  const { command, args, env } = restateServerLaunch({ binary: workspaceRestateServer(workspace), baseDir, nodeName: "bench", ports });
  const started = performance.now();
  const child = spawn(command, args, { stdio: "ignore", env: { ...process.env, ...env } });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const healthy = async () => {
    if (await isRestateHealthy(restateUrls(ports))) return true;
    if (child.exitCode !== null) throw new Error(`restate-server exited with ${child.exitCode}`);
    return false;
  };
  try {
    await poll(healthy, { what: "restate-server to be healthy", everyMs: 20, timeoutMs: 120_000 });
    const ms = performance.now() - started;
    await whileHealthy?.(child.pid!);
    return ms;
  } finally {
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(baseDir, { recursive: true, force: true });
  }
}
