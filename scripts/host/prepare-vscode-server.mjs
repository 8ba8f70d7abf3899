#!/usr/bin/env node
// Prepares (once) and caches a runnable VS Code server, taken from the npm package
// `code-server`, whose `lib/vscode` is a built VS Code server (out/server-main.js, the
// web workbench and the Node extension host).
//
// Why not `npm install code-server`: its postinstall insists on Node 24 and
// `--unsafe-perm`. Instead we `npm pack` it, unpack it, and run `npm install --omit=dev`
// in `package/lib/vscode` ourselves with Node 24 first on PATH and `npm_config_nodedir`
// pointing at Node 24's headers, so native modules (node-pty, spdlog, kerberos, ...) are
// built for Node 24's ABI. `kerberos` builds from source and needs Debian's `libkrb5-dev`.
// Node 24 comes from the project's `node` devDependency; where that is missing, the npm
// package node-<platform>-<arch> (binary + headers) is fetched into the cache instead.
//
// Result: <repo>/.vscode-test/vscode-server-<version>/lib/vscode (about 580 MB, ignored).
// Idempotent: a marker file inside the folder says it is complete; everything is built in
// a temp folder beside it and renamed into place at the very end, so an interrupted
// prepare never looks complete.
//
// Usage:  node scripts/host/prepare-vscode-server.mjs [--force]
//   or    import { prepareVSCodeServer } from './prepare-vscode-server.mjs'
//         const vscodeDir = await prepareVSCodeServer({ log: console.log })
//
// Environment overrides (all optional):
//   CODE_SERVER_VERSION   code-server version to use (default 4.139.1)
//   VSCODE_SERVER_NODE    Node 24 binary to build with and run the server with
//   VSCODE_SERVER_NODE_VERSION  Node fetched from the registry when no Node 24 is
//                         installed (default 24.9.0, npm package node-<platform>-<arch>)

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, createWriteStream } from 'node:fs';
import { mkdir, rm, rename, writeFile, readFile } from 'node:fs/promises';
import { dirname, join, resolve, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, resolved from this file's location (scripts/host/..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Cache folder shared with @vscode/test-electron's default (ignored by git). */
export const CACHE_ROOT = join(REPO_ROOT, '.vscode-test');
export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || '4.139.1';
/** Node major version the code-server build targets (its engines field says 24). */
export const REQUIRED_NODE_MAJOR = 24;
/** Node fetched from the registry when no Node 24 is installed (matches the devDependency). */
export const FALLBACK_NODE_VERSION = process.env.VSCODE_SERVER_NODE_VERSION || '24.9.0';
const MARKER = '.prepared.json';

/** Folder of a prepared code-server package for `version`. */
export function serverRoot(version = CODE_SERVER_VERSION) {
  return join(CACHE_ROOT, `vscode-server-${version}`);
}

/** True when a completed prepare for `version` is cached. */
export function isPrepared(version = CODE_SERVER_VERSION) {
  return existsSync(join(serverRoot(version), MARKER));
}

function nodeVersionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Finds a Node binary of the required major version: $VSCODE_SERVER_NODE, then the
 * project's `node` devDependency (npm package node@24), then the Node running this
 * script, then `node` on PATH, then one fetched earlier by `ensureNode` into the cache.
 * Returns { bin, version } (version like 'v24.9.0'), or throws listing what it tried.
 */
export function findNode({ major = REQUIRED_NODE_MAJOR, candidates } = {}) {
  candidates ??= [
    process.env.VSCODE_SERVER_NODE,
    join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node'),
    join(REPO_ROOT, 'node_modules', '.bin', 'node'),
    process.execPath,
    'node',
    join(nodeDistDir(FALLBACK_NODE_VERSION), 'bin', 'node'),
  ];
  const seen = [];
  for (const bin of candidates.filter(Boolean)) {
    if (bin !== 'node' && !existsSync(bin)) continue;
    const version = nodeVersionOf(bin);
    seen.push(`${bin}: ${version ?? 'not runnable'}`);
    if (version && version.startsWith(`v${major}.`)) return { bin, version };
  }
  throw new Error(`No Node ${major} binary found (needed by the VS Code server). Tried:\n  ${seen.join('\n  ') || '(none exist)'}`);
}

/**
 * Like findNode, but when no Node of the required major is installed, fetches one from
 * the npm registry (package node-<platform>-<arch>@FALLBACK_NODE_VERSION, which carries
 * bin/node and include/node) into the cache. This keeps the server route working even
 * where npm skipped the `node` devDependency's install script.
 */
export async function ensureNode({ log = console.log, candidates } = {}) {
  try {
    return findNode({ candidates });
  } catch (err) {
    log(`[prepare] ${err.message}`);
    log(`[prepare] fetching Node ${FALLBACK_NODE_VERSION} from the npm registry instead`);
    const dir = await ensureNodeDist(`v${FALLBACK_NODE_VERSION}`, { withBinary: true, log });
    return findNode({ candidates: [join(dir, 'bin', 'node')] });
  }
}

/** Reads NODE_MAJOR/MINOR/PATCH_VERSION from <dir>/include/node/node_version.h. */
function headersVersion(dir) {
  const file = join(dir, 'include', 'node', 'node_version.h');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const num = (name) => text.match(new RegExp(`#define ${name}\\s+(\\d+)`))?.[1];
  return `v${num('NODE_MAJOR_VERSION')}.${num('NODE_MINOR_VERSION')}.${num('NODE_PATCH_VERSION')}`;
}

/** Runs a command, streaming its output to `logFile`; rejects with the log's tail. */
function run(cmd, args, { cwd, env, logFile, heartbeat, log }) {
  return new Promise((resolvePromise, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    out.write(`\n$ ${cmd} ${args.join(' ')}   (in ${cwd})\n`);
    // Own process group, so an interrupted prepare can stop npm and its compilers too.
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const onSignal = (signal) => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* process already gone */ }
      // Sole listener: keep the default behaviour (exit) that this listener replaced.
      if (process.listenerCount(signal) === 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    const onExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* process already gone */ } };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, onSignal);
    process.on('exit', onExit);
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const started = Date.now();
    const timer = heartbeat
      ? setInterval(() => log(`  ... ${heartbeat} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000)
      : undefined;
    const finish = (err) => {
      clearInterval(timer);
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(sig, onSignal);
      process.off('exit', onExit);
      out.end(() => (err ? reject(err) : resolvePromise()));
    };
    child.on('error', finish);
    child.on('close', (code, signal) => {
      if (code === 0) return finish();
      let tail = '';
      try {
        tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      } catch { /* no log to quote */ }
      finish(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); log ${logFile}:\n${tail}`));
    });
  });
}

/** Removes temp folders of earlier prepares whose process is gone. */
async function removeStaleTemps(log) {
  if (!existsSync(CACHE_ROOT)) return;
  for (const name of readdirSync(CACHE_ROOT)) {
    const m = name.match(/^\.tmp-(?:vscode-server|node-dist)-.*-(\d+)$/);
    if (!m) continue;
    let alive = false;
    try {
      process.kill(Number(m[1]), 0);
      alive = true;
    } catch { /* no such process: the temp folder is stale */ }
    if (!alive) {
      log(`[prepare] removing leftover ${name}`);
      await rm(join(CACHE_ROOT, name), { recursive: true, force: true });
    }
  }
}

/** Cache folder for the npm package node-<platform>-<arch>@<version> (unpacked). */
function nodeDistDir(version) {
  return join(CACHE_ROOT, `node-v${version.replace(/^v/, '')}-${process.platform}-${process.arch}`);
}

/**
 * Unpacks `npm pack node-<platform>-<arch>@<version>` into .vscode-test/node-v<version>-
 * <platform>-<arch>/: include/ always, bin/ only when `withBinary` (it is 120 MB).
 */
async function ensureNodeDist(nodeVersion, { withBinary = false, log = console.log } = {}) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = nodeDistDir(nodeVersion);
  const hasBinary = existsSync(join(dir, 'bin', 'node'));
  if (headersVersion(dir) === nodeVersion && (!withBinary || hasBinary)) return dir;

  log(`[prepare] fetching Node ${nodeVersion} ${withBinary ? 'binary and headers' : 'headers'} (npm pack ${pkg}@${nodeVersion.slice(1)})`);
  await mkdir(CACHE_ROOT, { recursive: true });
  const tmp = join(CACHE_ROOT, `.tmp-node-dist-${nodeVersion}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const logFile = join(tmp, 'prepare.log');
    await run('npm', ['pack', `${pkg}@${nodeVersion.slice(1)}`, '--pack-destination', tmp], {
      cwd: tmp, env: process.env, logFile, log,
    });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    const parts = ['package/include', ...(withBinary || hasBinary ? ['package/bin'] : [])];
    await run('tar', ['-xzf', tgz, ...parts], { cwd: tmp, env: process.env, logFile, log });
    if (headersVersion(join(tmp, 'package')) !== nodeVersion) throw new Error(`${pkg} tarball has no matching headers`);
    await rm(dir, { recursive: true, force: true });
    await rename(join(tmp, 'package'), dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Returns a folder holding `include/node` headers of exactly `nodeVersion`: next to the
 * binary, in node_modules (npm package node-<platform>-<arch>), or in the cache (fetched
 * with `npm pack node-<platform>-<arch>@<version>` when missing).
 */
export async function ensureNodeHeaders(nodeBin, nodeVersion, { log = console.log } = {}) {
  const pkg = `node-${process.platform}-${process.arch}`;
  const candidates = [
    resolve(dirname(nodeBin), '..'),
    join(REPO_ROOT, 'node_modules', pkg),
    join(REPO_ROOT, 'node_modules', 'node', 'node_modules', pkg),
    nodeDistDir(nodeVersion),
  ];
  for (const dir of candidates) if (headersVersion(dir) === nodeVersion) return dir;
  return ensureNodeDist(nodeVersion, { log });
}

/** Warns early when kerberos (built from source) will miss its system headers. */
function checkSystemDeps(log) {
  if (process.platform !== 'linux') return;
  const krb = ['/usr/include/gssapi/gssapi.h', '/usr/include/gssapi.h', '/usr/include/krb5.h'];
  if (!krb.some((f) => existsSync(f))) {
    log('[prepare] WARNING: Kerberos headers not found; the native module "kerberos" will fail to build.');
    log('[prepare]          On Debian/Ubuntu: apt-get install -y libkrb5-dev');
  }
}

/**
 * Prepares the VS Code server once and returns the absolute path of its `lib/vscode`
 * folder (holding out/server-main.js). Cheap when already prepared.
 */
export async function prepareVSCodeServer({ log = console.log, version = CODE_SERVER_VERSION, force = false } = {}) {
  const root = serverRoot(version);
  const vscodeDir = join(root, 'lib', 'vscode');
  await removeStaleTemps(log);
  if (!force && isPrepared(version)) {
    log(`[prepare] VS Code server ${version} already prepared: ${vscodeDir}`);
    return vscodeDir;
  }
  const started = Date.now();
  const secs = () => `${Math.round((Date.now() - started) / 1000)} s`;
  log(`[prepare] preparing VS Code server from code-server@${version} into ${root}`);
  await mkdir(CACHE_ROOT, { recursive: true });
  checkSystemDeps(log);

  const { bin: nodeBin, version: nodeVersion } = await ensureNode({ log });
  log(`[prepare] using Node ${nodeVersion}: ${nodeBin}`);
  const nodedir = await ensureNodeHeaders(nodeBin, nodeVersion, { log });
  log(`[prepare] Node headers: ${nodedir}/include/node`);

  const tmp = join(CACHE_ROOT, `.tmp-vscode-server-${version}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const logFile = join(tmp, 'prepare.log');
  // Node 24 first on PATH (so `npm`, node-gyp and install scripts run under Node 24) and
  // its headers as nodedir (this overrides any `nodedir` in ~/.npmrc).
  const env = {
    ...process.env,
    PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodedir,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  try {
    log(`[prepare] npm pack code-server@${version} (47 MB) ... (log: ${logFile})`);
    await run('npm', ['pack', `code-server@${version}`, '--pack-destination', tmp], { cwd: tmp, env, logFile, log });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    log(`[prepare] unpacking ${tgz} (${secs()})`);
    await run('tar', ['-xzf', tgz], { cwd: tmp, env, logFile, log });
    await rm(join(tmp, tgz), { force: true });
    const pkgDir = join(tmp, 'package');
    const tmpVscode = join(pkgDir, 'lib', 'vscode');
    if (!existsSync(join(tmpVscode, 'out', 'server-main.js'))) throw new Error('code-server package has no lib/vscode/out/server-main.js');

    // lib/vscode's package.json lists the dependencies whose install scripts may run
    // (its "allowScripts" field, honoured by npm >= 11.x). About 2 minutes on 2 cores.
    log(`[prepare] npm install --omit=dev in lib/vscode (builds native modules, ~2-3 min) (${secs()})`);
    await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: tmpVscode, env, logFile, log, heartbeat: 'still installing lib/vscode dependencies',
    });
    // Built-in extensions share one dependency (typescript); code-server installs it too.
    log(`[prepare] npm install --omit=dev in lib/vscode/extensions (${secs()})`);
    await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: join(tmpVscode, 'extensions'), env, logFile, log, heartbeat: 'still installing built-in extension dependencies',
    });

    // Smoke check: a native module must load under Node 24.
    await run(nodeBin, ['-e', "require('@vscode/spdlog'); require('node-pty'); require('kerberos')"], {
      cwd: tmpVscode, env, logFile, log,
    });

    await writeFile(
      join(pkgDir, MARKER),
      JSON.stringify({ codeServer: version, node: nodeVersion, preparedAt: new Date().toISOString() }, null, 2) + '\n',
    );
    await rename(logFile, join(pkgDir, 'prepare.log'));
    if (existsSync(root)) {
      if (!force && isPrepared(version)) {
        // Another prepare finished first: keep its result.
        log('[prepare] another process completed the prepare meanwhile; discarding this copy');
        return vscodeDir;
      }
      await rm(root, { recursive: true, force: true });
    }
    await rename(pkgDir, root);
    log(`[prepare] done in ${secs()}: ${vscodeDir}`);
    return vscodeDir;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Reads the marker of a prepared server (codeServer / node versions), if any. */
export async function preparedInfo(version = CODE_SERVER_VERSION) {
  try {
    return JSON.parse(await readFile(join(serverRoot(version), MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

// Run when executed directly.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  prepareVSCodeServer({ force: process.argv.includes('--force') }).then(
    (dir) => console.log(dir),
    (err) => {
      console.error(`[prepare] FAILED: ${err?.stack ?? err}`);
      process.exit(1);
    },
  );
}
