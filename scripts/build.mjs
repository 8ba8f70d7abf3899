// One esbuild script, one entry per bundle. `--watch` rebuilds on change, `--minify` for packaging.
// The bench imports BUNDLES and optionsFor() to measure the bundles built exactly this way.
import * as esbuild from "esbuild";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** @type {import("esbuild").BuildOptions[]} */
export const BUNDLES = [
  { entryPoints: ["src/extension/extension.ts"], outfile: "dist/extension.cjs", external: ["vscode"] },
  // The extension's second half, loaded on first use (src/extension/load-features.ts).
  { entryPoints: ["src/extension/features.ts"], outfile: "dist/features.cjs", external: ["vscode"] },
  { entryPoints: ["src/cli/main.ts"], outfile: "dist/cli.cjs", banner: { js: "#!/usr/bin/env node" } },
  { entryPoints: ["src/lab/supervisor-main.ts"], outfile: "dist/supervisor.cjs" },
  // The lab panel's webview: a browser bundle (dist/webview.js, and dist/webview.css from the
  // stylesheets it imports), talking to src/extension/panel through src/shared/protocol.ts.
  { entryPoints: ["src/webview/app/main.ts"], outfile: "dist/webview.js", platform: "browser", format: "iife", target: "es2022", define: {}, inject: [] },
  // Extension-host test suites (not shipped): run inside VS Code by tests/host/host.test.ts.
  { entryPoints: ["tests/host/suite.ts"], outfile: "out/host/suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/security-suite.ts"], outfile: "out/host/security-suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/walkthrough-suite.ts"], outfile: "out/host/walkthrough-suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/panel-states-suite.ts"], outfile: "out/host/panel-states-suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/panel-views-suite.ts"], outfile: "out/host/panel-views-suite.cjs", external: ["vscode"] },
  // `npm run screenshots`: the README pictures (tests/host/screenshots.shots.ts).
  { entryPoints: ["tests/host/screenshots-suite.ts"], outfile: "out/host/screenshots-suite.cjs", external: ["vscode"] },
];

/**
 * The full esbuild options of one bundle; paths are relative to the repository.
 * @param {import("esbuild").BuildOptions} bundle
 * @param {{ minify?: boolean }} [how]
 * @returns {import("esbuild").BuildOptions}
 */
export function optionsFor(bundle, { minify = false } = {}) {
  return {
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: !minify, // the packaged extension carries no maps
    minify,
    logLevel: "warning",
    absWorkingDir: root,
    // The sources are ESM and use import.meta.url; the bundles are CommonJS.
    define: { "import.meta.url": "__import_meta_url" },
    inject: ["scripts/import-meta-url.js"],
    ...bundle,
  };
}

async function main() {
  const watch = process.argv.includes("--watch");
  const minify = process.argv.includes("--minify");
  for (const bundle of BUNDLES) {
    const options = optionsFor(bundle, { minify });
    if (watch) await (await esbuild.context(options)).watch();
    else await esbuild.build(options);
  }
  if (watch) console.log("watching for changes");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
