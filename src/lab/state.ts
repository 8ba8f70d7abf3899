// The stack's state file (.lab/stack.json): how a later command, in another process,
// finds a running lab, adopts it, or cleans up what a killed one left behind. The file sits
// in the workspace, so anyone may have written it: it is checked field by field, and what it
// says is only a claim (pids are proven ours by processes.ts, URLs checked by the caller).
import { rmSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file.js";
import { checkLabDir, readLabFile } from "./lab-files.js";
import { supervisorScript, type WorkspacePaths } from "./paths.js";
import { isRunToken, isSignallablePid, type ProcessIdentity } from "./processes.js";

export type StackPhase = "installing" | "starting" | "registering" | "ready" | "stopping" | "failed";
const PHASES: readonly StackPhase[] = ["installing", "starting", "registering", "ready", "stopping", "failed"];

export interface StackUrls {
  ingress: string;
  admin: string;
  gateway: string;
  service: string;
}

export type Role = "supervisor" | "restate" | "gateway" | "service";
const ROLES: readonly Role[] = ["supervisor", "restate", "gateway", "service"];

/**
 * The moments of a start, in ms since the supervisor's process began (node's own start-up
 * included), so that a slow start says where its time went: the lab log and the bench show them.
 */
export const STARTUP_MARKS = ["portsChosen", "compiled", "restateHealthy", "gatewayHealthy", "serviceListening", "registered"] as const;
/** More steps than a start can take (three attempts at most): a longer list is not ours. */
export const MAX_STEPS = 32;

export type StartupMark = (typeof STARTUP_MARKS)[number];

export interface StackState {
  version: 2;
  phase: StackPhase;
  /** What the supervisor is doing now, for progress displays. */
  detail: string;
  /**
   * Every detail of this start so far, in order: a reader polling the file can miss a step that
   * took less than its interval (registering often does), and still reports each one.
   */
  steps?: string[];
  error?: string;
  /** The random token every process of this start carries in its environment. */
  runToken: string;
  pids: { supervisor: number } & Partial<Record<Exclude<Role, "supervisor">, number>>;
  /** Each process's start time, recorded when it was spawned (Linux): a pid reused since then is not taken for it. */
  starts?: Partial<Record<Role, string>>;
  urls?: StackUrls;
  deploymentId?: string;
  serviceRestarts: number;
  startupMs?: Partial<Record<StartupMark, number>>;
  updatedAt: string;
}

export type StateRead = { kind: "none" } | { kind: "ok"; state: StackState } | { kind: "invalid"; problem: string };

/** Reads and checks the state file: absent, valid, or invalid with the reason. */
export function inspectState(file: string): StateRead {
  let text: string | null;
  try {
    text = readLabFile(file);
  } catch (err) {
    return { kind: "invalid", problem: (err as Error).message };
  }
  if (text === null) return { kind: "none" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: "invalid", problem: `${file} is not valid JSON` };
  }
  const problem = checkState(raw);
  return problem ? { kind: "invalid", problem: `${file} is not a state file this lab wrote: ${problem}` } : { kind: "ok", state: raw as StackState };
}

/** The state when the file is there and valid; null otherwise. */
export function readState(file: string): StackState | null {
  const read = inspectState(file);
  return read.kind === "ok" ? read.state : null;
}

export function writeState(paths: WorkspacePaths, state: StackState): void {
  checkLabDir(paths.workspace, paths.lab, true);
  writeFileAtomic(paths.state, JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2) + "\n");
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}

/** What a process of this lab must look like: its command line holds paths we chose, its environment the run token. */
export function identityOf(paths: WorkspacePaths, role: Role, pid: number, runToken: string, started?: string): ProcessIdentity {
  // Whole arguments, in order: a lab in /x/tmp/x/w1 is not the lab in /x/w1.
  const commandLine = {
    supervisor: [supervisorScript(), paths.workspace],
    restate: ["--base-dir", paths.restateData],
    gateway: [paths.gatewayScript],
    service: [paths.serviceScript],
  }[role];
  return started === undefined ? { pid, commandLine, runToken } : { pid, commandLine, runToken, started };
}

/** Every process the state names, as identities to prove before any signal. */
export function identitiesOf(paths: WorkspacePaths, state: StackState, roles: readonly Role[] = ROLES): ProcessIdentity[] {
  return roles.flatMap((role) => {
    const pid = state.pids[role];
    return pid === undefined ? [] : [identityOf(paths, role, pid, state.runToken, state.starts?.[role])];
  });
}

/** A reason the value is not a valid state, or null. */
function checkState(raw: unknown): string | null {
  if (!isObject(raw)) return "not a JSON object";
  if (raw.version !== 2) return `version ${JSON.stringify(raw.version)} (this lab writes 2)`;
  if (!PHASES.includes(raw.phase as StackPhase)) return `unknown phase ${JSON.stringify(raw.phase)}`;
  if (!isText(raw.detail, 1000)) return "detail is not a short text";
  if (raw.steps !== undefined) {
    if (!Array.isArray(raw.steps) || raw.steps.length > MAX_STEPS) return `steps is not a list of at most ${MAX_STEPS}`;
    if (!raw.steps.every((step) => isText(step, 1000))) return "steps holds something that is not a short text";
  }
  if (raw.error !== undefined && !isText(raw.error, 8000)) return "error is not a text";
  if (!isRunToken(raw.runToken)) return "runToken is not 32 hex digits";
  if (!isObject(raw.pids)) return "pids is not an object";
  for (const [role, pid] of Object.entries(raw.pids)) {
    if (!ROLES.includes(role as Role)) return `unknown process role ${JSON.stringify(role)}`;
    if (!isSignallablePid(pid)) return `the ${role} pid ${JSON.stringify(pid)} is not a whole number above 1 (or is this process)`;
  }
  if (raw.pids.supervisor === undefined) return "no supervisor pid";
  if (raw.starts !== undefined) {
    if (!isObject(raw.starts)) return "starts is not an object";
    for (const [role, started] of Object.entries(raw.starts)) {
      if (!ROLES.includes(role as Role)) return `unknown process role ${JSON.stringify(role).slice(0, 40)} in starts`;
      if (!(typeof started === "string" && /^\d{1,20}$/.test(started))) return `starts.${role} is not a start time`;
    }
  }
  if (raw.urls !== undefined) {
    if (!isObject(raw.urls)) return "urls is not an object";
    for (const name of ["ingress", "admin", "gateway", "service"]) {
      if (!isHttpUrl(raw.urls[name])) return `urls.${name} is not an http(s) URL`;
    }
  }
  if (raw.deploymentId !== undefined && !(typeof raw.deploymentId === "string" && /^dp_[A-Za-z0-9]{1,64}$/.test(raw.deploymentId))) {
    return "deploymentId is not a Restate deployment id";
  }
  if (!Number.isSafeInteger(raw.serviceRestarts) || (raw.serviceRestarts as number) < 0) return "serviceRestarts is not a count";
  if (raw.startupMs !== undefined) {
    if (!isObject(raw.startupMs)) return "startupMs is not an object";
    for (const [mark, ms] of Object.entries(raw.startupMs)) {
      if (!STARTUP_MARKS.includes(mark as StartupMark)) return `unknown start-up mark ${JSON.stringify(mark).slice(0, 40)}`;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return `startupMs.${mark} is not a time in ms`;
    }
  }
  if (typeof raw.updatedAt !== "string") return "updatedAt is not a text";
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isText(v: unknown, max: number): v is string {
  return typeof v === "string" && v.length <= max;
}

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== "string" || v.length > 2000) return false;
  try {
    const url = new URL(v);
    return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}
