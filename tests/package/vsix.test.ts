// Packages the extension once (scripts/package.mjs: minified build + vsce package) and
// checks what the VSIX carries: the three bundles, the lab template, README, LICENSE and
// the manifest; and none of the repo's sources, tests, scripts, source maps or packages.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const VSIX = join(REPO_ROOT, "dist-vsix", "restate-idempotency-lab.vsix");
const TEMPLATE = "lab-templates/payment-service";

// --- a tiny zip reader: the central directory lists every entry -------------------------

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

function readZipEntries(zip: Buffer): ZipEntry[] {
  // End of central directory record: 22 bytes plus a comment of up to 65,535 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file: no end of central directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error("zip64 archives are not supported by this reader");
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry at ${offset}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    entries.push({
      method: zip.readUInt16LE(offset + 10),
      compressedSize: zip.readUInt32LE(offset + 20),
      size: zip.readUInt32LE(offset + 24),
      localHeaderOffset: zip.readUInt32LE(offset + 42),
      name: zip.toString("utf8", offset + 46, offset + 46 + nameLength),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
}

// --- the package under test ---------------------------------------------------------------

let zip: Buffer;
let entries: ZipEntry[];
let names: string[];

/** Template files git knows (tracked or new, not ignored) that still exist on disk. */
function templateSourceFiles(): string[] | undefined {
  try {
    const out = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", TEMPLATE], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    return out.split("\0").filter((f) => f && existsSync(join(REPO_ROOT, f)));
  } catch {
    return undefined; // no git (e.g. a source tarball): the fixed list below still applies
  }
}

/** Entries matching `bad`, as a readable list for the failure message. */
function offending(bad: (name: string) => boolean): string[] {
  return names.filter(bad);
}

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "package.mjs")], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 32 * 1024 * 1024,
  });
  if (r.status !== 0) {
    throw new Error(`scripts/package.mjs failed (${r.signal ?? `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`);
  }
  zip = readFileSync(VSIX);
  entries = readZipEntries(zip);
  names = entries.map((e) => e.name).sort();
  console.log(`VSIX ${VSIX}: ${(statSync(VSIX).size / 1024).toFixed(1)} KB, ${names.length} entries`);
}, 300_000);

describe("the VSIX", () => {
  it("contains the bundles, the panel's styles, README, LICENSE and the manifest", () => {
    const required = [
      "extension/dist/extension.cjs",
      "extension/dist/features.cjs",
      "extension/dist/cli.cjs",
      "extension/dist/supervisor.cjs",
      "extension/dist/webview.js",
      "extension/dist/webview.css",
      "extension/package.json",
      "extension.vsixmanifest",
    ];
    expect(
      required.filter((n) => !names.includes(n)),
      `missing from the VSIX; it has:\n${names.join("\n")}`,
    ).toEqual([]);
    // vsce stores the README as extension/readme.md and a LICENSE without an extension
    // as extension/LICENSE.txt.
    expect(
      names.filter((n) => /^extension\/readme\.md$/i.test(n)),
      "README",
    ).toHaveLength(1);
    expect(
      names.filter((n) => /^extension\/license(\.txt|\.md)?$/i.test(n)),
      "LICENSE",
    ).toHaveLength(1);
  });

  it("carries the lab template, including its dotfile stand-ins and lockfile", () => {
    const required = [
      "src/payment-service.ts",
      "gateway/server.ts",
      "package.json",
      "package-lock.json",
      "_gitignore",
      "tsconfig.json",
      "idempotency-lab.json",
      "README.md",
    ].map((f) => `extension/${TEMPLATE}/${f}`);
    const fromGit = (templateSourceFiles() ?? []).map((f) => `extension/${f}`);
    const missing = [...new Set([...required, ...fromGit])].filter((n) => !names.includes(n));
    expect(missing, "template files missing from the VSIX").toEqual([]);
  });

  it("has no node_modules, tests, repo sources, scripts, CI files or source maps", () => {
    const rules: Array<[string, (n: string) => boolean]> = [
      ["node_modules", (n) => n.split("/").includes("node_modules")],
      ["tests/", (n) => n.startsWith("extension/tests/")],
      ["src/ (the repo's own sources)", (n) => n.startsWith("extension/src/")],
      [".map files", (n) => n.endsWith(".map")],
      [".ci/", (n) => n.startsWith("extension/.ci/")],
      ["scripts/", (n) => n.startsWith("extension/scripts/")],
      ["lab state (.lab/, .restate/)", (n) => n.split("/").some((s) => s === ".lab" || s === ".restate")],
      ["a nested .vsix", (n) => n.endsWith(".vsix")],
    ];
    const found = rules
      .map(([what, bad]) => [what, offending(bad)] as const)
      .filter(([, hits]) => hits.length > 0)
      .map(([what, hits]) => `${what}:\n  ${hits.join("\n  ")}`);
    expect(found, "entries that must not be in the VSIX").toEqual([]);
  });

  it("has nothing at the top of extension/ besides what .vscodeignore lets through", () => {
    const allowed = [
      /^extension\/package\.json$/,
      /^extension\/readme\.md$/i,
      /^extension\/changelog\.md$/i,
      /^extension\/license(\.txt|\.md)?$/i,
      /^extension\/dist\/[^/]+\.cjs$/,
      /^extension\/dist\/webview\.(js|css)$/,
      /^extension\/lab-templates\//,
      /^extension\/media\/[^/]+\.svg$/,
      /^extension\/media\/walkthrough\/[^/]+\.md$/,
    ];
    const unexpected = offending((n) => n.startsWith("extension/") && !allowed.some((re) => re.test(n)));
    expect(unexpected, "unexpected entries under extension/").toEqual([]);
  });

  it("ships a manifest whose main bundle is in the VSIX", () => {
    const entry = entries.find((e) => e.name === "extension/package.json");
    expect(entry).toBeDefined();
    const manifest = JSON.parse(readZipEntry(zip, entry!).toString("utf8")) as { main: string; name: string };
    expect(manifest.name).toBe("restate-idempotency-lab");
    expect(names).toContain(`extension/${manifest.main.replace(/^\.\//, "")}`);
    const bundle = entries.find((e) => e.name === `extension/${manifest.main.replace(/^\.\//, "")}`)!;
    // A real bundle, minified (a few long lines, not thousands of short ones).
    const text = readZipEntry(zip, bundle).toString("utf8");
    expect(bundle.size).toBeGreaterThan(1_000);
    expect(text.split("\n").length, "extension bundle looks unminified").toBeLessThan(50);
  });
});
