// Starts the VS Code server prepared by prepare.ts on 127.0.0.1 and waits until it listens;
// stops it with its whole process group (extension host, pty host, what the extension started).
// Used by the host-test runner and by `npm start`.
import { spawn, type ChildProcess } from "node:child_process";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { sleep } from "../../../src/lab/poll.js";
import { ensureNode, type Log } from "./node24.js";
import { prepareVSCodeServer } from "./prepare.js";

/** Machine settings that keep an offline workbench quiet: no gallery, AI, update or telemetry traffic. */
export const OFFLINE_SETTINGS = {
  "chat.disableAIFeatures": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "workbench.enableExperiments": false,
};

export interface VSCodeServerOptions {
  port: number;
  serverDataDir: string;
  extensionsDir: string;
  /** Keeps workspace trust on (it is off by default). */
  workspaceTrust?: boolean;
  /** More flags, like --enable-smoke-test-driver. */
  args?: string[];
  /** The server's environment, which is also its extension host's. */
  env?: NodeJS.ProcessEnv;
  /** Every line the server prints. */
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Called as soon as it runs, before it listens: to stop it also when start-up is interrupted. */
  onSpawned?: (server: VSCodeServer) => void;
  log: Log;
}

export interface VSCodeServer {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; also what outlived the server itself. */
  stop: (graceMs: number) => Promise<void>;
  /** SIGKILL to the process group at once: for process.on("exit"), where nothing can be awaited. */
  killNow: () => void;
}

export async function startVSCodeServer(options: VSCodeServerOptions): Promise<VSCodeServer> {
  const vscodeDir = await prepareVSCodeServer({ log: options.log });
  const { bin: nodeBin, version: nodeVersion } = await ensureNode({ log: options.log });
  const args = [
    join(vscodeDir, "out", "server-main.js"),
    ...["--host", "127.0.0.1", "--port", String(options.port)],
    ...["--without-connection-token", "--accept-server-license-terms", "--disable-telemetry"],
    ...(options.workspaceTrust ? [] : ["--disable-workspace-trust"]),
    ...["--server-data-dir", options.serverDataDir, "--extensions-dir", options.extensionsDir],
    ...(options.args ?? []),
  ];
  options.log(`[server] starting ${basename(dirname(dirname(vscodeDir)))} with Node ${nodeVersion} (${nodeBin}) on 127.0.0.1:${options.port}`);
  // Detached: its own process group, so the whole tree can be stopped.
  const child = spawn(nodeBin, args, { cwd: vscodeDir, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const server: VSCodeServer = {
    process: child,
    exited,
    killNow: () => signalGroup("SIGKILL"),
    stop: async (graceMs) => {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup("SIGTERM");
        await Promise.race([exited, sleep(graceMs)]);
      }
      signalGroup("SIGKILL");
    },
  };

  options.onSpawned?.(server);

  const tail: string[] = [];
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const onLine = (line: string) => {
        tail.push(line);
        if (tail.length > 40) tail.shift();
        options.onLine?.(line);
        if (line.includes("Extension host agent listening on")) resolve();
      };
      onLines(child.stdout!, onLine);
      onLines(child.stderr!, onLine);
      child.once("error", reject);
      void exited.then(({ code, signal }) =>
        reject(new Error(`the VS Code server exited before listening (${signal ?? `exit ${code}`}):\n${tail.join("\n")}`)),
      );
      setTimeout(() => reject(new Error(`the VS Code server is not listening after ${readyTimeoutMs / 1000} s:\n${tail.join("\n")}`)), readyTimeoutMs).unref();
    });
  } catch (err) {
    await server.stop(0);
    throw err;
  }
  return server;
}

/** Splits a stream into lines and hands each to `onLine`. */
function onLines(stream: Readable, onLine: (line: string) => void): void {
  let buf = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  stream.on("end", () => {
    if (buf) onLine(buf);
  });
}
