#!/usr/bin/env node
// `npm start`: build, scaffold a lab workspace, and open VS Code on it with this extension
// loaded from the repo (development mode on the desktop route).
//
//  1. node scripts/build.mjs
//  2. node dist/cli.cjs scaffold .cache/start-workspace/lab   (once; reused afterwards)
//  3. VS Code desktop when there is one (`code` on PATH, or VSCODE_EXECUTABLE_PATH):
//       code --extensionDevelopmentPath=<repo> <workspace>
//     otherwise the VS Code server prepared by scripts/host/prepare-vscode-server.mjs,
//     on 127.0.0.1, opened in a browser at the printed URL. Runs until Ctrl-C, then stops
//     the server (and a lab the extension left running in the workspace).
//
// On the server route the extension is the repo itself, symlinked into the server's
// extensions folder as <publisher>.<name>-<version>. That folder lives in the OS temp
// folder, not under .cache/, so no file watcher or glob in the repo meets a link back to
// the repo root. Why a link and not development mode:
// the server ignores --extensionDevelopmentPath (only the web client decides, from the
// URL's `payload`), and the web client honours that payload only with
// --enable-smoke-test-driver, which also hides every notification toast. So it runs as an
// installed extension whose files are the repo's: after a rebuild (`npm run watch`),
// "Developer: Reload Window" in the browser loads the new bundles.
//
// Usage: node scripts/start.mjs [--server | --desktop] [--port N] [--trust] [--verbose]
//   --server / --desktop  force a route (default: desktop when available)
//   --port N              server port (default: $PORT, else a free port)
//   --trust               keep workspace trust on (default: off for this scaffolded lab)
//   --verbose             print the server's output (always in .cache/start-workspace/server.log)

import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync,
  symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './host/run-host-tests.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_DIR = join(REPO_ROOT, '.cache', 'start-workspace');
const WORKSPACE = join(START_DIR, 'lab');

const log = (line) => console.log(`[start] ${line}`);

function runOrExit(cmd, args, what) {
  log(what);
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[start] ${what} failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

function build() {
  runOrExit(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs')], 'building (node scripts/build.mjs)');
}

function scaffold() {
  if (existsSync(join(WORKSPACE, 'idempotency-lab.json'))) {
    log(`reusing the lab workspace ${WORKSPACE}`);
    return;
  }
  mkdirSync(dirname(WORKSPACE), { recursive: true });
  runOrExit(process.execPath, [join(REPO_ROOT, 'dist', 'cli.cjs'), 'scaffold', WORKSPACE], `scaffolding ${WORKSPACE}`);
}

/** `name` on PATH (with PATHEXT on Windows), or undefined. */
function onPath(name) {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const file = join(dir, name + ext);
      try {
        if (statSync(file).isFile()) return file;
      } catch { /* not here */ }
    }
  }
  return undefined;
}

/** VS Code desktop to launch: VSCODE_EXECUTABLE_PATH, else `code` where it can open a window. */
function findDesktop() {
  const exe = process.env.VSCODE_EXECUTABLE_PATH;
  if (exe) {
    if (!existsSync(exe)) throw new Error(`VSCODE_EXECUTABLE_PATH does not exist: ${exe}`);
    return exe;
  }
  const code = onPath('code');
  if (!code) return undefined;
  // On Linux without a display, `code` can only work as the remote CLI of a VS Code window.
  const canShow = process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.env.VSCODE_IPC_HOOK_CLI;
  return canShow ? code : undefined;
}

function startDesktop(executable, { trust }) {
  const args = [`--extensionDevelopmentPath=${REPO_ROOT}`, ...(trust ? [] : ['--disable-workspace-trust']), WORKSPACE];
  log(`opening VS Code desktop: ${executable} ${args.join(' ')}`);
  const child = spawn(executable, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('error', (err) => {
    console.error(`[start] could not start ${executable}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}


/** Quiet defaults for an offline workbench; written once, then the user's to change. */
const MACHINE_SETTINGS = {
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  // The lab folder sits inside this repo's git checkout: do not offer to open that.
  'git.openRepositoryInParentFolders': 'never',
  // Open the lab's README instead of the Welcome page.
  'workbench.startupEditor': 'readme',
};

/**
 * Links the repo into `extensionsDir` as <publisher>.<name>-<version> (replacing links or
 * copies of other versions) and makes sure the server's extensions.json / .obsolete do not
 * hide it. Returns the extension id.
 */
function linkExtension(extensionsDir) {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`;
  const folder = `${id}-${pkg.version}`;
  const lstat = (p) => { try { return lstatSync(p); } catch { return undefined; } };
  for (const name of readdirSync(extensionsDir)) {
    if (name === folder || !name.toLowerCase().startsWith(`${id.toLowerCase()}-`)) continue;
    const p = join(extensionsDir, name);
    if (lstat(p)?.isSymbolicLink()) unlinkSync(p); // the link only, never the repo
    else rmSync(p, { recursive: true, force: true }); // a copy installed from a VSIX
  }
  const link = join(extensionsDir, folder);
  const st = lstat(link);
  if (st && !(st.isSymbolicLink() && resolve(extensionsDir, readlinkSync(link)) === REPO_ROOT)) {
    if (st.isSymbolicLink()) unlinkSync(link);
    else rmSync(link, { recursive: true, force: true });
  }
  if (!lstat(link)) symlinkSync(REPO_ROOT, link, process.platform === 'win32' ? 'junction' : 'dir');

  // extensions.json lists what the server loads; without it the server scans the folder
  // and writes a new one. Drop it when it does not name our link.
  const manifest = join(extensionsDir, 'extensions.json');
  if (existsSync(manifest)) {
    let ok = false;
    try {
      const entries = JSON.parse(readFileSync(manifest, 'utf8'));
      const ours = entries.filter((e) => e?.identifier?.id?.toLowerCase() === id.toLowerCase());
      ok = ours.length === 1 && ours[0].relativeLocation === folder;
    } catch { /* unreadable: rebuild it */ }
    if (!ok) rmSync(manifest, { force: true });
  }
  // .obsolete marks folders to delete at start-up (an "Uninstall" in the UI).
  const obsolete = join(extensionsDir, '.obsolete');
  if (existsSync(obsolete)) {
    try {
      const marks = JSON.parse(readFileSync(obsolete, 'utf8'));
      if (marks[folder]) {
        delete marks[folder];
        writeFileSync(obsolete, JSON.stringify(marks));
      }
    } catch {
      rmSync(obsolete, { force: true });
    }
  }
  return id;
}

async function startServer({ port, trust, verbose }) {
  const { prepareVSCodeServer, ensureNode } = await import('./host/prepare-vscode-server.mjs');
  const vscodeDir = await prepareVSCodeServer({ log });
  const { bin: nodeBin, version: nodeVersion } = await ensureNode({ log });

  const repoKey = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
  const dirs = {
    serverData: join(START_DIR, 'server-data'),
    extensions: join(tmpdir(), `restate-idempotency-lab-start-${repoKey}`, 'extensions'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const machineSettings = join(dirs.serverData, 'data', 'Machine', 'settings.json');
  if (!existsSync(machineSettings)) {
    mkdirSync(dirname(machineSettings), { recursive: true });
    writeFileSync(machineSettings, JSON.stringify(MACHINE_SETTINGS, null, 2) + '\n');
  }
  const extensionId = linkExtension(dirs.extensions);

  port ??= process.env.PORT ? Number(process.env.PORT) : await freePort();
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad port: ${port}`);
  const logFile = join(START_DIR, 'server.log');
  const logOut = createWriteStream(logFile, { flags: 'w' });
  const args = [
    join(vscodeDir, 'out', 'server-main.js'),
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', '--accept-server-license-terms', '--disable-telemetry',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--server-data-dir', dirs.serverData, '--extensions-dir', dirs.extensions,
  ];
  log(`starting the VS Code server with Node ${nodeVersion} on 127.0.0.1:${port} (log: ${logFile})`);
  const server = spawn(nodeBin, args, { cwd: vscodeDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  // --- stopping: the server's whole process group (extension host, pty host, ...) ---
  let stopping;
  const killGroup = (sig) => { try { process.kill(-server.pid, sig); } catch { /* already gone */ } };
  const exited = new Promise((r) => server.once('exit', (code, signal) => r({ code, signal })));
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);
  async function stop(reason, exitCode) {
    stopping ??= (async () => {
      log(`${reason}: stopping the VS Code server`);
      if (server.exitCode === null && server.signalCode === null) {
        killGroup('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      }
      killGroup('SIGKILL'); // also what outlived the server itself
      // A lab the extension started in this workspace and left behind (stale or running).
      if (existsSync(join(WORKSPACE, '.lab', 'stack.json'))) {
        spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.cjs'), 'down', WORKSPACE], { stdio: 'inherit', timeout: 30_000 });
      }
      logOut.end();
      process.exit(exitCode);
    })();
    return stopping;
  }
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) process.on(sig, () => stop(`received ${sig}`, code));

  // --- wait for it to listen ---
  const tail = [];
  await new Promise((resolveReady, rejectReady) => {
    let buf = '';
    const onData = (chunk) => {
      logOut.write(chunk);
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (verbose) console.log(`[server] ${line}`);
        if (line.includes('Extension host agent listening on')) resolveReady();
      }
    };
    server.stdout.setEncoding('utf8').on('data', onData);
    server.stderr.setEncoding('utf8').on('data', onData);
    server.once('error', rejectReady);
    exited.then(({ code, signal }) => rejectReady(new Error(`the VS Code server exited (${signal ?? `exit ${code}`}):\n${tail.join('\n')}`)));
    setTimeout(() => rejectReady(new Error(`the VS Code server is not listening after 90 s:\n${tail.join('\n')}`)), 90_000).unref();
  }).catch(async (err) => {
    console.error(`[start] ${err.message}`);
    await stop('start-up failed', 1);
  });

  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE).replace(/%2F/g, '/')}`;
  const rule = '-'.repeat(78);
  console.log([
    '', rule,
    '  VS Code in the browser, with the lab workspace and this extension:', '',
    `  ${url}`, '',
    `  workspace: ${WORKSPACE}`,
    `  extension: ${extensionId}, linked to ${REPO_ROOT}`,
    '  after a rebuild (npm run watch): "Developer: Reload Window" in the browser',
    '  Ctrl-C stops the server.',
    rule, '',
  ].join('\n'));

  exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[start] the VS Code server exited on its own (${signal ?? `exit ${code}`}); last lines:\n${tail.join('\n')}`);
    stop('server gone', 1);
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      server: { type: 'boolean' },
      desktop: { type: 'boolean' },
      port: { type: 'string' },
      trust: { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
  });
  if (values.server && values.desktop) throw new Error('--server and --desktop exclude each other');
  build();
  scaffold();
  const desktop = values.server ? undefined : findDesktop();
  if (desktop) return startDesktop(desktop, { trust: values.trust });
  if (values.desktop) throw new Error('no VS Code desktop found: put `code` on PATH or set VSCODE_EXECUTABLE_PATH');
  log('no VS Code desktop (`code` on PATH or VSCODE_EXECUTABLE_PATH): using the VS Code server in the browser');
  await startServer({ port: values.port ? Number(values.port) : undefined, trust: values.trust, verbose: values.verbose });
}

main().catch((err) => {
  console.error(`[start] ERROR: ${err?.message ?? err}`);
  process.exit(1);
});
