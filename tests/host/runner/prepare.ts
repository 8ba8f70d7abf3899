// Prepares (once) and caches a runnable VS Code server, taken from the npm package
// `code-server`, whose `lib/vscode` is a built VS Code server (out/server-main.js, the web
// workbench and the Node extension host).
//
// Why not `npm install code-server`: its postinstall insists on Node 24 and `--unsafe-perm`.
// Instead we `npm pack` it, unpack it, and run `npm install --omit=dev` in
// `package/lib/vscode` ourselves with Node 24 first on PATH and `npm_config_nodedir` pointing
// at Node 24's headers, so native modules (node-pty, spdlog, ...) are built for Node 24's ABI.
// Node 24 comes from node24.ts. `kerberos` and `@vscode/sqlite3` are not built (see
// skipUnusedBuilds): a prepare needs no system headers beyond the compiler's, and less time.
//
// Result: <repo>/.vscode-test/vscode-server-<version>/lib/vscode (about 580 MB, ignored).
// Idempotent: a marker file inside the folder says it is complete; everything is built in a
// temp folder beside it and renamed into place at the very end, so an interrupted prepare
// never looks complete.
//
// Usage:  node --import tsx tests/host/runner/prepare.ts [--force]
//   or    const vscodeDir = await prepareVSCodeServer({ log: console.log })
//
// Environment overrides (all optional):
//   VSCODE_TEST_CACHE     the cache folder (default <repo>/.vscode-test; see node24.ts)
//   CODE_SERVER_VERSION   code-server version to use (default 4.139.1)
//   VSCODE_SERVER_NODE    Node 24 binary to build with and run the server with
//   VSCODE_SERVER_NODE_VERSION  Node fetched from the registry when no Node 24 is
//                         installed (default 24.9.0, npm package node-<platform>-<arch>)
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CACHE_ROOT, ensureNode, ensureNodeHeaders, type Log } from "./node24.js";
import { runLogged } from "./run-logged.js";

export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION || "4.139.1";
const MARKER = ".prepared.json";

/** Folder of a prepared code-server package for `version`. */
export function serverRoot(version = CODE_SERVER_VERSION): string {
  return join(CACHE_ROOT, `vscode-server-${version}`);
}

/** True when a completed prepare for `version` is cached. */
export function isPrepared(version = CODE_SERVER_VERSION): boolean {
  return existsSync(join(serverRoot(version), MARKER));
}

/** Reads the marker of a prepared server (codeServer / node versions), if any. */
export async function preparedInfo(version = CODE_SERVER_VERSION): Promise<{ codeServer: string; node: string; preparedAt: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(serverRoot(version), MARKER), "utf8")) as { codeServer: string; node: string; preparedAt: string };
  } catch {
    return undefined;
  }
}

/**
 * Prepares the VS Code server once and returns the absolute path of its `lib/vscode` folder
 * (holding out/server-main.js). Cheap when already prepared.
 */
export async function prepareVSCodeServer({
  log = console.log,
  version = CODE_SERVER_VERSION,
  force = false,
}: { log?: Log; version?: string; force?: boolean } = {}): Promise<string> {
  const root = serverRoot(version);
  const vscodeDir = join(root, "lib", "vscode");
  await removeStaleTemps(log);
  if (!force) await waitForOtherPrepare(version, log);
  if (!force && isPrepared(version)) {
    log(`[prepare] VS Code server ${version} already prepared: ${vscodeDir}`);
    return vscodeDir;
  }
  const started = Date.now();
  const secs = () => `${Math.round((Date.now() - started) / 1000)} s`;
  log(`[prepare] preparing VS Code server from code-server@${version} into ${root}`);
  await mkdir(CACHE_ROOT, { recursive: true });

  const { bin: nodeBin, version: nodeVersion } = await ensureNode({ log });
  log(`[prepare] using Node ${nodeVersion}: ${nodeBin}`);
  const nodedir = await ensureNodeHeaders(nodeBin, nodeVersion, { log });
  log(`[prepare] Node headers: ${nodedir}/include/node`);

  const tmp = join(CACHE_ROOT, `.tmp-vscode-server-${version}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const logFile = join(tmp, "prepare.log");
  // Node 24 first on PATH (so `npm`, node-gyp and install scripts run under Node 24) and
  // its headers as nodedir (this overrides any `nodedir` in ~/.npmrc).
  const env = {
    ...process.env,
    PATH: `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ""}`,
    npm_config_nodedir: nodedir,
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    // node-gyp compiles a module's files at once (spdlog's two take most of the install).
    JOBS: "max",
  };
  const run = (cmd: string, args: string[], cwd: string, heartbeat?: string) => runLogged(cmd, args, { cwd, env, logFile, log, heartbeat });
  try {
    log(`[prepare] npm pack code-server@${version} (47 MB) ... (log: ${logFile})`);
    await run("npm", ["pack", `code-server@${version}`, "--pack-destination", tmp], tmp);
    const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error("npm pack code-server left no tarball");
    log(`[prepare] unpacking ${tgz} (${secs()})`);
    await run("tar", ["-xzf", tgz], tmp);
    await rm(join(tmp, tgz), { force: true });
    const pkgDir = join(tmp, "package");
    const tmpVscode = join(pkgDir, "lib", "vscode");
    if (!existsSync(join(tmpVscode, "out", "server-main.js"))) throw new Error("code-server package has no lib/vscode/out/server-main.js");

    // lib/vscode's package.json lists the dependencies whose install scripts may run
    // (its "allowScripts" field, honoured by npm >= 11.x). About a minute on 2 cores.
    await skipUnusedBuilds(join(tmpVscode, "package.json"), log);
    log(`[prepare] npm install --omit=dev in lib/vscode (builds native modules, ~1 min) (${secs()})`);
    await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund"], tmpVscode, "still installing lib/vscode dependencies");
    // Built-in extensions share one dependency (typescript); code-server installs it too.
    log(`[prepare] npm install --omit=dev in lib/vscode/extensions (${secs()})`);
    await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund"], join(tmpVscode, "extensions"), "still installing built-in extension dependencies");

    // Smoke check: the native modules the server loads at start must load under Node 24.
    await run(nodeBin, ["-e", "require('@vscode/spdlog'); require('node-pty')"], tmpVscode);

    await writeFile(join(pkgDir, MARKER), JSON.stringify({ codeServer: version, node: nodeVersion, preparedAt: new Date().toISOString() }, null, 2) + "\n");
    await rename(logFile, join(pkgDir, "prepare.log"));
    if (existsSync(root)) {
      if (!force && isPrepared(version)) {
        // Another prepare finished first: keep its result.
        log("[prepare] another process completed the prepare meanwhile; discarding this copy");
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

/** Removes temp folders of earlier prepares whose process is gone. */
async function removeStaleTemps(log: Log): Promise<void> {
  if (!existsSync(CACHE_ROOT)) return;
  for (const name of readdirSync(CACHE_ROOT)) {
    const m = /^\.tmp-(?:vscode-server|node-dist)-.*-(\d+)$/.exec(name);
    if (!m) continue;
    let alive = false;
    try {
      process.kill(Number(m[1]), 0);
      alive = true;
    } catch {
      // no such process: the temp folder is stale
    }
    if (!alive) {
      log(`[prepare] removing leftover ${name}`);
      await rm(join(CACHE_ROOT, name), { recursive: true, force: true });
    }
  }
}

/**
 * Waits while another live process prepares this version (npm test starts one beside the type
 * checks; a test lane may ask before it is done): one prepare, not two downloads and builds.
 */
async function waitForOtherPrepare(version: string, log: Log): Promise<void> {
  const pattern = new RegExp(`^\\.tmp-vscode-server-${version.replace(/\./g, "\\.")}-(\\d+)$`);
  const preparing = () =>
    existsSync(CACHE_ROOT) &&
    readdirSync(CACHE_ROOT).some((name) => {
      const pid = Number(pattern.exec(name)?.[1]);
      if (!pid || pid === process.pid) return false;
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
  if (isPrepared(version) || !preparing()) return;
  log(`[prepare] another process is preparing VS Code server ${version}; waiting for it`);
  while (!isPrepared(version) && preparing()) await new Promise((r) => setTimeout(r, 2000));
}

/**
 * Native modules of lib/vscode that the server, its extension host and the workbench never load
 * here, and whose builds are denied in allowScripts (their JavaScript is installed all the same):
 * - `kerberos`: only the Kerberos (Negotiate) proxy authentication loads it, with a dynamic
 *   `import("kerberos")`; its build needs Debian's libkrb5-dev.
 * - `@vscode/sqlite3`: only the agent host (out/vs/platform/agentHost, for chat sessions) loads
 *   it; the server keeps no SQLite database. Compiling SQLite took 73 of the install's 127 s
 *   on 2 cores, on the way to every fresh machine's first VS Code test.
 */
export const UNUSED_NATIVE_MODULES = ["kerberos", "@vscode/sqlite3"];

/** Denies UNUSED_NATIVE_MODULES their install scripts in lib/vscode's allowScripts, leaving the others' as they were. */
export async function skipUnusedBuilds(packageJson: string, log: Log): Promise<void> {
  const pkg = JSON.parse(await readFile(packageJson, "utf8")) as { allowScripts?: Record<string, boolean> };
  const denied: string[] = [];
  for (const name of UNUSED_NATIVE_MODULES) {
    const keys = Object.keys(pkg.allowScripts ?? {}).filter((k) => k === name || k.startsWith(`${name}@`));
    for (const k of keys.length ? keys : [name]) denied.push(k);
  }
  pkg.allowScripts = { ...pkg.allowScripts, ...Object.fromEntries(denied.map((k) => [k, false])) };
  await writeFile(packageJson, JSON.stringify(pkg, null, 2) + "\n");
  log(`[prepare] not building native modules the server never loads here: allowScripts ${denied.join(", ")} = false`);
}

// Run when executed directly.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  prepareVSCodeServer({ force: process.argv.includes("--force") }).then(
    (dir) => console.log(dir),
    (err: unknown) => {
      console.error(`[prepare] FAILED: ${(err as Error)?.stack ?? err}`);
      process.exit(1);
    },
  );
}
