// What a failed host-test run leaves for debugging: a screenshot, the server's, the browser's
// and the workbench's transcripts, and VS Code's own logs (the extension host's among them).
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Page } from "playwright-core";

export interface Transcript {
  server: string[];
  browser: string[];
  host: string[];
}

export interface Artifacts {
  /** Where they go: a folder of its own is made inside. */
  dir: string;
  kind: "timeout" | "failure";
  /** Absent when there is nothing left to photograph (the server is gone). */
  page?: Page;
  transcript: Transcript;
  /** The server's data folder: its logs are copied. */
  serverDataDir: string;
  /** The logs the workbench handed over with its exit code. */
  vscodeLogs: Array<{ relativePath?: unknown; contents?: string }>;
  log: (line: string) => void;
}

export async function writeArtifacts(a: Artifacts): Promise<void> {
  const dir = join(a.dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${a.kind}`);
  try {
    mkdirSync(dir, { recursive: true });
    await a.page?.screenshot({ path: join(dir, "screenshot.png"), timeout: 10_000 }).catch((e: Error) => a.log(`[host] screenshot failed: ${e.message}`));
    writeFileSync(join(dir, "server.log"), a.transcript.server.join("\n") + "\n");
    writeFileSync(join(dir, "browser-console.log"), a.transcript.browser.join("\n") + "\n");
    writeFileSync(join(dir, "vscode-automation.log"), a.transcript.host.join("\n") + "\n");
    // Server-side logs, including the remote extension host's own log (remoteexthost.log).
    const serverLogs = join(a.serverDataDir, "data", "logs");
    if (existsSync(serverLogs)) cpSync(serverLogs, join(dir, "server-logs"), { recursive: true });
    for (const { relativePath, contents } of a.vscodeLogs) {
      // Names come from the page: never outside the artifacts folder.
      if (typeof relativePath !== "string" || relativePath.includes("..")) continue;
      const file = join(dir, "vscode-logs", relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents ?? "");
    }
    a.log(`[host] artifacts written to ${dir}`);
  } catch (err) {
    a.log(`[host] could not write artifacts: ${(err as Error)?.message ?? err}`);
  }
}
