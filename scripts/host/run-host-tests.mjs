#!/usr/bin/env node
// Runs an extension-host test module (CommonJS, `exports.run = async () => {...}`, the
// same contract as @vscode/test-electron) inside a REAL VS Code, headless.
//
// Two launchers, one test contract:
//  - "electron": @vscode/test-electron's runTests with VS Code desktop. Chosen when
//    VSCODE_EXECUTABLE_PATH is set, or (on a machine with a display) when test-electron
//    can find a cached download or download VS Code; an offline failure falls through
//    at once to the server route.
//  - "server": the VS Code server prepared by ./prepare-vscode-server.mjs (from the npm
//    package code-server), run with Node 24, and its web workbench opened in Debian's
//    /usr/bin/chromium through playwright-core. The workbench runs the test module in the
//    (Node) extension host when `--enable-smoke-test-driver` is given and the URL carries
//    a `payload` with extensionDevelopmentPath/extensionTestsPath; it reports the outcome
//    through window.codeAutomationExit(code) (0 = run() resolved, 1 = it threw) and its
//    log lines through window.codeAutomationLog(level, message).
//
// API:
//   import { runHostTests } from './scripts/host/run-host-tests.mjs'
//   const code = await runHostTests({ extensionDevelopmentPath, extensionTestsPath,
//     workspaceFolder, env, timeoutMs, screenshotDir, disableWorkspaceTrust, onPage })
// CLI:
//   node scripts/host/run-host-tests.mjs --tests <module.js> [--extension <dir>]
//     [--workspace <dir>] [--timeout <ms>] [--screenshots <dir>] [--env KEY=VALUE ...]
//     [--launcher auto|server|electron] [--enable-workspace-trust] [--verbose]
//
// Resolves with the test exit code (0 pass, 1 fail or timeout); rejects only when the
// infrastructure itself could not start (the CLI then exits 2). Server, browser and temp
// folders are always removed, also when the launcher gets SIGINT/SIGTERM.
//
// Environment: VSCODE_HOST_LAUNCHER (auto|server|electron), VSCODE_EXECUTABLE_PATH,
// VSCODE_TEST_VERSION (desktop version for test-electron, default "stable"),
// CHROMIUM_PATH (default /usr/bin/chromium), HOST_TEST_VERBOSE=1 (print server/browser
// output too), HOST_TEST_KEEP_TMP=1 (keep temp folders for debugging).

import { spawn } from 'node:child_process';
import { existsSync, statSync, mkdtempSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareVSCodeServer, ensureNode, REPO_ROOT, CACHE_ROOT } from './prepare-vscode-server.mjs';

export const DEFAULT_SCREENSHOT_DIR = join(REPO_ROOT, 'test-artifacts', 'host');
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Settings that keep an offline test workbench quiet (no gallery, AI or update traffic). */
const QUIET_SETTINGS = {
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'git.enabled': false,
};

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

// ---------------------------------------------------------------------------------------
// Cleanup registry: every resource (process, browser, temp dir) registers its disposer;
// `run()` runs them newest-first exactly once. SIGINT/SIGTERM/SIGHUP trigger it too (then
// exit 130/143); process exit SIGKILLs the server's process group as a last resort.

function createCleanup(log) {
  const tasks = [];
  const syncKills = new Set(); // last-resort synchronous kills for process.on('exit')
  let done;
  const onExit = () => { for (const kill of syncKills) try { kill(); } catch { /* process already gone */ } };
  const onSignal = (signal) => {
    log(`[host] received ${signal}: stopping VS Code server and browser`);
    try { api.onAbort?.(signal); } catch { /* best effort */ }
    const hardStop = setTimeout(() => { onExit(); process.exit(signal === 'SIGINT' ? 130 : 143); }, 8_000);
    hardStop.unref();
    run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  async function run() {
    done ??= (async () => {
      while (tasks.length) {
        const task = tasks.pop();
        try { await task(); } catch (err) { log(`[host] cleanup step failed: ${err?.message ?? err}`); }
      }
      for (const kill of syncKills) try { kill(); } catch { /* process already gone */ }
      process.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    })();
    return done;
  }
  const api = { add: (fn) => tasks.push(fn), addSyncKill: (fn) => syncKills.add(fn), run, onAbort: undefined };
  return api;
}

// ---------------------------------------------------------------------------------------
// Small helpers

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Test module path as VS Code loads it: a directory means its index.js. */
function resolveTestsPath(p) {
  const abs = resolve(p);
  if (existsSync(abs) && statSync(abs).isDirectory()) return join(abs, 'index.js');
  return abs;
}

function stamp() {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Kills a detached child's whole process group: SIGTERM, then SIGKILL after graceMs. */
async function killGroup(child, graceMs = 3_000) {
  if (!child?.pid) return;
  const signalGroup = (sig) => { try { process.kill(-child.pid, sig); } catch { /* process already gone */ } };
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    signalGroup('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  }
  // Also reaps grandchildren (extension host, pty host, processes the extension started)
  // that outlive the server's own exit.
  signalGroup('SIGKILL');
}

/** Splits a stream into lines and hands each to `onLine`. */
function onLines(stream, onLine) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
  });
  stream.on('end', () => { if (buf) onLine(buf); });
}

// ---------------------------------------------------------------------------------------
// Webview helpers for `onPage` callbacks (server route): webviews render as nested
// iframes inside the workbench page.

/**
 * All frames that hold webview content: the inner frame(s) of each webview host iframe
 * (.../webview/browser/pre/index.html). Playwright keeps the frame name given at creation
 * ("pending-frame"), so frames are matched by their parent, not by name.
 */
export function webviewFrames(page) {
  return page.frames().filter((f) => {
    const parent = f.parentFrame();
    return parent && /\/webview\/browser\/pre\/index\.html/.test(parent.url());
  });
}

/** Waits until some webview's content matches `selector`; returns that Playwright Frame. */
export async function findWebviewFrame(page, selector, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of webviewFrames(page)) {
      try { if (await frame.$(selector)) return frame; } catch { /* frame navigated away */ }
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with ${selector} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---------------------------------------------------------------------------------------
// Launcher choice

async function chooseLauncher(o) {
  const wanted = o.launcher;
  if (wanted === 'server') return { kind: 'server' };
  if (!o.disableWorkspaceTrust) {
    // test-electron 3.1.0's runTests always adds --disable-workspace-trust.
    if (wanted === 'electron') throw new Error('disableWorkspaceTrust:false is supported by the server launcher only');
    o.log('[host] workspace trust enabled: using the VS Code server launcher');
    return { kind: 'server' };
  }
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  if (executable) {
    if (!existsSync(executable)) throw new Error(`VSCODE_EXECUTABLE_PATH does not exist: ${executable}`);
    return { kind: 'electron', executable };
  }
  if (wanted === 'auto' && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    o.log('[host] no display (VS Code desktop would need xvfb-run): using the VS Code server launcher');
    return { kind: 'server' };
  }
  try {
    const te = await import('@vscode/test-electron');
    // Falls back to a cached .vscode-test/vscode-<platform>-<version> when offline; an
    // unreachable update server fails within `timeout` (DNS failure: at once).
    const path = await te.downloadAndUnzipVSCode({
      cachePath: CACHE_ROOT,
      version: process.env.VSCODE_TEST_VERSION || 'stable',
      extensionDevelopmentPath: o.extensionDevelopmentPath,
      timeout: 10_000,
    });
    return { kind: 'electron', executable: path };
  } catch (err) {
    if (wanted === 'electron') throw err;
    o.log(`[host] VS Code desktop not available (${err?.message ?? err}): using the VS Code server launcher`);
    return { kind: 'server' };
  }
}

// ---------------------------------------------------------------------------------------
// Route 1: @vscode/test-electron

async function runWithTestElectron(o, executable) {
  const te = await import('@vscode/test-electron');
  o.log(`[host] launcher: @vscode/test-electron with ${executable}`);
  const run = te.runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: o.extensionDevelopmentPath,
    extensionTestsPath: o.extensionTestsPath,
    extensionTestsEnv: o.env,
    launchArgs: [o.workspaceFolder, '--disable-extensions', '--disable-gpu'],
  }).then(
    (code) => code,
    (err) => {
      // Non-zero exit of VS Code: report 1 for failures, keep other positive codes.
      if (err instanceof te.TestRunFailedError || err?.name === 'TestRunFailedError') return err.code > 0 ? err.code : 1;
      throw err;
    },
  );
  let timer;
  const timeout = new Promise((r) => { timer = setTimeout(() => r('timeout'), o.timeoutMs); });
  const result = await Promise.race([run, timeout]).finally(() => clearTimeout(timer));
  if (result === 'timeout') {
    // test-electron kills VS Code on SIGINT / when this process exits.
    o.log(`[host] TIMEOUT after ${o.timeoutMs} ms (no screenshot on the electron route)`);
    return 1;
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Route 2: VS Code server + Chromium

async function runWithVSCodeServer(o, cleanup) {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  const vscodeDir = await prepareVSCodeServer({ log: o.log });
  const { bin: nodeBin } = await ensureNode({ log: o.log });

  const tmpRoot = mkdtempSync(join(tmpdir(), 'vscode-host-test-'));
  cleanup.add(() => (o.keepTmp ? o.log(`[host] kept ${tmpRoot}`) : rm(tmpRoot, { recursive: true, force: true })));
  const dirs = { serverData: join(tmpRoot, 'server-data'), extensions: join(tmpRoot, 'extensions'), profile: join(tmpRoot, 'browser-profile') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // Remote machine settings (server-data-dir/data/Machine/settings.json) apply to the
  // extension host; quiet defaults first, then the caller's `settings`.
  mkdirSync(join(dirs.serverData, 'data', 'Machine'), { recursive: true });
  writeFileSync(join(dirs.serverData, 'data', 'Machine', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...o.settings }, null, 2));
  const workspaceFolder = o.workspaceFolder ?? join(tmpRoot, 'workspace');
  mkdirSync(workspaceFolder, { recursive: true });

  // Transcript kept in memory; written to the artifacts folder when the run fails.
  const transcript = { server: [], browser: [], host: [] };

  // --- start the server (its environment is the extension host's environment) ---
  const port = await freePort();
  const args = [
    join(vscodeDir, 'out', 'server-main.js'),
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms',
    '--enable-smoke-test-driver', '--disable-telemetry',
    ...(o.disableWorkspaceTrust ? ['--disable-workspace-trust'] : []),
    '--server-data-dir', dirs.serverData, '--extensions-dir', dirs.extensions,
  ];
  o.log(`[host] launcher: VS Code server (${basename(dirname(dirname(vscodeDir)))}) on 127.0.0.1:${port}, Node ${nodeBin}`);
  const server = spawn(nodeBin, args, {
    cwd: vscodeDir,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so the whole tree can be killed
  });
  cleanup.addSyncKill(() => process.kill(-server.pid, 'SIGKILL'));
  cleanup.add(() => killGroup(server));

  let serverExited;
  const serverExit = new Promise((r) => server.once('exit', (code, signal) => { serverExited = true; r({ code, signal }); }));
  const ready = new Promise((resolveReady, rejectReady) => {
    const onLine = (line) => {
      transcript.server.push(line);
      if (o.verbose) o.log(`[server] ${line}`);
      if (line.includes('Extension host agent listening on')) resolveReady();
    };
    onLines(server.stdout, onLine);
    onLines(server.stderr, onLine);
    server.once('error', rejectReady);
    serverExit.then(({ code, signal }) => rejectReady(new Error(
      `VS Code server exited before listening (${signal ?? `exit ${code}`}):\n${transcript.server.slice(-30).join('\n')}`)));
    setTimeout(() => rejectReady(new Error(`VS Code server not listening after 60 s:\n${transcript.server.slice(-30).join('\n')}`)), 60_000).unref();
  });
  await ready;
  o.log(`[host] server listening (${secs()})`);

  // --- start Chromium (never downloads a browser: executablePath is Debian's chromium) ---
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const { chromium } = await import('playwright-core');
  if (!existsSync(o.chromiumPath)) throw new Error(`${o.chromiumPath} not found (Debian: apt-get install -y chromium)`);
  const context = await chromium.launchPersistentContext(dirs.profile, {
    executablePath: o.chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, // our cleanup does it
  });
  cleanup.add(() => Promise.race([context.close(), new Promise((r) => setTimeout(r, 5_000))]));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    const line = `${msg.type()}: ${msg.text()}`;
    transcript.browser.push(line);
    if (o.verbose) o.log(`[browser] ${line}`);
  });
  page.on('pageerror', (err) => transcript.browser.push(`pageerror: ${err?.stack ?? err}`));

  // --- wire the smoke-test driver hooks before the workbench loads ---
  let settle;
  const outcome = new Promise((r) => { settle = r; });
  let vscodeLogs = [];
  let finished = false;
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    vscodeLogs = Array.isArray(logs) ? logs : [];
    settle({ kind: 'exit', code: Number(code) || 0 });
  });
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    const line = `${level}: ${message}`;
    transcript.host.push(line);
    if (finished && !o.verbose) return; // shutdown noise after the outcome is known
    if (o.verbose || !QUIET_LOG_LINES.some((re) => re.test(String(message)))) o.log(`[vscode] ${line}`);
  });
  page.on('crash', () => settle({ kind: 'error', message: 'browser page crashed' }));
  cleanup.onAbort = (signal) => settle({ kind: 'aborted', message: `interrupted by ${signal}` });
  serverExit.then(({ code, signal }) => settle({ kind: 'error', message: `VS Code server exited (${signal ?? `exit ${code}`})` }));
  const timer = setTimeout(() => settle({ kind: 'timeout' }), o.timeoutMs);
  cleanup.add(() => clearTimeout(timer));

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${pathToFileURL(p).pathname}`;
  const payload = [
    ['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(o.extensionTestsPath)],
    ['skipWelcome', 'true'],
  ];
  const baseUrl = `http://127.0.0.1:${port}`;
  const url = `${baseUrl}/?folder=${encodeURIComponent(workspaceFolder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  o.log(`[host] opening workbench: folder=${workspaceFolder} tests=${o.extensionTestsPath}`);
  await page.goto(url, { waitUntil: 'domcontentloaded' });

  // --- optional Playwright access for tests that read webview DOM ---
  let onPageResult;
  if (o.onPage) {
    const ctx = { port, baseUrl, workspaceFolder, artifactsDir: o.screenshotDir, log: o.log, webviewFrames, findWebviewFrame };
    onPageResult = Promise.resolve()
      .then(() => o.onPage(page, ctx))
      .then(() => ({ ok: true }), (err) => {
        o.log(`[host] onPage failed: ${err?.stack ?? err}`);
        settle({ kind: 'exit', code: 1, onPageFailed: true });
        return { ok: false };
      });
  }

  const result = await outcome;
  finished = true;
  clearTimeout(timer);
  let code;
  if (result.kind === 'exit') {
    code = result.code;
    if (onPageResult && !result.onPageFailed) {
      // Give a still-running onPage a short grace period; its failure fails the run.
      const r = await Promise.race([onPageResult, new Promise((res) => setTimeout(() => res({ ok: true, pending: true }), 5_000))]);
      if (r.pending) o.log('[host] onPage still running after the test module finished; ignoring it');
      if (!r.ok) code = 1;
    }
    o.log(`[host] test module ${code === 0 ? 'PASSED' : 'FAILED'} (exit code ${code}) in ${secs()}`);
  } else {
    code = 1;
    o.log(result.kind === 'timeout' ? `[host] TIMEOUT after ${o.timeoutMs} ms` : `[host] ERROR: ${result.message}`);
  }

  if (code !== 0 && result.kind !== 'aborted') {
    // Artifacts for debugging: screenshot, server/browser/host transcripts, VS Code logs.
    const dir = join(o.screenshotDir, `${stamp()}-${result.kind === 'timeout' ? 'timeout' : 'failure'}`);
    try {
      mkdirSync(dir, { recursive: true });
      if (!serverExited) await page.screenshot({ path: join(dir, 'screenshot.png'), timeout: 10_000 }).catch((e) => o.log(`[host] screenshot failed: ${e.message}`));
      writeFileSync(join(dir, 'server.log'), transcript.server.join('\n') + '\n');
      writeFileSync(join(dir, 'browser-console.log'), transcript.browser.join('\n') + '\n');
      writeFileSync(join(dir, 'vscode-automation.log'), transcript.host.join('\n') + '\n');
      // Server-side logs, including the remote extension host's own log (remoteexthost.log).
      const serverLogs = join(dirs.serverData, 'data', 'logs');
      if (existsSync(serverLogs)) cpSync(serverLogs, join(dir, 'server-logs'), { recursive: true });
      for (const { relativePath, contents } of vscodeLogs) {
        if (typeof relativePath !== 'string' || relativePath.includes('..')) continue;
        const file = join(dir, 'vscode-logs', relativePath);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, contents ?? '');
      }
      o.log(`[host] artifacts written to ${dir}`);
    } catch (err) {
      o.log(`[host] could not write artifacts: ${err?.message ?? err}`);
    }
  }
  return code;
}

// ---------------------------------------------------------------------------------------
// Public entry point

/**
 * Runs `extensionTestsPath` (a CommonJS module exporting `run()`, or a folder with
 * index.js) in a real VS Code's extension host with `extensionDevelopmentPath` loaded.
 * @param {object} options
 * @param {string} [options.extensionDevelopmentPath] extension folder (default: repo root)
 * @param {string} options.extensionTestsPath test module
 * @param {string} [options.workspaceFolder] folder to open (default: a fresh empty temp folder)
 * @param {Record<string,string>} [options.env] extra environment for the extension host
 * @param {number} [options.timeoutMs] whole-run timeout (default 5 min)
 * @param {string} [options.screenshotDir] where failure artifacts go (default test-artifacts/host)
 * @param {boolean} [options.disableWorkspaceTrust] default true; false keeps workspace trust on (server route)
 * @param {(page: import('playwright-core').Page, ctx: object) => Promise<void>} [options.onPage]
 *        server route only: runs alongside the test module with the workbench page
 * @param {Record<string, unknown>} [options.settings] server route: remote machine settings
 *        (merged over quiet defaults such as chat.disableAIFeatures)
 * @param {string} [options.chromiumPath] default $CHROMIUM_PATH or /usr/bin/chromium
 * @param {'auto'|'server'|'electron'} [options.launcher] default $VSCODE_HOST_LAUNCHER or 'auto'
 * @param {(line: string) => void} [options.log] default console.log
 * @param {boolean} [options.verbose] also print server and browser console output
 * @returns {Promise<number>} 0 when run() resolved, 1 when it threw or timed out
 */
export async function runHostTests(options = {}) {
  if (!options.extensionTestsPath) throw new Error('runHostTests: extensionTestsPath is required');
  const o = {
    extensionDevelopmentPath: resolve(options.extensionDevelopmentPath ?? REPO_ROOT),
    extensionTestsPath: resolveTestsPath(options.extensionTestsPath),
    workspaceFolder: options.workspaceFolder ? resolve(options.workspaceFolder) : undefined,
    env: Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, String(v)])),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    screenshotDir: resolve(options.screenshotDir ?? DEFAULT_SCREENSHOT_DIR),
    disableWorkspaceTrust: options.disableWorkspaceTrust ?? true,
    onPage: options.onPage,
    settings: options.settings ?? {},
    launcher: options.launcher ?? process.env.VSCODE_HOST_LAUNCHER ?? 'auto',
    log: options.log ?? ((line) => console.log(line)),
    verbose: options.verbose ?? process.env.HOST_TEST_VERBOSE === '1',
    keepTmp: process.env.HOST_TEST_KEEP_TMP === '1',
    chromiumPath: options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  };
  if (!['auto', 'server', 'electron'].includes(o.launcher)) throw new Error(`unknown launcher ${o.launcher}`);
  if (!existsSync(join(o.extensionDevelopmentPath, 'package.json'))) throw new Error(`no package.json in ${o.extensionDevelopmentPath}`);
  if (!existsSync(o.extensionTestsPath)) throw new Error(`test module not found: ${o.extensionTestsPath}`);
  if (o.workspaceFolder && !existsSync(o.workspaceFolder)) throw new Error(`workspace folder not found: ${o.workspaceFolder}`);

  const launcher = await chooseLauncher(o);
  if (launcher.kind === 'electron') {
    if (o.onPage) o.log('[host] note: onPage is ignored on the electron launcher');
    let tmpWs;
    if (!o.workspaceFolder) o.workspaceFolder = tmpWs = mkdtempSync(join(tmpdir(), 'vscode-host-ws-'));
    try {
      return await runWithTestElectron(o, launcher.executable);
    } finally {
      if (tmpWs) await rm(tmpWs, { recursive: true, force: true });
    }
  }
  const cleanup = createCleanup(o.log);
  try {
    return await runWithVSCodeServer(o, cleanup);
  } finally {
    await cleanup.run();
  }
}

// ---------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: node scripts/host/run-host-tests.mjs --tests <module.js|dir> [--extension <dir>]
  [--workspace <dir>] [--timeout <ms>] [--screenshots <dir>] [--env KEY=VALUE ...]
  [--launcher auto|server|electron] [--enable-workspace-trust] [--verbose]`;

async function main() {
  const { values } = parseArgs({
    options: {
      extension: { type: 'string' },
      tests: { type: 'string' },
      workspace: { type: 'string' },
      timeout: { type: 'string' },
      screenshots: { type: 'string' },
      env: { type: 'string', multiple: true },
      launcher: { type: 'string' },
      'enable-workspace-trust': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.tests) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const env = {};
  for (const kv of values.env ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new Error(`--env expects KEY=VALUE, got ${kv}`);
    env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return runHostTests({
    extensionDevelopmentPath: values.extension,
    extensionTestsPath: values.tests,
    workspaceFolder: values.workspace,
    timeoutMs: values.timeout ? Number(values.timeout) : undefined,
    screenshotDir: values.screenshots,
    env,
    launcher: values.launcher,
    disableWorkspaceTrust: !values['enable-workspace-trust'],
    verbose: values.verbose,
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[host] ERROR: ${err?.stack ?? err}`);
      process.exit(2);
    },
  );
}
