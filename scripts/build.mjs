// One esbuild script, one entry per bundle. `--watch` rebuilds on change, `--minify` for packaging.
import * as esbuild from "esbuild";

const watch = process.argv.includes("--watch");
const minify = process.argv.includes("--minify");

const bundles = [
  { entryPoints: ["src/extension/extension.ts"], outfile: "dist/extension.cjs", external: ["vscode"] },
  { entryPoints: ["src/cli/main.ts"], outfile: "dist/cli.cjs", banner: { js: "#!/usr/bin/env node" } },
  { entryPoints: ["src/lab/supervisor-main.ts"], outfile: "dist/supervisor.cjs" },
  // The lab panel's webview: a browser bundle (dist/webview.js, and dist/webview.css from the
  // stylesheets it imports), talking to src/extension/panel through src/shared/protocol.ts.
  { entryPoints: ["src/webview/main.ts"], outfile: "dist/webview.js", platform: "browser", format: "iife", target: "es2022", define: {}, inject: [] },
  // Extension-host test suites (not shipped): run inside VS Code by tests/host/host.test.ts.
  { entryPoints: ["tests/host/suite.ts"], outfile: "out/host/suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/untrusted-suite.ts"], outfile: "out/host/untrusted-suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/palette-suite.ts"], outfile: "out/host/palette-suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/panel-suite.ts"], outfile: "out/host/panel-suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/security-suite.ts"], outfile: "out/host/security-suite.cjs", external: ["vscode"] },
  { entryPoints: ["tests/host/walkthrough-suite.ts"], outfile: "out/host/walkthrough-suite.cjs", external: ["vscode"] },
];

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: !minify, // the packaged extension carries no maps
  minify,
  logLevel: "warning",
  // The sources are ESM and use import.meta.url; the bundles are CommonJS.
  define: { "import.meta.url": "__import_meta_url" },
  inject: ["scripts/import-meta-url.js"],
};

for (const bundle of bundles) {
  const options = { ...common, ...bundle };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
if (watch) console.log("watching for changes");
