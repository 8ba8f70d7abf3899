// The VS Code server route: the server (server.ts) and its web workbench in headless Chromium
// (chromium.ts chooses it, browser.ts drives it). The workbench runs the test module in its (Node) extension host when the server
// has `--enable-smoke-test-driver` and the URL carries a `payload` with extensionDevelopmentPath
// and extensionTestsPath; it reports the outcome through window.codeAutomationExit(code)
// (0 = run() resolved, 1 = it threw) and its log lines through window.codeAutomationLog.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort } from "../../../src/lab/ports.js";
import { sleep } from "../../../src/lab/poll.js";
import { writeArtifacts, type Transcript } from "./artifacts.js";
import { findWebviewFrame, launchChromium, webviewFrames } from "./browser.js";
import { resolveChromium } from "./chromium.js";
import type { Cleanup } from "./cleanup.js";
import type { PageContext, RunOptions } from "./options.js";
import { OFFLINE_SETTINGS, startVSCodeServer } from "./server.js";

/** A quiet test workbench: offline, and nothing on screen but what the tests open. */
const QUIET_SETTINGS = { ...OFFLINE_SETTINGS, "workbench.startupEditor": "none", "workbench.tips.enabled": false, "git.enabled": false };

/** Workbench log lines not printed unless verbose (routine start-up and offline noise). */
const QUIET_LOG_LINES = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^\[(AgentHost|AccountPolicyGate|ChatModelSelection)\b/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\] registration/,
  /ENOTFOUND open-vsx\.org/,
];

type Outcome = { kind: "exit"; code: number; onPageFailed?: boolean } | { kind: "timeout" } | { kind: "error" | "aborted"; message: string };

export async function runWithVSCodeServer(o: RunOptions, cleanup: Cleanup): Promise<number> {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const tmpRoot = mkdtempSync(join(tmpdir(), "vscode-host-test-"));
  cleanup.add(() => (o.keepTmp ? o.log(`[host] kept ${tmpRoot}`) : rm(tmpRoot, { recursive: true, force: true })));
  const dirs = { serverData: join(tmpRoot, "server-data"), extensions: join(tmpRoot, "extensions"), profile: join(tmpRoot, "browser-profile") };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // Remote machine settings (server-data-dir/data/Machine/settings.json) apply to the
  // extension host; quiet defaults first, then the caller's `settings`.
  mkdirSync(join(dirs.serverData, "data", "Machine"), { recursive: true });
  writeFileSync(join(dirs.serverData, "data", "Machine", "settings.json"), JSON.stringify({ ...QUIET_SETTINGS, ...o.settings }, null, 2));
  const workspaceFolder = o.workspaceFolder ?? join(tmpRoot, "workspace");
  mkdirSync(workspaceFolder, { recursive: true });

  // Kept in memory; written to the artifacts folder when the run fails.
  const transcript: Transcript = { server: [], browser: [], host: [] };

  const port = await freePort();
  const server = await startVSCodeServer({
    port,
    serverDataDir: dirs.serverData,
    extensionsDir: dirs.extensions,
    workspaceTrust: !o.disableWorkspaceTrust,
    args: ["--enable-smoke-test-driver"],
    env: { ...process.env, ...o.env },
    log: o.log,
    onLine: (line) => {
      transcript.server.push(line);
      if (o.verbose) o.log(`[server] ${line}`);
    },
    onSpawned: (spawned) => {
      cleanup.addSyncKill(spawned.killNow);
      cleanup.add(() => spawned.stop(3_000));
    },
  });
  let serverExited = false;
  void server.exited.then(() => (serverExited = true));
  o.log(`[host] server listening (${secs()})`);

  const chromium = await resolveChromium({ explicit: o.chromiumPath, log: o.log });
  const browser = await launchChromium(chromium, dirs.profile, (line) => {
    transcript.browser.push(line);
    if (o.verbose) o.log(`[browser] ${line}`);
  });
  cleanup.add(browser.close);
  const page = browser.page;

  // The smoke-test driver's hooks, wired before the workbench loads.
  let settle!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((r) => (settle = r));
  let vscodeLogs: Array<{ relativePath?: unknown; contents?: string }> = [];
  let finished = false;
  await page.exposeFunction("codeAutomationExit", (code: unknown, logs: unknown) => {
    vscodeLogs = Array.isArray(logs) ? logs : [];
    settle({ kind: "exit", code: Number(code) || 0 });
  });
  await page.exposeFunction("codeAutomationLog", (level: string, message: unknown) => {
    const line = `${level}: ${message}`;
    transcript.host.push(line);
    if (finished && !o.verbose) return; // shutdown noise after the outcome is known
    if (o.verbose || !QUIET_LOG_LINES.some((re) => re.test(String(message)))) o.log(`[vscode] ${line}`);
  });
  page.on("crash", () => settle({ kind: "error", message: "browser page crashed" }));
  cleanup.onAbort = (signal) => settle({ kind: "aborted", message: `interrupted by ${signal}` });
  void server.exited.then(({ code, signal }) => settle({ kind: "error", message: `VS Code server exited (${signal ?? `exit ${code}`})` }));
  const timer = setTimeout(() => settle({ kind: "timeout" }), o.timeoutMs);
  cleanup.add(() => clearTimeout(timer));

  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${pathToFileURL(p).pathname}`;
  const payload = [
    ["extensionDevelopmentPath", remote(o.extensionDevelopmentPath)],
    ["extensionTestsPath", remote(o.extensionTestsPath)],
    ["skipWelcome", "true"],
  ];
  const baseUrl = `http://127.0.0.1:${port}`;
  o.log(`[host] opening workbench: folder=${workspaceFolder} tests=${o.extensionTestsPath}`);
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(workspaceFolder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, {
    waitUntil: "domcontentloaded",
  });

  // Playwright access for tests that read a webview's DOM; its failure fails the run.
  let onPageResult: Promise<{ ok: boolean; pending?: boolean }> | undefined;
  if (o.onPage) {
    const ctx: PageContext = { port, baseUrl, workspaceFolder, artifactsDir: o.screenshotDir, log: o.log, webviewFrames, findWebviewFrame };
    const onPage = o.onPage;
    onPageResult = Promise.resolve()
      .then(() => onPage(page, ctx))
      .then(
        () => ({ ok: true }),
        (err: unknown) => {
          o.log(`[host] onPage failed: ${(err as Error)?.stack ?? err}`);
          settle({ kind: "exit", code: 1, onPageFailed: true });
          return { ok: false };
        },
      );
  }

  const result = await outcome;
  finished = true;
  clearTimeout(timer);
  let code: number;
  if (result.kind === "exit") {
    code = result.code;
    if (onPageResult && !result.onPageFailed) {
      // Give a still-running onPage a short grace period; its failure fails the run.
      const r = await Promise.race([onPageResult, sleep(5_000).then(() => ({ ok: true, pending: true }))]);
      if (r.pending) o.log("[host] onPage still running after the test module finished; ignoring it");
      if (!r.ok) code = 1;
    }
    o.log(`[host] test module ${code === 0 ? "PASSED" : "FAILED"} (exit code ${code}) in ${secs()}`);
  } else {
    code = 1;
    o.log(result.kind === "timeout" ? `[host] TIMEOUT after ${o.timeoutMs} ms` : `[host] ERROR: ${result.message}`);
  }

  if (code !== 0 && result.kind !== "aborted") {
    await writeArtifacts({
      dir: o.screenshotDir,
      kind: result.kind === "timeout" ? "timeout" : "failure",
      page: serverExited ? undefined : page,
      transcript,
      serverDataDir: dirs.serverData,
      vscodeLogs,
      log: o.log,
    });
  }
  return code;
}
