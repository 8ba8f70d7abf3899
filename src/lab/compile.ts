// The lab's gateway and service are the learner's TypeScript. Before each start the supervisor
// compiles them to plain JavaScript with the esbuild the lab already has (tsx depends on it), so
// Node runs them without a TypeScript loader: they start in a third of the time and use less
// memory. An edit takes effect at the next start, as before; without esbuild, tsx runs them.
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
  const compiled = { gateway: join(outdir, "gateway-start.mjs"), service: join(outdir, "service-start.mjs") };
  // Nothing it read has changed since the last compile: its output stands (compile-stamp.ts).
  if (isUpToDate(outdir, STAMP_KEY)) return compiled;
  let esbuild: EsbuildApi;
  try {
    esbuild = createRequire(join(paths.workspace, "package.json"))("esbuild") as EsbuildApi;
  } catch {
    return null;
  }
  checkLabDir(paths.workspace, outdir, true);
  const startedAt = Date.now();
  const result = await esbuild
    .build({
      entryPoints: { gateway: paths.gatewayScript, service: paths.serviceScript },
      outdir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node22",
      // The lab's packages stay where npm put them; only the learner's own files are bundled.
      packages: "external",
      // Stack traces point at the learner's .ts lines.
      sourcemap: "inline",
      metafile: true,
      logLevel: "silent",
      // Written by us, not by esbuild: a file replaced in one step, never written through a link.
      write: false,
    })
    .finally(() => esbuild.stop?.());
  for (const file of result.outputFiles ?? []) writeFileAtomic(file.path, file.contents);
  const packagesOf = (name: string) =>
    Object.entries(result.metafile?.outputs ?? {})
      .filter(([output]) => output.endsWith(`/${name}.mjs`) || output === `${name}.mjs`)
      .flatMap(([, output]) => output.imports)
      .filter((i) => i.external && !i.path.startsWith("node:"))
      .map((i) => i.path);
  for (const name of ["gateway", "service"]) writeFileAtomic(join(outdir, `${name}-start.mjs`), startScript(name, [...new Set(packagesOf(name))]));
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

/** Bump when the build options or the start script change: older output is then compiled again. */
const STAMP_KEY = "compile-v1";

/**
 * What Node runs: the packages the compiled file imports load first, then source maps go on, then
 * the compiled file. --enable-source-maps would also read the packages' own maps (the Restate SDK
 * ships about 130), which cost a compiled service about 35 ms of every start (157 -> 124 ms here);
 * the learner's stack traces still point at their .ts lines.
 */
function startScript(name: string, packages: string[]): string {
  const compiled = JSON.stringify(`./${name}.mjs`);
  return [
    "// Written by the lab (src/lab/compile.ts) at each start; edit the .ts sources, not this.",
    'import { fileURLToPath } from "node:url";',
    ...packages.map((p) => `await import(${JSON.stringify(p)});`),
    "process.setSourceMapsEnabled(true);",
    "// As if Node had started the compiled file: code that finds itself in process.argv[1] (the gateway does) still does.",
    `process.argv[1] = fileURLToPath(new URL(${compiled}, import.meta.url));`,
    `await import(${compiled});`,
    "",
  ].join("\n");
}
