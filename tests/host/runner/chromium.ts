// Which Chromium drives the workbench: $CHROMIUM_PATH, else Debian's `chromium`, else the one
// shipped inside the npm package @sparticuz/chromium (no download: it is in the tarball),
// unpacked once into .cache/ with the fonts and libraries it needs.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { REPO_ROOT, type Log } from "./node24.js";

/** Debian's package `chromium` installs it here. */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";
const NPM_PACKAGE = "@sparticuz/chromium";
const MARKER = ".unpacked.json";

export type ChromiumChoice = { source: "env" | "debian"; path: string } | { source: "npm" };

export interface Chromium {
  path: string;
  source: ChromiumChoice["source"];
  /** More environment for the browser process. */
  env: Record<string, string>;
}

/**
 * The preference order: a browser given by $CHROMIUM_PATH (or the `chromiumPath` option), then
 * Debian's when installed, then the npm one. HOST_TEST_CHROMIUM=npm skips Debian's (to test the
 * route a machine without it takes), =debian insists on it.
 */
export function chooseChromium({
  explicit,
  env = process.env,
  exists = existsSync,
  platform = `${process.platform}-${process.arch}`,
}: { explicit?: string; env?: NodeJS.ProcessEnv; exists?: (path: string) => boolean; platform?: string } = {}): ChromiumChoice {
  const given = explicit || env.CHROMIUM_PATH;
  if (given) {
    if (!exists(given)) throw new Error(`CHROMIUM_PATH ${given} not found`);
    return { source: "env", path: given };
  }
  const wanted = env.HOST_TEST_CHROMIUM || "auto";
  if (!["auto", "debian", "npm"].includes(wanted)) throw new Error(`HOST_TEST_CHROMIUM must be auto, debian or npm, not ${wanted}`);
  if (wanted !== "npm" && exists(DEBIAN_CHROMIUM)) return { source: "debian", path: DEBIAN_CHROMIUM };
  if (wanted === "debian") throw new Error(`HOST_TEST_CHROMIUM=debian but ${DEBIAN_CHROMIUM} is not installed (apt-get install -y chromium)`);
  if (platform !== "linux-x64") throw new Error(`${NPM_PACKAGE} is a Linux x64 build; on ${platform} set CHROMIUM_PATH to a Chromium or Chrome`);
  return { source: "npm" };
}

/** The chosen Chromium, ready to launch (the npm one unpacked on first use, ~200 MB). */
export async function resolveChromium({ explicit, log }: { explicit?: string; log: Log }): Promise<Chromium> {
  const choice = chooseChromium({ explicit });
  if (choice.source !== "npm") {
    log(`[host] browser: ${choice.source === "env" ? "CHROMIUM_PATH" : "Debian's chromium"} ${choice.path}`);
    return { ...choice, env: {} };
  }
  const dir = await ensureNpmChromium({ log });
  log(`[host] browser: ${NPM_PACKAGE} ${npmChromiumVersion()} (${dir})`);
  return { source: "npm", path: join(dir, "chromium"), env: npmChromiumEnv(dir) };
}

/**
 * What the npm Chromium needs besides itself: it links NSS (libnss3, libnspr4) and libexpat,
 * which a minimal Linux may lack, so the copies the package ships for Amazon Linux come first;
 * and fonts: with none on the machine it renders no text at all, so its fontconfig reads our
 * fonts.conf (the package's Open Sans, then the machine's own fonts where there are any).
 */
export function npmChromiumEnv(dir: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const lib = join(dir, "al2023", "lib");
  return {
    LD_LIBRARY_PATH: [lib, ...(env.LD_LIBRARY_PATH ?? "").split(":").filter((p) => p && p !== lib)].join(":"),
    FONTCONFIG_FILE: join(dir, "fonts.conf"),
  };
}

/** A fontconfig file for the unpacked folder (the package's own points at /tmp/fonts). */
export function fontsConf(dir: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<!-- Written by tests/host/runner/chromium.ts: the fonts ${NPM_PACKAGE} ships, then the machine's. -->
<fontconfig>
  <dir>${esc(join(dir, "fonts", "fonts"))}</dir>
  <cachedir>${esc(join(dir, "fontconfig-cache"))}</cachedir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
</fontconfig>
`;
}

function packageBinDir(): string {
  // The package's main is build/cjs/index.cjs; its compressed files are in bin/.
  return resolve(dirname(createRequire(import.meta.url).resolve(NPM_PACKAGE)), "..", "..", "bin");
}

function npmChromiumVersion(): string {
  return (JSON.parse(readFileSync(join(packageBinDir(), "..", "package.json"), "utf8")) as { version: string }).version;
}

/** Where the npm Chromium is unpacked: <repo>/.cache/npm-chromium-<version>/ (ignored by git). */
export function npmChromiumDir(version = npmChromiumVersion()): string {
  return join(REPO_ROOT, ".cache", `npm-chromium-${version}`);
}

/**
 * Unpacks the npm Chromium once: the browser and its SwiftShader libraries, fonts/, al2023/lib/
 * (NSS) and our fonts.conf. The package unpacks into os.tmpdir(), so a child process with TMPDIR
 * set does it, in a temp folder renamed into place at the end: an interrupted unpack never looks done.
 */
export async function ensureNpmChromium({ log }: { log: Log }): Promise<string> {
  const version = npmChromiumVersion();
  const dir = npmChromiumDir(version);
  if (existsSync(join(dir, MARKER))) return dir;
  const cache = dirname(dir);
  await mkdir(cache, { recursive: true });
  await removeStaleTemps(cache);
  const tmp = join(cache, `.tmp-npm-chromium-${version}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  log(`[host] unpacking ${NPM_PACKAGE} ${version} into ${dir} (once, ~200 MB)`);
  try {
    const bin = packageBinDir();
    const script = `
      const { default: chromium, inflate } = await import(${JSON.stringify(NPM_PACKAGE)});
      await chromium.executablePath(${JSON.stringify(bin)});
      await inflate(${JSON.stringify(join(bin, "al2023.tar.br"))});`;
    await runNode(["--input-type=module", "-e", script], { ...process.env, TMPDIR: tmp }, REPO_ROOT);
    for (const part of ["chromium", join("fonts", "fonts"), join("al2023", "lib", "libnss3.so")]) {
      if (!existsSync(join(tmp, part))) throw new Error(`${NPM_PACKAGE} left no ${part} in ${tmp}`);
    }
    await writeFile(join(tmp, "fonts.conf"), fontsConf(dir));
    await writeFile(join(tmp, MARKER), JSON.stringify({ package: NPM_PACKAGE, version, unpackedAt: new Date().toISOString() }, null, 2) + "\n");
    if (existsSync(join(dir, MARKER))) return dir; // another run finished first
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return dir;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function runNode(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      code === 0 ? resolvePromise() : reject(new Error(`unpacking ${NPM_PACKAGE} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`)),
    );
  });
}

/** Removes temp folders of earlier unpacks whose process is gone. */
async function removeStaleTemps(cache: string): Promise<void> {
  for (const name of readdirSync(cache)) {
    const m = /^\.tmp-npm-chromium-.*-(\d+)$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      await rm(join(cache, name), { recursive: true, force: true });
    }
  }
}
