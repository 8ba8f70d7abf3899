// The stack's state file (.lab/stack.json): how a later command, in another process,
// finds a running lab, adopts it, or cleans up what a killed one left behind.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import type { ProcessRecord } from "./processes.js";

export type StackPhase = "installing" | "starting" | "registering" | "ready" | "stopping" | "failed";

export interface StackUrls {
  ingress: string;
  admin: string;
  gateway: string;
  service: string;
}

export interface StackState {
  version: 1;
  workspace: string;
  phase: StackPhase;
  /** What the supervisor is doing now, for progress displays. */
  detail: string;
  error?: string;
  supervisor: ProcessRecord;
  processes: { restate?: ProcessRecord; gateway?: ProcessRecord; service?: ProcessRecord };
  urls?: StackUrls;
  deploymentId?: string;
  serviceRestarts: number;
  updatedAt: string;
}

export function readState(file: string): StackState | null {
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as StackState;
    return state.version === 1 ? state : null;
  } catch {
    return null;
  }
}

export function writeState(file: string, state: StackState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2) + "\n");
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}
