// A Node 24 to build and run the VS Code server with (code-server's build targets Node 24),
// and its headers for native modules: found on this machine, or fetched from the npm registry.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { packageRoot } from "../../../src/lab/paths.js";
import { runLogged } from "./run-logged.js";

export type Log = (line: string) => void;

/** Repository root. */
export const REPO_ROOT = packageRoot();
/**
 * Cache folder shared with @vscode/test-electron's default (ignored by git); $VSCODE_TEST_CACHE
 * moves it, e.g. to prepare a server from scratch without touching the one in use.
 */
export const CACHE_ROOT = resolve(process.env.VSCODE_TEST_CACHE || join(REPO_ROOT, ".vscode-test"));
/** Node major version the code-server build targets (its engines field says 24). */
export const REQUIRED_NODE_MAJOR = 24;
/** Node fetched from the registry when no Node 24 is installed (matches the devDependency). */
export const FALLBACK_NODE_VERSION = process.env.VSCODE_SERVER_NODE_VERSION || "24.9.0";

export interface FoundNode {
  bin: string;
  /** Like "v24.9.0". */
  version: string;
}

function nodeVersionOf(bin: string): string | undefined {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 20_000 }).trim();
  } catch {
    return undefined;
  }
}

/**
 * A Node binary of the required major version: $VSCODE_SERVER_NODE, then the project's `node`
 * devDependency (npm package node@24), then the Node running this script, then `node` on PATH,
 * then one fetched earlier by `ensureNode` into the cache. Throws listing what it tried.
 */
export function findNode({ major = REQUIRED_NODE_MAJOR, candidates }: { major?: number; candidates?: Array<string | undefined> } = {}): FoundNode {
  candidates ??= [
    process.env.VSCODE_SERVER_NODE,
    join(REPO_ROOT, "node_modules", "node", "bin", "node"),
    join(REPO_ROOT, "node_modules", ".bin", "node"),
    process.execPath,
    "node",
    join(nodeDistDir(FALLBACK_NODE_VERSION), "bin", "node"),
  ];
  const seen: string[] = [];
  for (const bin of candidates.filter((c): c is string => !!c)) {
    if (bin !== "node" && !existsSync(bin)) continue;
    const version = nodeVersionOf(bin);
    seen.push(`${bin}: ${version ?? "not runnable"}`);
    if (version && version.startsWith(`v${major}.`)) return { bin, version };
  }
  throw new Error(`No Node ${major} binary found (needed by the VS Code server). Tried:\n  ${seen.join("\n  ") || "(none exist)"}`);
}

/**
 * Like findNode, but when no Node of the required major is installed, fetches one from the npm
 * registry (package node-<platform>-<arch>, which carries bin/node and include/node) into the
 * cache: the server route then works even where npm skipped the `node` devDependency's script.
 */
export async function ensureNode({ log = console.log }: { log?: Log } = {}): Promise<FoundNode> {
  try {
    return findNode();
  } catch (err) {
    log(`[prepare] ${(err as Error).message}`);
    log(`[prepare] fetching Node ${FALLBACK_NODE_VERSION} from the npm registry instead`);
    const dir = await ensureNodeDist(`v${FALLBACK_NODE_VERSION}`, { withBinary: true, log });
    return findNode({ candidates: [join(dir, "bin", "node")] });
  }
}

/**
 * A folder holding `include/node` headers of exactly `nodeVersion`: next to the binary, in
 * node_modules (npm package node-<platform>-<arch>), or in the cache (fetched when missing).
 */
export async function ensureNodeHeaders(nodeBin: string, nodeVersion: string, { log = console.log }: { log?: Log } = {}): Promise<string> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const candidates = [
    resolve(dirname(nodeBin), ".."),
    join(REPO_ROOT, "node_modules", pkg),
    join(REPO_ROOT, "node_modules", "node", "node_modules", pkg),
    nodeDistDir(nodeVersion),
  ];
  for (const dir of candidates) if (headersVersion(dir) === nodeVersion) return dir;
  return ensureNodeDist(nodeVersion, { log });
}

/** Reads NODE_MAJOR/MINOR/PATCH_VERSION from <dir>/include/node/node_version.h. */
function headersVersion(dir: string): string | undefined {
  const file = join(dir, "include", "node", "node_version.h");
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const num = (name: string) => new RegExp(`#define ${name}\\s+(\\d+)`).exec(text)?.[1];
  return `v${num("NODE_MAJOR_VERSION")}.${num("NODE_MINOR_VERSION")}.${num("NODE_PATCH_VERSION")}`;
}

/** Cache folder for the npm package node-<platform>-<arch>@<version> (unpacked). */
function nodeDistDir(version: string): string {
  return join(CACHE_ROOT, `node-v${version.replace(/^v/, "")}-${process.platform}-${process.arch}`);
}

/**
 * Unpacks `npm pack node-<platform>-<arch>@<version>` into .vscode-test/node-v<version>-
 * <platform>-<arch>/: include/ always, bin/ only when `withBinary` (it is 120 MB).
 */
async function ensureNodeDist(nodeVersion: string, { withBinary = false, log = console.log }: { withBinary?: boolean; log?: Log } = {}): Promise<string> {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = nodeDistDir(nodeVersion);
  const hasBinary = existsSync(join(dir, "bin", "node"));
  if (headersVersion(dir) === nodeVersion && (!withBinary || hasBinary)) return dir;

  log(`[prepare] fetching Node ${nodeVersion} ${withBinary ? "binary and headers" : "headers"} (npm pack ${pkg}@${nodeVersion.slice(1)})`);
  await mkdir(CACHE_ROOT, { recursive: true });
  const tmp = join(CACHE_ROOT, `.tmp-node-dist-${nodeVersion}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    const logFile = join(tmp, "prepare.log");
    await runLogged("npm", ["pack", `${pkg}@${nodeVersion.slice(1)}`, "--pack-destination", tmp], { cwd: tmp, env: process.env, logFile, log });
    const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack ${pkg} left no tarball`);
    const parts = ["package/include", ...(withBinary || hasBinary ? ["package/bin"] : [])];
    await runLogged("tar", ["-xzf", tgz, ...parts], { cwd: tmp, env: process.env, logFile, log });
    if (headersVersion(join(tmp, "package")) !== nodeVersion) throw new Error(`${pkg} tarball has no matching headers`);
    await rm(dir, { recursive: true, force: true });
    await rename(join(tmp, "package"), dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}
