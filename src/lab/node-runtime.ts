// Finds a Node.js that can run the lab service: the Restate SDK 1.15+ needs Node 22+.
import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { LabError } from "./errors.js";

export const MIN_NODE_MAJOR = 22;

export interface NodeRuntime {
  path: string;
  version: string;
  source: "setting" | "current runtime" | "PATH";
}

const FIX = `Install Node.js ${MIN_NODE_MAJOR} or newer and put it first on PATH, or point the lab at one (--node <path>, or the idempotencyLab.nodePath setting).`;

export function findNode(
  options: { configured?: string; env?: NodeJS.ProcessEnv; /** false: skip the runtime this code runs on */ useCurrent?: boolean } = {},
): NodeRuntime {
  const env = options.env ?? process.env;
  if (options.configured) {
    const version = versionOf(options.configured);
    if (version === null) {
      throw new LabError(`The configured Node.js "${options.configured}" cannot be run`, FIX, "node-missing");
    }
    if (major(version) < MIN_NODE_MAJOR) {
      throw new LabError(`The configured Node.js "${options.configured}" is ${version}; the lab service needs ${MIN_NODE_MAJOR} or newer`, FIX, "node-too-old");
    }
    return { path: options.configured, version, source: "setting" };
  }

  // Inside VS Code desktop, process.execPath is Electron, not a Node.js we can hand to the service.
  if (options.useCurrent !== false && !process.versions.electron && major(process.version) >= MIN_NODE_MAJOR) {
    return { path: process.execPath, version: process.version, source: "current runtime" };
  }

  const seen: string[] = [];
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, process.platform === "win32" ? "node.exe" : "node");
    if (!isExecutable(candidate)) continue;
    const version = versionOf(candidate);
    if (version === null) continue;
    if (major(version) >= MIN_NODE_MAJOR) return { path: candidate, version, source: "PATH" };
    seen.push(`${version} at ${candidate}`);
  }
  if (seen.length === 0) {
    throw new LabError(`No Node.js found on PATH; the lab service needs Node.js ${MIN_NODE_MAJOR} or newer`, FIX, "node-missing");
  }
  throw new LabError(`The lab service needs Node.js ${MIN_NODE_MAJOR} or newer, but found only ${seen.join(", ")}`, FIX, "node-too-old");
}

function versionEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ELECTRON_RUN_AS_NODE: "1" };
  for (const name of ["PATH", "SystemRoot"]) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

function versionOf(path: string): string | null {
  try {
    const out = execFileSync(path, ["--version"], {
      encoding: "utf8",
      timeout: 10_000,
      // Only what `--version` needs: each node on PATH is a program we have not vetted yet, so it
      // gets none of this process's secrets (a run token, a Restate token) nor NODE_OPTIONS.
      env: versionEnvironment(),
    }).trim();
    return /^v\d+\.\d+\.\d+/.test(out) ? out : null;
  } catch {
    return null;
  }
}

function major(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
