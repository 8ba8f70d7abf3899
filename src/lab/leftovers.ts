// What a supervisor claims and clears before it starts anything: its lock (one supervisor per
// workspace), the processes a killed run left, and the start time of each process it spawns.
import { rmSync } from "node:fs";
import { createFileAtomic } from "./atomic-file.js";
import { readLabFile } from "./lab-files.js";
import type { WorkspacePaths } from "./paths.js";
import { findLabProcesses, isOurs, startTimeOf, terminate } from "./processes.js";
import { identitiesOf, identityOf, type StackState } from "./state.js";

/** One supervisor per workspace: an exclusive lock file holding its pid and run token. */
export function acquireLock(paths: WorkspacePaths, runToken: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (createFileAtomic(paths.lock, `${process.pid} ${runToken}`)) return true;
    const [pid, token] = readLockSafe(paths.lock).split(" ");
    if (isOurs(identityOf(paths, "supervisor", Number(pid), token ?? ""))) return false;
    rmSync(paths.lock, { force: true }); // a supervisor that was killed left it
  }
  return false;
}

/** Processes a killed supervisor left behind; never two Restate servers on one data folder. */
export async function cleanUpLeftovers(paths: WorkspacePaths, previous: StackState | null, say: (line: string) => void): Promise<void> {
  const recorded = previous ? identitiesOf(paths, previous, ["restate", "gateway", "service"]).filter(isOurs) : [];
  // Only a server on exactly this data folder, started by a start this workspace recorded.
  const strays = findLabProcesses(["--base-dir", paths.restateData], previous ? [previous.runToken] : []);
  const all = [...recorded, ...strays.filter((s) => !recorded.some((r) => r.pid === s.pid))];
  if (all.length > 0) {
    say(`stopping ${all.length} process(es) left by an earlier run: ${all.map((p) => p.pid).join(", ")}`);
    await terminate(all);
  }
}

/** The state's start times with `role`'s added (none where start times cannot be read). */
export function startsOf(starts: StackState["starts"], role: keyof NonNullable<StackState["starts"]>, pid: number): Pick<StackState, "starts"> {
  const started = startTimeOf(pid);
  return started === null ? {} : { starts: { ...starts, [role]: started } };
}

function readLockSafe(file: string): string {
  try {
    return readLabFile(file) ?? "";
  } catch {
    return "";
  }
}
