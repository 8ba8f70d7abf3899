// `npm start`: build, scaffold a lab workspace, and open VS Code on it with this extension
// loaded from the repo (development mode on the desktop route).
//
//  1. node scripts/build.mjs
//  2. node dist/cli.cjs scaffold .cache/start-workspace/lab   (once; reused afterwards)
//  3. VS Code desktop when there is one (`code` on PATH, or VSCODE_EXECUTABLE_PATH):
//       code --extensionDevelopmentPath=<repo> <workspace>
//     otherwise the VS Code server of the host tests (tests/host/runner/server.ts), on
//     127.0.0.1, opened in a browser at the printed URL. Runs until Ctrl-C, then stops the
//     server (and a lab the extension left running in the workspace).
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
// Usage: node --import tsx scripts/start.ts [--server | --desktop] [--port N] [--trust] [--verbose]
//   --server / --desktop  force a route (default: desktop when available)
//   --port N              server port (default: $PORT, else a free port)
//   --trust               keep workspace trust on (default: off for this scaffolded lab)
//   --verbose             print the server's output (always in .cache/start-workspace/server.log)
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { packageRoot } from "../src/lab/paths.js";
import { freePort } from "../src/lab/ports.js";
import { OFFLINE_SETTINGS, startVSCodeServer, type VSCodeServer } from "../tests/host/runner/server.js";

const REPO_ROOT = packageRoot();
const START_DIR = join(REPO_ROOT, ".cache", "start-workspace");
const WORKSPACE = join(START_DIR, "lab");

const log = (line: string) => console.log(`[start] ${line}`);

function runOrExit(cmd: string, args: string[], what: string): void {
  log(what);
  const r = spawnSync(cmd, args, { cwd: REPO_ROOT, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`[start] ${what} failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

function build(): void {
  runOrExit(process.execPath, [join(REPO_ROOT, "scripts", "build.mjs")], "building (node scripts/build.mjs)");
}

function scaffold(): void {
  if (existsSync(join(WORKSPACE, "idempotency-lab.json"))) {
    log(`reusing the lab workspace ${WORKSPACE}`);
    return;
  }
  mkdirSync(dirname(WORKSPACE), { recursive: true });
  runOrExit(process.execPath, [join(REPO_ROOT, "dist", "cli.cjs"), "scaffold", WORKSPACE], `scaffolding ${WORKSPACE}`);
}

/** `name` on PATH (with PATHEXT on Windows), or undefined. */
function onPath(name: string): string | undefined {
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const file = join(dir, name + ext);
      try {
        if (statSync(file).isFile()) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** VS Code desktop to launch: VSCODE_EXECUTABLE_PATH, else `code` where it can open a window. */
function findDesktop(): string | undefined {
  const exe = process.env.VSCODE_EXECUTABLE_PATH;
  if (exe) {
    if (!existsSync(exe)) throw new Error(`VSCODE_EXECUTABLE_PATH does not exist: ${exe}`);
    return exe;
  }
  const code = onPath("code");
  if (!code) return undefined;
  // On Linux without a display, `code` can only work as the remote CLI of a VS Code window.
  const canShow = process.platform !== "linux" || process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.env.VSCODE_IPC_HOOK_CLI;
  return canShow ? code : undefined;
}

function startDesktop(executable: string, { trust }: { trust: boolean }): void {
  const args = [`--extensionDevelopmentPath=${REPO_ROOT}`, ...(trust ? [] : ["--disable-workspace-trust"]), WORKSPACE];
  log(`opening VS Code desktop: ${executable} ${args.join(" ")}`);
  const child = spawn(executable, args, { stdio: "inherit", shell: process.platform === "win32" });
  child.on("error", (err) => {
    console.error(`[start] could not start ${executable}: ${err.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** Quiet defaults for an offline workbench; written once, then the user's to change. */
const MACHINE_SETTINGS = {
  ...OFFLINE_SETTINGS,
  // The lab folder sits inside this repo's git checkout: do not offer to open that.
  "git.openRepositoryInParentFolders": "never",
  // Open the lab's README instead of the Welcome page.
  "workbench.startupEditor": "readme",
};

/**
 * Links the repo into `extensionsDir` as <publisher>.<name>-<version> (replacing links or
 * copies of other versions) and makes sure the server's extensions.json / .obsolete do not
 * hide it. Returns the extension id.
 */
function linkExtension(extensionsDir: string): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { publisher: string; name: string; version: string };
  const id = `${pkg.publisher}.${pkg.name}`;
  const folder = `${id}-${pkg.version}`;
  const lstat = (p: string) => {
    try {
      return lstatSync(p);
    } catch {
      return undefined;
    }
  };
  for (const name of readdirSync(extensionsDir)) {
    if (name === folder || !name.toLowerCase().startsWith(`${id.toLowerCase()}-`)) continue;
    const p = join(extensionsDir, name);
    if (lstat(p)?.isSymbolicLink())
      unlinkSync(p); // the link only, never the repo
    else rmSync(p, { recursive: true, force: true }); // a copy installed from a VSIX
  }
  const link = join(extensionsDir, folder);
  const st = lstat(link);
  if (st && !(st.isSymbolicLink() && resolve(extensionsDir, readlinkSync(link)) === REPO_ROOT)) {
    if (st.isSymbolicLink()) unlinkSync(link);
    else rmSync(link, { recursive: true, force: true });
  }
  if (!lstat(link)) symlinkSync(REPO_ROOT, link, process.platform === "win32" ? "junction" : "dir");

  // extensions.json lists what the server loads; without it the server scans the folder
  // and writes a new one. Drop it when it does not name our link.
  const manifest = join(extensionsDir, "extensions.json");
  if (existsSync(manifest)) {
    let ok = false;
    try {
      const entries = JSON.parse(readFileSync(manifest, "utf8")) as Array<{ identifier?: { id?: string }; relativeLocation?: string }>;
      const ours = entries.filter((e) => e?.identifier?.id?.toLowerCase() === id.toLowerCase());
      ok = ours.length === 1 && ours[0]!.relativeLocation === folder;
    } catch {
      // unreadable: rebuild it
    }
    if (!ok) rmSync(manifest, { force: true });
  }
  // .obsolete marks folders to delete at start-up (an "Uninstall" in the UI).
  const obsolete = join(extensionsDir, ".obsolete");
  if (existsSync(obsolete)) {
    try {
      const marks = JSON.parse(readFileSync(obsolete, "utf8")) as Record<string, unknown>;
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

async function startServer({ port, trust, verbose }: { port?: number; trust: boolean; verbose: boolean }): Promise<void> {
  const repoKey = createHash("sha256").update(REPO_ROOT).digest("hex").slice(0, 12);
  const dirs = {
    serverData: join(START_DIR, "server-data"),
    extensions: join(tmpdir(), `restate-idempotency-lab-start-${repoKey}`, "extensions"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const machineSettings = join(dirs.serverData, "data", "Machine", "settings.json");
  if (!existsSync(machineSettings)) {
    mkdirSync(dirname(machineSettings), { recursive: true });
    writeFileSync(machineSettings, JSON.stringify(MACHINE_SETTINGS, null, 2) + "\n");
  }
  const extensionId = linkExtension(dirs.extensions);

  port ??= process.env.PORT ? Number(process.env.PORT) : await freePort();
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`bad port: ${port}`);
  const logFile = join(START_DIR, "server.log");
  const logOut = createWriteStream(logFile, { flags: "w" });
  log(`the server's output goes to ${logFile}`);

  // Stopping: the server's whole process group, then a lab the extension left in the workspace.
  let server: VSCodeServer | undefined;
  let stopping: Promise<never> | undefined;
  const stop = (reason: string, exitCode: number) =>
    (stopping ??= (async () => {
      log(`${reason}: stopping the VS Code server`);
      await server?.stop(5_000);
      // A lab the extension started in this workspace and left behind (stale or running).
      if (existsSync(join(WORKSPACE, ".lab", "stack.json"))) {
        spawnSync(process.execPath, [join(REPO_ROOT, "dist", "cli.cjs"), "down", WORKSPACE], { stdio: "inherit", timeout: 30_000 });
      }
      logOut.end();
      process.exit(exitCode);
    })());
  for (const [sig, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)
    process.on(sig, () => void stop(`received ${sig}`, code));

  const tail: string[] = [];
  try {
    server = await startVSCodeServer({
      port,
      serverDataDir: dirs.serverData,
      extensionsDir: dirs.extensions,
      workspaceTrust: trust,
      readyTimeoutMs: 90_000,
      log,
      onLine: (line) => {
        logOut.write(`${line}\n`);
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (verbose) console.log(`[server] ${line}`);
      },
      onSpawned: (spawned) => {
        server = spawned;
        process.on("exit", spawned.killNow);
      },
    });
  } catch (err) {
    console.error(`[start] ${(err as Error).message}`);
    return stop("start-up failed", 1);
  }

  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(WORKSPACE).replace(/%2F/g, "/")}`;
  const rule = "-".repeat(78);
  console.log(
    [
      "",
      rule,
      "  VS Code in the browser, with the lab workspace and this extension:",
      "",
      `  ${url}`,
      "",
      `  workspace: ${WORKSPACE}`,
      `  extension: ${extensionId}, linked to ${REPO_ROOT}`,
      '  after a rebuild (npm run watch): "Developer: Reload Window" in the browser',
      "  Ctrl-C stops the server.",
      rule,
      "",
    ].join("\n"),
  );

  void server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[start] the VS Code server exited on its own (${signal ?? `exit ${code}`}); last lines:\n${tail.join("\n")}`);
    void stop("server gone", 1);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { server: { type: "boolean" }, desktop: { type: "boolean" }, port: { type: "string" }, trust: { type: "boolean" }, verbose: { type: "boolean" } },
  });
  if (values.server && values.desktop) throw new Error("--server and --desktop exclude each other");
  build();
  scaffold();
  const desktop = values.server ? undefined : findDesktop();
  if (desktop) return startDesktop(desktop, { trust: values.trust === true });
  if (values.desktop) throw new Error("no VS Code desktop found: put `code` on PATH or set VSCODE_EXECUTABLE_PATH");
  log("no VS Code desktop (`code` on PATH or VSCODE_EXECUTABLE_PATH): using the VS Code server in the browser");
  await startServer({ port: values.port ? Number(values.port) : undefined, trust: values.trust === true, verbose: values.verbose === true });
}

main().catch((err: unknown) => {
  console.error(`[start] ERROR: ${(err as Error)?.message ?? err}`);
  process.exit(1);
});
