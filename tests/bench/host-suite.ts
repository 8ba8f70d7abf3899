// Runs inside a real VS Code extension host (bundled by tests/bench/sections/host.ts, run by
// tests/host/runner): times the extension's activation, watches that it
// starts no process while activating, then opens the lab panel for the outer Playwright
// driver, which times the rendering of a 10,000-request run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as vscode from "vscode";
import { poll } from "../../src/lab/poll.js";

const EXTENSION_ID = "restate-idempotency-lab.restate-idempotency-lab";

function descendants(pid: number): Array<{ pid: number; cmd: string }> {
  const kids = new Map<number, number[]>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone
    }
  }
  const out: Array<{ pid: number; cmd: string }> = [];
  const stack = [...(kids.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ").trim();
    } catch {
      // gone
    }
    out.push({ pid: p, cmd });
    stack.push(...(kids.get(p) ?? []));
  }
  return out;
}

export async function run(): Promise<void> {
  const out = process.env.HOST_BENCH_OUT!;
  const signals = process.env.HOST_BENCH_SIGNALS!;
  const result: Record<string, unknown> = {};
  const save = () => writeFileSync(out, JSON.stringify(result));
  try {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
    // A lab folder activates the extension at startup (workspaceContains): it reports its own
    // cost (the bundle's first line to the end of activate()). Elsewhere it is timed here.
    const activeAlready = ext.isActive;
    const before = new Set(descendants(process.pid).map((p) => p.pid));
    if (activeAlready) {
      const own = (ext.exports as { activation?: { loadMs: number | null; activateMs: number } }).activation;
      result.loadMs = own?.loadMs ?? null;
      result.activateMs = own?.activateMs ?? null;
    } else {
      // The window is still busy starting up when the test module runs: let it settle.
      await new Promise((r) => setTimeout(r, 2_000));
      // Code loading first (Node's require cache then serves VS Code's own load), then the
      // activate() call through VS Code.
      const main = join(ext.extensionPath, ext.packageJSON.main as string);
      const tl = performance.now();
      createRequire(main)(main);
      result.loadMs = performance.now() - tl;
      const t0 = performance.now();
      await ext.activate();
      result.activateMs = performance.now() - t0;
    }
    result.wasActive = false; // measured either way
    // Anything the activation started (Restate, npm, node) shows up as a new child process.
    await new Promise((r) => setTimeout(r, 300));
    result.spawnedDuringActivation = descendants(process.pid)
      .filter((p) => !before.has(p.pid))
      .map((p) => p.cmd)
      .filter((cmd) => /restate|npm|node/.test(cmd));
    save();
    if (process.env.HOST_BENCH_PANEL === "0") return;

    const opened = await vscode.commands.executeCommand("idempotencyLab.openPanel");
    result.panelOpened = opened;
    // The first command loaded the extension's second bundle: what that cost, apart from activation.
    result.featuresLoadMs = (ext.exports as { activation?: { featuresLoadMs: number | null } }).activation?.featuresLoadMs ?? null;
    save();
    writeFileSync(join(signals, "panel-open.json"), "{}");
    await poll(() => existsSync(join(signals, "panel-done.json")), {
      what: "the panel driver",
      everyMs: 200,
      timeoutMs: 240_000,
      onTimeout: () => {
        throw new Error("the panel driver did not finish in 240 s");
      },
    });
  } catch (err) {
    result.error = String((err as Error).stack ?? err);
    save();
    throw err;
  }
}
