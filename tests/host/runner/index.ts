// Runs an extension-host test module (CommonJS, `exports.run = async () => {...}`, the same
// contract as @vscode/test-electron) inside a REAL VS Code, headless. Two launchers, one test
// contract: VS Code desktop through test-electron (electron.ts), or the VS Code server in
// headless Chromium (workbench.ts). `npm start` uses the server part too (server.ts).
//
//   const code = await runHostTests({ extensionTestsPath, workspaceFolder, env, onPage, ... })
//
// Resolves with the test exit code (0 pass, 1 fail or timeout); rejects only when the
// infrastructure itself could not start. Server, browser and temp folders are always
// removed, also when the process gets SIGINT/SIGTERM.
//
// Environment: VSCODE_HOST_LAUNCHER (auto|server|electron), VSCODE_EXECUTABLE_PATH,
// VSCODE_TEST_VERSION (desktop version for test-electron, default "stable"), CHROMIUM_PATH
// (default: Debian's chromium, else the npm package's), HOST_TEST_CHROMIUM (npm|debian: see
// chromium.ts), VSCODE_TEST_CACHE (the cache folder, default .vscode-test/),
// HOST_TEST_VERBOSE=1 (print server/browser output too), HOST_TEST_KEEP_TMP=1 (keep temp folders).
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCleanup } from "./cleanup.js";
import { chooseLauncher, runWithTestElectron } from "./electron.js";
import { resolveOptions, type HostTestOptions } from "./options.js";
import { runWithVSCodeServer } from "./workbench.js";

export { findWebviewFrame, webviewFrames } from "./browser.js";
export { DEFAULT_SCREENSHOT_DIR, DEFAULT_TIMEOUT_MS, type HostTestOptions, type PageContext } from "./options.js";

export async function runHostTests(options: HostTestOptions): Promise<number> {
  const o = resolveOptions(options);
  const launcher = await chooseLauncher(o);
  if (launcher.kind === "electron") {
    if (o.onPage) o.log("[host] note: onPage is ignored on the electron launcher");
    const tempWorkspace = o.workspaceFolder ? undefined : mkdtempSync(join(tmpdir(), "vscode-host-ws-"));
    try {
      return await runWithTestElectron({ ...o, workspaceFolder: o.workspaceFolder ?? tempWorkspace! }, launcher.executable);
    } finally {
      if (tempWorkspace) await rm(tempWorkspace, { recursive: true, force: true });
    }
  }
  const cleanup = createCleanup(o.log);
  try {
    return await runWithVSCodeServer(o, cleanup);
  } finally {
    await cleanup.run();
  }
}
