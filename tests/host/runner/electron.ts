// Which VS Code runs the tests, and the desktop one: @vscode/test-electron with VS Code
// desktop, chosen when VSCODE_EXECUTABLE_PATH is set or (on a machine with a display) when
// test-electron finds a cached download or can download VS Code; an offline failure falls
// through at once to the VS Code server (workbench.ts).
import { existsSync } from "node:fs";
import { CACHE_ROOT } from "./node24.js";
import type { RunOptions } from "./options.js";

export type LauncherChoice = { kind: "server" } | { kind: "electron"; executable: string };

export async function chooseLauncher(o: RunOptions): Promise<LauncherChoice> {
  const wanted = o.launcher;
  if (wanted === "server") return { kind: "server" };
  if (!o.disableWorkspaceTrust) {
    // test-electron 3.1.0's runTests always adds --disable-workspace-trust.
    if (wanted === "electron") throw new Error("disableWorkspaceTrust:false is supported by the server launcher only");
    o.log("[host] workspace trust enabled: using the VS Code server launcher");
    return { kind: "server" };
  }
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (executable) {
    if (!existsSync(executable)) throw new Error(`VSCODE_EXECUTABLE_PATH does not exist: ${executable}`);
    return { kind: "electron", executable };
  }
  if (wanted === "auto" && process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    o.log("[host] no display (VS Code desktop would need xvfb-run): using the VS Code server launcher");
    return { kind: "server" };
  }
  try {
    const te = await import("@vscode/test-electron");
    // Falls back to a cached .vscode-test/vscode-<platform>-<version> when offline; an
    // unreachable update server fails within `timeout` (DNS failure: at once).
    const path = await te.downloadAndUnzipVSCode({
      cachePath: CACHE_ROOT,
      version: process.env.VSCODE_TEST_VERSION || "stable",
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      timeout: 10_000,
    });
    return { kind: "electron", executable: path };
  } catch (err) {
    if (wanted === "electron") throw err;
    o.log(`[host] VS Code desktop not available (${(err as Error)?.message ?? err}): using the VS Code server launcher`);
    return { kind: "server" };
  }
}

/** Runs the test module in VS Code desktop; resolves with its exit code (1 on a timeout). */
export async function runWithTestElectron(o: RunOptions & { workspaceFolder: string }, executable: string): Promise<number> {
  const te = await import("@vscode/test-electron");
  o.log(`[host] launcher: @vscode/test-electron with ${executable}`);
  const run = te
    .runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      extensionTestsPath: o.extensionTestsPath,
      extensionTestsEnv: o.env,
      launchArgs: [o.workspaceFolder, "--disable-extensions", "--disable-gpu"],
    })
    .then(
      (code) => code,
      (err: { name?: string; code?: number }) => {
        // Non-zero exit of VS Code: report 1 for failures, keep other positive codes.
        if (err instanceof te.TestRunFailedError || err?.name === "TestRunFailedError") return (err.code ?? 0) > 0 ? err.code! : 1;
        throw err;
      },
    );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((r) => {
    timer = setTimeout(() => r("timeout"), o.timeoutMs);
  });
  const result = await Promise.race([run, timeout]).finally(() => clearTimeout(timer));
  if (result === "timeout") {
    // test-electron kills VS Code on SIGINT / when this process exits.
    o.log(`[host] TIMEOUT after ${o.timeoutMs} ms (no screenshot on the electron route)`);
    return 1;
  }
  return result;
}
