#!/usr/bin/env node
// Builds the VSIX: a minified build (scripts/build.mjs --minify), then `vsce package`.
// What goes in is decided by .vscodeignore; dependencies are bundled by esbuild, so vsce
// runs with --no-dependencies (no node_modules in the VSIX).
//
// Both steps run in a staging copy of the source tree (.cache/vsix-stage: the files git
// tracks or would track), not in the repo itself: the minified build then never rewrites
// dist/ under tests that run dist/*.cjs at the same time (vitest runs its projects in
// parallel), and dist/ keeps the unminified development build. Its bare imports still
// resolve from the repo's node_modules, further up the tree. --in-place builds and
// packages in the repo instead.
//
// Usage:  node scripts/package.mjs [--out <file.vsix>] [--in-place]
//   default output: dist-vsix/restate-idempotency-lab.vsix (ignored by git)
//
// Flags passed to vsce instead of package.json changes:
//   --allow-missing-repository   package.json has no "repository" field (vsce warns and,
//                                without this flag, asks whether to continue)
//   --no-rewrite-relative-links  without a repository vsce cannot turn README links into
//                                absolute ones and fails on the first relative link; VS
//                                Code's extension page resolves them inside the VSIX anyway

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_VSIX = join(REPO_ROOT, "dist-vsix", "restate-idempotency-lab.vsix");
const STAGE = join(REPO_ROOT, ".cache", "vsix-stage");

function run(cmd, args, what, cwd = REPO_ROOT) {
  console.log(`[package] ${what}`);
  const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
  if (r.error) throw new Error(`${what} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what} failed (${r.signal ?? `exit ${r.status}`})`);
}

/** Absolute path of vsce's CLI script, from the @vscode/vsce devDependency. */
function vsceBin() {
  const require = createRequire(join(REPO_ROOT, "package.json"));
  let pkgJson;
  try {
    pkgJson = require.resolve("@vscode/vsce/package.json");
  } catch {
    throw new Error("@vscode/vsce is not installed: npm install -D @vscode/vsce");
  }
  const { bin } = require(pkgJson);
  return join(dirname(pkgJson), typeof bin === "string" ? bin : bin.vsce);
}

/** Source files of the repo: what git tracks, plus new files it does not ignore. */
function sourceFiles() {
  const r = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) return undefined;
  // Tracked files deleted in the work tree are listed too: skip them.
  return r.stdout.split("\0").filter((f) => f && existsSync(join(REPO_ROOT, f)));
}

/** A fresh copy of the source tree in STAGE (no node_modules, dist, caches or lab state). */
function stage() {
  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(STAGE, { recursive: true });
  const files = sourceFiles();
  if (files) {
    for (const f of files) cpSync(join(REPO_ROOT, f), join(STAGE, f), { recursive: false });
  } else {
    // No git (a source archive): copy the top-level entries by hand.
    const skip = new Set(["node_modules", "dist", "out", "dist-vsix", ".cache", ".vscode-test", ".git", "test-artifacts", ".lab", ".restate"]);
    for (const name of readdirSync(REPO_ROOT)) {
      if (skip.has(name)) continue;
      cpSync(join(REPO_ROOT, name), join(STAGE, name), {
        recursive: true,
        filter: (src) =>
          !relative(REPO_ROOT, src)
            .split(/[\\/]/)
            .some((part) => skip.has(part)),
      });
    }
  }
  console.log(`[package] staged ${files ? files.length : "the"} source files in ${relative(REPO_ROOT, STAGE)}`);
}

/** Builds the VSIX at `out` and returns its absolute path. */
export function packageVsix({ out = DEFAULT_VSIX, inPlace = false } = {}) {
  out = resolve(out);
  // No stale VSIX may survive a failed run.
  rmSync(out, { force: true });
  mkdirSync(dirname(out), { recursive: true });

  const root = inPlace ? REPO_ROOT : STAGE;
  if (!inPlace) stage();
  // Same Node as this script (npm scripts put the project's Node 24 first on PATH).
  run(process.execPath, [join(root, "scripts", "build.mjs"), "--minify"], "build (minified)", root);
  run(
    process.execPath,
    [vsceBin(), "package", "--no-dependencies", "--allow-missing-repository", "--no-rewrite-relative-links", "--out", out],
    `vsce package -> ${relative(REPO_ROOT, out) || out}`,
    root,
  );

  if (!existsSync(out)) throw new Error(`vsce reported success but ${out} does not exist`);
  if (!inPlace) rmSync(STAGE, { recursive: true, force: true });
  console.log(`[package] ${out} (${(statSync(out).size / 1024).toFixed(1)} KB)`);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: "string" }, "in-place": { type: "boolean" } } });
  try {
    packageVsix({ out: values.out, inPlace: values["in-place"] });
  } catch (err) {
    console.error(`[package] FAILED: ${err?.message ?? err}`);
    process.exit(1);
  }
}
