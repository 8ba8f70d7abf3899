// Installs the lab template's dependencies once, with the engine's own installer, into a
// cache keyed by the template's lock file. Each test workspace links its node_modules there
// instead of downloading 200 MB again.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installDependencies } from "../../src/lab/install.js";
import { findNode } from "../../src/lab/node-runtime.js";
import { packageRoot, templateDir } from "../../src/lab/paths.js";

export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const template = templateDir();
  const hash = createHash("sha256")
    .update(readFileSync(join(template, "package.json")))
    .update(readFileSync(join(template, "package-lock.json")))
    .digest("hex")
    .slice(0, 16);
  const cache = join(packageRoot(), ".cache", "lab-deps", hash);
  if (!existsSync(join(cache, "done"))) {
    const temp = `${cache}.tmp-${process.pid}`;
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) cpSync(join(template, file), join(temp, file));
    console.log(`installing the lab template's dependencies into ${cache} (once)`);
    await installDependencies(temp, { nodePath: findNode().path });
    writeFileSync(join(temp, "done"), new Date().toISOString());
    rmSync(cache, { recursive: true, force: true });
    renameSync(temp, cache);
  }
  provide("labNodeModules", join(cache, "node_modules"));
}

declare module "vitest" {
  export interface ProvidedContext {
    labNodeModules: string;
  }
}
