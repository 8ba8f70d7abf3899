// Starts a real Restate server, the gateway and the service on free loopback ports, in
// temporary folders, and registers the service. One stack per test file.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseLedger, type LedgerEntry } from "../gateway/contract.ts";

const workspace = fileURLToPath(new URL("..", import.meta.url));

export interface Stack {
  ingress: string;
  admin: string;
  gateway: string;
  /** The payment service's own URL (what Restate calls); null when startStack was told to leave it out. */
  service: string | null;
  /** The extra service's URL when startStack was given one, else null. */
  extraService: string | null;
  /** Kills the service with SIGKILL and starts it again on the same port (a crash and a restart); throws when the stack has none. */
  restartService(): Promise<void>;
  /** The same for the extra service; throws when the stack has none. */
  restartExtraService(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /**
   * One more entry point to serve next to src/main.ts, e.g. "exercises/serve.ts" (relative to
   * the workspace): started in its own process with SERVICE_PORT and GATEWAY_URL set, plus `env`,
   * and registered with Restate like the payment service.
   */
  extraService?: { entry: string; env?: Record<string, string> };
  /** Extra environment for restate-server, e.g. `RESTATE_WORKER__CLEANUP_INTERVAL` (its config in env form). */
  restateEnv?: Record<string, string>;
  /** False: no payment service (src/main.ts), for tests of the extra service alone. Default true. */
  paymentService?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "payment-lab-test-"));
  const [ingressPort, adminPort, nodePort, gatewayPort, servicePort, extraPort] = (await freePorts(6)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const children: ChildProcess[] = [];
  const start = (command: string, args: string[], env: Record<string, string>) => {
    const child = spawn(command, args, { cwd: workspace, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => {
      if (code !== 0 && code !== null) console.error(`${args.join(" ")} exited ${code}:\n${output.slice(-2000)}`);
    });
    children.push(child);
    return child;
  };

  start(restateServerBinary(), ["--base-dir", join(dir, "restate"), "--no-logo"], {
    RESTATE_LISTEN_MODE: "tcp",
    RESTATE_BIND_IP: "127.0.0.1",
    RESTATE_BIND_PORT: String(nodePort),
    RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ingressPort}`,
    RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${adminPort}`,
    RESTATE_LOG_DISABLE_ANSI_CODES: "true",
    // One partition, as the lab's own server (Restate's default is 24): a test's traffic needs no
    // more, and an idle server then takes a fifth of the CPU and 100 MB less memory.
    RESTATE_DEFAULT_NUM_PARTITIONS: "1",
    ...options.restateEnv,
  });
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  start(process.execPath, ["--import", "tsx", "gateway/server.ts"], {
    GATEWAY_PORT: String(gatewayPort),
    LEDGER_FILE: join(dir, "ledger.jsonl"),
  });
  const serviceEnv = { SERVICE_PORT: String(servicePort), GATEWAY_URL: gateway };
  const withService = options.paymentService ?? true;
  let service = withService ? start(process.execPath, ["--import", "tsx", "src/main.ts"], serviceEnv) : null;
  const extra = options.extraService;
  const extraEnv = { ...extra?.env, SERVICE_PORT: String(extraPort), GATEWAY_URL: gateway };
  let extraChild = extra ? start(process.execPath, ["--import", "tsx", extra.entry], extraEnv) : null;

  const admin = `http://127.0.0.1:${adminPort}`;
  const ingress = `http://127.0.0.1:${ingressPort}`;
  try {
    await waitFor(`${admin}/health`);
    await waitFor(`${ingress}/restate/health`);
    await waitFor(`${gateway}/health`);
    if (withService) await waitForPort(servicePort);
    if (extra) await waitForPort(extraPort);
    for (const port of [...(withService ? [servicePort] : []), ...(extra ? [extraPort] : [])]) {
      const registered = await fetch(`${admin}/deployments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ uri: `http://127.0.0.1:${port}` }),
      });
      if (!registered.ok) throw new Error(`registration failed: ${registered.status} ${await registered.text()}`);
    }
  } catch (err) {
    // Leave no process behind when the stack cannot start.
    await Promise.all(children.map((child) => kill(child)));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    ingress,
    admin,
    gateway,
    service: withService ? `http://127.0.0.1:${servicePort}` : null,
    extraService: extra ? `http://127.0.0.1:${extraPort}` : null,
    async restartService() {
      if (!service) throw new Error("this stack has no payment service (see StackOptions.paymentService)");
      await kill(service, "SIGKILL");
      service = start(process.execPath, ["--import", "tsx", "src/main.ts"], serviceEnv);
      await waitForPort(servicePort);
    },
    async restartExtraService() {
      if (!extra || !extraChild) throw new Error("this stack has no extra service (see StackOptions.extraService)");
      await kill(extraChild, "SIGKILL");
      extraChild = start(process.execPath, ["--import", "tsx", extra.entry], extraEnv);
      await waitForPort(extraPort);
    },
    async stop() {
      await Promise.all(children.map((child) => kill(child)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The restate-server binary the lab pins (the npm package for this platform). */
export function restateServerBinary(): string {
  const require = createRequire(join(workspace, "package.json"));
  return require.resolve(`@restatedev/restate-server-${process.platform}-${process.arch}/bin/restate-server`);
}

function kill(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POSTs JSON to the ingress; returns status, parsed body and Restate's headers. */
export async function call(
  stack: Stack,
  path: string,
  body: unknown,
  idempotencyKey?: string,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: any; invocationId: string | null; replayed: boolean }> {
  const headers: Record<string, string> = { "content-type": "application/json", ...extraHeaders };
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  const res = await fetch(`${stack.ingress}${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return {
    status: res.status,
    body: parsed,
    invocationId: res.headers.get("x-restate-id"),
    replayed: res.headers.has("idempotency-expires"),
  };
}

export async function ledgerFor(stack: Stack, paymentId: string): Promise<LedgerEntry[]> {
  const res = await fetch(`${stack.gateway}/ledger?paymentId=${encodeURIComponent(paymentId)}`);
  return parseLedger(await res.json());
}

export async function setFaults(stack: Stack, faults: Record<string, number>): Promise<void> {
  const res = await fetch(`${stack.gateway}/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Resolves once Restate's journal holds the named ctx.run step: started, or (by default)
 * completed with its result.
 */
/** Rows of Restate's SQL introspection (sys_invocation, sys_journal, ...) on the test stack. */
export async function query<Row>(stack: Stack, sql: string): Promise<Row[]> {
  const res = await fetch(`${stack.admin}/query`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: sql }),
  });
  return ((await res.json()) as { rows?: Row[] }).rows ?? [];
}

export async function waitForJournaledRun(
  stack: Stack,
  paymentId: string,
  runName: string,
  until: "started" | "completed" = "completed",
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await query<{ entry_type: string; name: string; entry_json: string }>(
      stack,
      `SELECT j.entry_type, j.name, j.entry_json FROM sys_journal j JOIN sys_invocation i ON j.id = i.id WHERE i.target_service_key = '${paymentId}' ORDER BY j.index`,
    );
    const command = rows.find((r) => r.entry_type === "Command: Run" && r.name === runName);
    if (command && until === "started") return;
    if (command) {
      const id = (JSON.parse(command.entry_json) as { Command: { Run: { completion_id: number } } }).Command.Run.completion_id;
      if (rows.some((r) => r.entry_type === "Notification: Run" && r.entry_json.includes(`"completion_id":${id},`))) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the journal of ${paymentId} never held a ${until} "${runName}" step`);
}
