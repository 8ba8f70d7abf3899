// `npm run bench`: the lab's speed and size figures, each against a baseline measured in the
// same run (the machine is shared and noisy), several alternating rounds, medians reported.
// Prints a table and writes bench-results/bench-<time>.json (and bench-results/latest.json).
//
// Sections (BENCH_ONLY=stack,extension,host to pick some; BENCH_ROUNDS=n, default 3):
//  stack:     time to ready (`up` vs a bare restate-server spawn-to-healthy), replay throughput
//             and latency (the engine vs a bare node:http client, its floor, interleaved; autocannon
//             beside them as the ceiling), the engine's peak heap for 10,000 requests, the stack's memory.
//  extension: minified bundle sizes (extension, webview) and the VSIX size.
//  host:      activation time in a real VS Code extension host, and the time the panel takes
//             to render a 10,000-request run.
// Every figure printed was measured in this run; what could not be is printed as "not measured".
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/lab/paths.js";
import { sleep } from "../../src/lab/poll.js";
import { down } from "../../src/lab/stack.js";
import { describeRow, isNotMeasured, log, notMeasured, table, type Row } from "./figures.js";
import { newLab } from "./lab.js";
import { bundleSizes } from "./sections/extension.js";
import { hostFigures } from "./sections/host.js";
import { burstMemory, engineHeap, HEAP_RUN, idleMemory, SCALE_RUNS } from "./sections/memory.js";
import { DUP, FRESH, replayAgainstFloor } from "./sections/replay.js";
import { bareRestateIdleRss, labUpToReady, timeToReady } from "./sections/startup.js";

const root = packageRoot();
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const ONLY = new Set((process.env.BENCH_ONLY ?? "stack,extension,host").split(",").map((s) => s.trim()));

const rows: Row[] = [];

/** Keeps figures as they come, so that a section that fails later keeps what it measured. */
function add(...measured: Row[]): void {
  for (const row of measured) {
    rows.push(row);
    log(describeRow(row));
  }
}

/** Everything measured on one live lab stack. */
async function stack(): Promise<void> {
  const workspace = await newLab("bench-lab-");
  try {
    add(...(await timeToReady(workspace, ROUNDS)));
    const bareIdle = await bareRestateIdleRss(workspace).catch(() => null);
    const { stack } = await labUpToReady(workspace);
    await sleep(3_000); // let start-up settle, as the bare server did
    add(...(await idleMemory(stack, bareIdle)));
    const replay = await replayAgainstFloor(stack, ROUNDS);
    add(...replay.rows, burstMemory(replay.peaks));
    for (const count of SCALE_RUNS) add(...engineHeap(stack, count));
  } finally {
    await down(workspace).catch(() => {});
    rmSync(join(workspace, ".."), { recursive: true, force: true });
  }
}

const SECTIONS: Array<[string, () => Promise<void>]> = [
  ["extension", async () => add(...(await bundleSizes()))],
  ["stack", stack],
  ["host", async () => add(...(await hostFigures(ROUNDS)))],
];

async function main(): Promise<void> {
  const started = performance.now();
  log(`rounds ${ROUNDS}; sections ${[...ONLY].join(", ")}; ${process.version}`);
  if (!existsSync(join(root, "dist", "supervisor.cjs")) || !existsSync(join(root, "dist", "extension.cjs"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm run bench does)");
  }
  for (const [name, run] of SECTIONS) {
    if (!ONLY.has(name)) continue;
    try {
      await run();
    } catch (err) {
      log(`${name} failed: ${(err as Error).stack ?? err}`);
      add(notMeasured(name, `section ${name}`, `it failed: ${(err as Error).message}`));
    }
  }
  const totalMs = performance.now() - started;
  const dir = join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const json = {
    at: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    rounds: ROUNDS,
    workloads: { duplicates: DUP, fresh: FRESH, heapRun: HEAP_RUN },
    totalMs: Math.round(totalMs),
    rows,
  };
  writeFileSync(join(dir, `bench-${stamp}.json`), JSON.stringify(json, null, 2));
  writeFileSync(join(dir, "latest.json"), JSON.stringify(json, null, 2));
  console.log(table(rows));
  const missed = rows.filter((r) => r.met === false).length;
  const unmeasured = rows.filter(isNotMeasured).length;
  console.log(
    `\n${rows.length} figures, ${missed} target(s) not met, ${unmeasured} not measured; ${Math.round(totalMs / 1000)} s; bench-results/bench-${stamp}.json`,
  );
}

await main();
