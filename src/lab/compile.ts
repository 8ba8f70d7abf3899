// The lab's gateway and service are the learner's TypeScript. Before each start the supervisor
// compiles them to plain JavaScript with the esbuild the lab already has (tsx depends on it), so
// Node runs them without a TypeScript loader: they start in a third of the time and use less
// memory. An edit takes effect at the next start, as before; without esbuild, tsx runs them.
// The output is CommonJS: a process whose code Node loads through its ES module loader idles
// about 11 MB bigger (measured here: a bare node:http server 47 MB RSS as .cjs, 58 MB as .mjs;
// the gateway 66 -> 49 MB, the service 78 -> 71 MB). Sources that need ES modules (a top-level
// await) are compiled as ES modules, as before.
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";
import { inputPaths, isUpToDate, writeStamp } from "./compile-stamp.js";
import { checkLabDir } from "./lab-files.js";
import type { WorkspacePaths } from "./paths.js";

/** The start scripts Node runs for each (see startScript). */
export interface Compiled {
  gateway: string;
  service: string;
  /**
   * The compiled gateway itself, as a CommonJS module the supervisor loads into its own process
   * (supervisor.ts startGatewayHere); null when the sources compiled as ES modules.
   */
  gatewayModule: string | null;
}

interface EsbuildApi {
  build(options: Record<string, unknown>): Promise<{
    outputFiles?: Array<{ path: string; contents: Uint8Array }>;
    metafile?: { inputs: Record<string, unknown>; outputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }> };
  }>;
  /** Ends esbuild's helper process, which would otherwise live (and hold memory) as long as the supervisor. */
  stop?: () => void | Promise<void>;
}

/** Compiles both entry points into .lab/build; null when the workspace has no esbuild (tsx then runs the sources). */
export async function compileLab(paths: WorkspacePaths): Promise<Compiled | null> {
  const outdir = join(paths.lab, "build");
  // Nothing it read has changed since the last compile: its output stands (compile-stamp.ts).
  const stamped = readStampedOutput(outdir);
  if (stamped && isUpToDate(outdir, STAMP_KEY)) return stamped;
  let esbuild: EsbuildApi;
  try {
    esbuild = createRequire(join(paths.workspace, "package.json"))("esbuild") as EsbuildApi;
  } catch {
    return null;
  }
  checkLabDir(paths.workspace, outdir, true);
  const startedAt = Date.now();
  let format: Format = "cjs";
  let result: BuildResult;
  try {
    result = await build(esbuild, paths, outdir, "cjs").catch((err: Error) => {
      // CommonJS has no top-level await: such sources stay ES modules.
      if (!/top-level await/i.test(err.message)) throw err;
      format = "esm";
      return build(esbuild, paths, outdir, "esm");
    });
  } finally {
    await esbuild.stop?.();
  }
  const ext = EXTENSION[format];
  const compiled = withModule(outdir, format);
  for (const file of result.outputFiles ?? []) writeFileAtomic(file.path, file.contents);
  // The other format's output, from an earlier compile, must not be taken for this one's.
  const other = EXTENSION[format === "cjs" ? "esm" : "cjs"];
  for (const name of ["gateway", "service", "gateway-start", "service-start"]) rmSync(join(outdir, `${name}${other}`), { force: true });
  const packagesOf = (name: string) =>
    Object.entries(result.metafile?.outputs ?? {})
      .filter(([output]) => output.endsWith(`/${name}${ext}`) || output === `${name}${ext}`)
      .flatMap(([, output]) => output.imports)
      .filter((i) => i.external && !i.path.startsWith("node:"))
      .map((i) => i.path);
  for (const name of ["gateway", "service"] as const) writeFileAtomic(compiled[name], startScript(name, format, [...new Set(packagesOf(name))]));
  // The workspace's package.json and tsconfig.json change how esbuild reads the sources.
  const inputs = [
    ...inputPaths(Object.keys(result.metafile?.inputs ?? {}), process.cwd()),
    join(paths.workspace, "package.json"),
    join(paths.workspace, "tsconfig.json"),
  ];
  const outputs = [...(result.outputFiles ?? []).map((f) => f.path), compiled.gateway, compiled.service];
  writeStamp(outdir, STAMP_KEY, inputs, outputs, startedAt);
  return compiled;
}

type Format = "cjs" | "esm";
type BuildResult = Awaited<ReturnType<EsbuildApi["build"]>>;
const EXTENSION: Record<Format, string> = { cjs: ".cjs", esm: ".mjs" };

function build(esbuild: EsbuildApi, paths: WorkspacePaths, outdir: string, format: Format): Promise<BuildResult> {
  return esbuild.build({
    entryPoints: { gateway: paths.gatewayScript, service: paths.serviceScript },
    outdir,
    outExtension: { ".js": EXTENSION[format] },
    bundle: true,
    platform: "node",
    format,
    target: "node22",
    // The lab's packages stay where npm put them; only the learner's own files are bundled.
    packages: "external",
    // Stack traces point at the learner's .ts lines.
    sourcemap: "inline",
    metafile: true,
    logLevel: "silent",
    // Written by us, not by esbuild: a file replaced in one step, never written through a link.
    write: false,
    // The sources are ES modules: in CommonJS, import.meta's file names come from __filename.
    ...(format === "cjs"
      ? {
          define: { "import.meta.url": "__labImportMetaUrl", "import.meta.filename": "__filename", "import.meta.dirname": "__dirname" },
          banner: { js: 'var __labImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
        }
      : {}),
  });
}

function withModule(outdir: string, format: Format): Compiled {
  const ext = EXTENSION[format];
  return {
    gateway: join(outdir, `gateway-start${ext}`),
    service: join(outdir, `service-start${ext}`),
    gatewayModule: format === "cjs" ? join(outdir, `gateway${ext}`) : null,
  };
}

/** The start scripts the last compile wrote (either format), when they are all there. */
function readStampedOutput(outdir: string): Compiled | null {
  for (const format of ["cjs", "esm"] as const) {
    const compiled = withModule(outdir, format);
    if ([compiled.gateway, compiled.service, compiled.gatewayModule].every((f) => f === null || existsSync(f))) return compiled;
  }
  return null;
}

/** Bump when the build options or the start script change: older output is then compiled again. */
const STAMP_KEY = "compile-v3";

/**
 * What Node runs: the packages the compiled file imports load first, then source maps go on, then
 * the compiled file. --enable-source-maps would also read the packages' own maps (the Restate SDK
 * ships about 130), which cost a compiled service about 35 ms of every start (157 -> 124 ms here);
 * the learner's stack traces still point at their .ts lines.
 */
function startScript(name: string, format: Format, packages: string[]): string {
  const compiled = JSON.stringify(`./${name}${EXTENSION[format]}`);
  const head = "// Written by the lab (src/lab/compile.ts) at each start; edit the .ts sources, not this.";
  const argv = "// As if Node had started the compiled file: code that finds itself in process.argv[1] (the gateway does) still does.";
  // The service tells the supervisor (over the IPC channel it starts it with) each port it listens
  // on: a port that answers may be another program's, and the lab must register only its own service.
  const reportPorts = [
    "// Tells the lab's supervisor which port this process listens on (a port that answers may be another program's).",
    `{ const { Server } = ${format === "cjs" ? 'require("node:net")' : 'await import("node:net")'}; const listen = Server.prototype.listen;`,
    '  Server.prototype.listen = function (...args) { this.once("listening", () => { const a = this.address(); if (a && typeof a === "object") process.send?.({ labListening: a.port }); }); return listen.apply(this, args); }; }',
  ];
  const prologue = name === "service" ? reportPorts : [];
  if (format === "cjs") {
    return [
      head,
      ...prologue,
      ...packages.map((p) => `require(${JSON.stringify(p)});`),
      "process.setSourceMapsEnabled(true);",
      argv,
      `process.argv[1] = require("node:path").join(__dirname, ${compiled});`,
      `require(${compiled});`,
      "",
    ].join("\n");
  }
  return [
    head,
    'import { fileURLToPath } from "node:url";',
    ...prologue,
    ...packages.map((p) => `await import(${JSON.stringify(p)});`),
    "process.setSourceMapsEnabled(true);",
    argv,
    `process.argv[1] = fileURLToPath(new URL(${compiled}, import.meta.url));`,
    `await import(${compiled});`,
    "",
  ].join("\n");
}
