// Copies a lab template into a folder. Never overwrites; all or nothing.
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { createFileAtomic } from "./atomic-file.js";
import { LabError } from "./errors.js";
import { realWorkspace } from "./lab-files.js";
import { isLabWorkspace, markerProblem, templateDir } from "./paths.js";

export interface ScaffoldResult {
  workspace: string;
  /** Paths relative to the workspace, in the order they were written. */
  created: string[];
  /** Files that were already there and were left as they are. */
  kept: string[];
}

/** Folders a new or editor-managed folder may already have without being "not empty". */
const IGNORED_ENTRIES = new Set([".git", ".vscode", ".idea", ".DS_Store"]);
/** Never copied out of a template, even when a developer left them there. */
const TEMPLATE_SKIP = new Set(["node_modules", ".lab", ".restate"]);
/** npm drops files named .gitignore from packages, so templates store them under another name. */
const RENAMES: Record<string, string> = { _gitignore: ".gitignore" };

export function scaffold(target: string, options: { template?: string } = {}): ScaffoldResult {
  // The folder the user chose, its links resolved once; below it the lab follows none.
  const workspace = realWorkspace(resolve(target));
  const source = options.template ?? templateDir();
  const files = listTemplate(source);

  if (existsSync(workspace)) {
    if (!statSync(workspace).isDirectory()) {
      throw new LabError(`${workspace} is a file, not a folder`, "Choose a folder (new or empty) for the lab.", "not-empty");
    }
    const problem = markerProblem(workspace);
    if (problem) throw new LabError(problem, "Move idempotency-lab.json away and scaffold again.", "unsafe-path");
    const entries = readdirSync(workspace).filter((e) => !IGNORED_ENTRIES.has(e));
    if (entries.length > 0 && !isLabWorkspace(workspace)) {
      throw new LabError(
        `${workspace} is not empty and is not an Idempotency Lab workspace (it has ${describeEntries(entries)})`,
        "Choose an empty folder, a new one, or a lab scaffolded before (it has idempotency-lab.json).",
        "not-empty",
      );
    }
    checkWritable(workspace);
  } else {
    checkWritable(nearestExisting(workspace));
  }

  // Any template file whose place is taken by a folder (or the reverse), or that a link would
  // send elsewhere (a folder of the lab, or the file itself), is found before writing.
  for (const file of files) {
    const destination = join(workspace, file.to);
    refuseLinks(workspace, file.to);
    if (existsSync(destination) && !statSync(destination).isFile()) {
      throw new LabError(`${destination} exists and is not a file`, `Move it away and scaffold again.`, "not-empty");
    }
  }

  const created: string[] = [];
  const kept: string[] = [];
  const createdDirs: string[] = [];
  try {
    for (const file of files) {
      const destination = join(workspace, file.to);
      makeDirs(dirname(destination), createdDirs);
      const mode = statSync(file.from).mode & 0o777;
      if (createFileAtomic(destination, readFileSync(file.from), mode)) created.push(file.to);
      else kept.push(file.to);
    }
  } catch (err) {
    // Undo this run's writes so a failure leaves the folder as it was.
    for (const file of created) rmSync(join(workspace, file), { force: true });
    for (const dir of createdDirs.reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty: something else is in it now
      }
    }
    // Any file-system refusal (permissions, a read-only or virtual file system, a full disk)
    // is the folder's problem, not a bug: say so, with the system's own words.
    if (typeof (err as NodeJS.ErrnoException).code === "string") {
      throw new LabError(`Cannot write in ${workspace}: ${(err as Error).message}`, "Choose a folder you can write to.", "not-writable");
    }
    throw err;
  }
  return { workspace, created, kept };
}

function listTemplate(root: string): Array<{ from: string; to: string }> {
  if (!existsSync(root)) throw new Error(`Lab template not found at ${root}: the extension is incomplete; reinstall it.`);
  const out: Array<{ from: string; to: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (TEMPLATE_SKIP.has(entry.name)) continue;
      const from = join(dir, entry.name);
      if (entry.isDirectory()) walk(from);
      else if (entry.isFile()) {
        const rel = relative(root, from).split(sep);
        const last = rel.length - 1;
        rel[last] = RENAMES[rel[last]!] ?? rel[last]!;
        out.push({ from, to: rel.join("/") });
      }
    }
  };
  walk(root);
  // The marker goes first: a scaffold that is interrupted is still recognised as a lab and completed next time.
  return out.sort((a, b) => Number(b.to === "idempotency-lab.json") - Number(a.to === "idempotency-lab.json"));
}

function makeDirs(dir: string, createdDirs: string[]): void {
  if (existsSync(dir)) return;
  makeDirs(dirname(dir), createdDirs);
  mkdirSync(dir);
  createdDirs.push(dir);
}

/** Throws when any part of `relativePath` under the workspace (a folder or the file) is a symbolic link. */
function refuseLinks(workspace: string, relativePath: string): void {
  let current = workspace;
  for (const part of relativePath.split("/")) {
    current = join(current, part);
    try {
      if (lstatSync(current).isSymbolicLink()) {
        throw new LabError(
          `${current} is a symbolic link: scaffold writes the lab's files only inside ${workspace}, never through a link`,
          "Replace the link with a real folder or file (or remove it) and scaffold again.",
          "unsafe-path",
        );
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return; // nothing there yet: nothing to follow
      throw err;
    }
  }
}

function nearestExisting(path: string): string {
  let dir = path;
  while (!existsSync(dir)) dir = dirname(dir);
  return dir;
}

function checkWritable(dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new LabError(`Cannot write in ${dir}`, "Choose a folder you can write to.", "not-writable");
  }
}

function describeEntries(entries: string[]): string {
  const shown = entries.slice(0, 3).join(", ");
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown;
}
