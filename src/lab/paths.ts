// Where things live: in this extension's own folder, and in a lab workspace.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LabError } from "./errors.js";
import { readLabFile } from "./lab-files.js";

const PACKAGE_NAME = "restate-idempotency-lab";

/** The extension's root (the folder with its package.json), from source or from a bundle in dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const templateDir = (name = "payment-service") => join(packageRoot(), "lab-templates", name);
export const supervisorScript = () => join(packageRoot(), "dist", "supervisor.cjs");

/** The files and folders the lab keeps inside a workspace. */
export function workspacePaths(workspace: string) {
  const lab = join(workspace, ".lab");
  return {
    workspace,
    marker: join(workspace, "idempotency-lab.json"),
    lab,
    state: join(lab, "stack.json"),
    lock: join(lab, "supervisor.lock"),
    /** Held by whoever starts or stops the lab (up, down, reset), so that two callers never do both at once. */
    startLock: join(lab, "start.lock"),
    /** A stop's request that the start holding startLock give up (it names that start's token). */
    stopRequest: join(lab, "stop.request"),
    /** There while `npm ci` runs: an install that was cut short is done again on the next start. */
    installing: join(lab, "installing"),
    /** One file per replay in progress (named by a run token), for Reset Lab State to see. */
    replays: join(lab, "replays"),
    log: join(lab, "lab.log"),
    ledger: join(lab, "ledger.jsonl"),
    restateData: join(workspace, ".restate"),
    nodeModules: join(workspace, "node_modules"),
    gatewayScript: join(workspace, "gateway", "server.ts"),
    serviceScript: join(workspace, "src", "main.ts"),
  };
}
export type WorkspacePaths = ReturnType<typeof workspacePaths>;

export const LAB_MARKER = { lab: PACKAGE_NAME } as const;

/** The marker is a few bytes; anything larger is not one (and is not read). */
const MAX_MARKER_BYTES = 64 * 1024;

export function isLabWorkspace(workspace: string): boolean {
  try {
    return markerIn(workspace);
  } catch {
    return false;
  }
}

/**
 * Why the workspace's marker cannot be read (a link, not a regular file, too large), or null.
 * The marker may come from someone else's repository: it is never followed or read unbounded.
 */
export function markerProblem(workspace: string): string | null {
  try {
    markerIn(workspace);
    return null;
  } catch (err) {
    return err instanceof SyntaxError ? null : (err as Error).message;
  }
}

/** Throws a LabError unless the folder is a lab: its marker there, readable safely (see markerProblem), and the lab's. */
export function requireLabWorkspace(workspace: string): void {
  const problem = markerProblem(workspace);
  if (problem) throw new LabError(problem, "Replace idempotency-lab.json with the lab's own (run scaffold again after moving it away).", "unsafe-path");
  if (!isLabWorkspace(workspace)) {
    throw new LabError(`${workspace} is not an Idempotency Lab workspace`, `Run "idempotency-lab scaffold ${workspace}" first.`, "not-a-lab");
  }
}

function markerIn(workspace: string): boolean {
  const text = readLabFile(workspacePaths(workspace).marker, { maxBytes: MAX_MARKER_BYTES });
  return text !== null && (JSON.parse(text) as { lab?: string } | null)?.lab === PACKAGE_NAME;
}
