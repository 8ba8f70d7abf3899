// The lab the bench measures: a scaffolded workspace whose node_modules link to the one-time
// install the stack tests use (tests/stack/lab-deps.ts), its files dated a minute back, as in a
// lab scaffolded earlier (a source saved in the last two seconds is compiled at every start:
// compile-stamp.ts).
import { mkdtempSync, readdirSync, symlinkSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workspacePaths } from "../../src/lab/paths.js";
import { scaffold } from "../../src/lab/scaffold.js";
import { labNodeModules } from "../stack/lab-deps.js";
import { log } from "./figures.js";

/** Any free port for each of the lab's processes: the default ones may be busy on a shared machine. */
export const ANY_PORTS = { ingress: 0, admin: 0, node: 0, gateway: 0, service: 0 };

export async function newLab(prefix: string): Promise<string> {
  const workspace = join(mkdtempSync(join(tmpdir(), prefix)), "lab");
  scaffold(workspace);
  const minuteAgo = new Date(Date.now() - 60_000);
  for (const file of readdirSync(workspace, { recursive: true, encoding: "utf8" })) utimesSync(join(workspace, file), minuteAgo, minuteAgo);
  symlinkSync(await labNodeModules(log), workspacePaths(workspace).nodeModules, "dir");
  return workspace;
}
