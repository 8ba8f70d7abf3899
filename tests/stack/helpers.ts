import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { packageRoot, workspacePaths } from "../../src/lab/paths.js";
import { findProcesses } from "../../src/lab/processes.js";
import { scaffold } from "../../src/lab/scaffold.js";
import { down } from "../../src/lab/stack.js";

const created: string[] = [];

/**
 * Holds these ports on 127.0.0.1 as another program would, until release(). A port another
 * program (a lab of a test running beside this one) already holds is taken for the lab either
 * way; it is grabbed the moment that program lets it go, so the lab under test never gets it.
 */
export async function takePorts(ports: readonly number[]): Promise<{ release(): void }> {
  const servers: Server[] = [];
  let released = false;
  const hold = async (port: number): Promise<void> => {
    const server = createServer();
    servers.push(server);
    server.listen(port, "127.0.0.1");
    // events.once("listening") rejects on "error": wait for either without throwing.
    const listening = await new Promise<boolean>((settle) => server.once("listening", () => settle(true)).once("error", () => settle(false)));
    if (listening || released) return;
    const retry = setTimeout(() => void hold(port), 10);
    retry.unref();
  };
  for (const port of ports) await hold(port);
  return {
    release: () => {
      released = true;
      for (const server of servers) server.close();
    },
  };
}

/** A scaffolded lab in a temp folder, its node_modules linked to the installed cache (or none: the first start installs them). */
export function newLab(options: { installed?: boolean } = {}): string {
  const workspace = join(mkdtempSync(join(tmpdir(), "lab-test-")), "lab");
  scaffold(workspace);
  if (options.installed !== false) symlinkSync(inject("labNodeModules"), workspacePaths(workspace).nodeModules, "dir");
  created.push(workspace);
  return workspace;
}

export async function cleanUpLabs(): Promise<void> {
  for (const workspace of created.splice(0)) {
    await down(workspace);
    rmSync(join(workspace, ".."), { recursive: true, force: true });
  }
}

/** Every process whose command line mentions the workspace (the lab's own and any leftovers). */
export function processesOf(workspace: string): number[] {
  return findProcesses([workspace]);
}

export const cliPath = () => join(packageRoot(), "dist", "cli.cjs");

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [cliPath(), ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** runCli without blocking this process (for tests that serve requests while the CLI runs). */
export async function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [cliPath(), ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

export function spawnCli(args: string[]) {
  return spawn(process.execPath, [cliPath(), ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

export async function post(url: string, body: unknown, idempotencyKey?: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, invocationId: res.headers.get("x-restate-id") };
}

export async function charges(gateway: string, paymentId: string): Promise<number> {
  const entries = (await (await fetch(`${gateway}/ledger?paymentId=${paymentId}`)).json()) as Array<{ type: string }>;
  return entries.filter((e) => e.type === "charge").length;
}
