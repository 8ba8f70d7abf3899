// The lab template's npm packages, installed once with the engine's own installer into a cache
// keyed by the template's lock file; test and bench labs link their node_modules there instead
// of downloading 200 MB again.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { installDependencies } from "../../src/lab/install.js";
import { findNode } from "../../src/lab/node-runtime.js";
import { packageRoot, templateDir } from "../../src/lab/paths.js";

/** The cached node_modules folder, installed first when it is not there yet. */
export async function labNodeModules(say: (line: string) => void = console.log): Promise<string> {
  const template = templateDir();
  const hash = createHash("sha256")
    .update(readFileSync(join(template, "package.json")))
    .update(readFileSync(join(template, "package-lock.json")))
    .digest("hex")
    .slice(0, 16);
  const cache = join(packageRoot(), ".cache", "lab-deps", hash);
  if (!existsSync(join(cache, "done"))) {
    // Installed beside the cache and renamed into place: a run that is killed never leaves a half cache.
    const temp = `${cache}.tmp-${process.pid}`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) cpSync(join(template, file), join(temp, file));
    say(`installing the lab template's dependencies into ${cache} (once)`);
    await installDependencies(temp, { nodePath: findNode().path });
    writeFileSync(join(temp, "done"), new Date().toISOString());
    rmSync(cache, { recursive: true, force: true });
    renameSync(temp, cache);
  }
  return join(cache, "node_modules");
}

// Run directly (scripts/test.mjs does, before vitest, so that lanes running at once never both install).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  labNodeModules().then(
    (dir) => console.log(dir),
    (err: unknown) => {
      console.error(`lab packages: ${(err as Error)?.stack ?? err}`);
      process.exit(1);
    },
  );
}
