// Extension: the minified bundles (built with scripts/build.mjs's own options, into a temp
// folder: dist/ keeps the development build) and the VSIX.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as esbuild from "esbuild";
import { packageRoot } from "../../../src/lab/paths.js";
import { BUNDLES, optionsFor } from "../../../scripts/build.mjs";
import { figure, notMeasured, type Row } from "../figures.js";

export async function bundleSizes(): Promise<Row[]> {
  const root = packageRoot();
  const out = mkdtempSync(join(tmpdir(), "bench-bundles-"));
  try {
    const sizeOf = async (outfile: string) => {
      const bundle = BUNDLES.find((b) => b.outfile === outfile);
      if (!bundle) throw new Error(`scripts/build.mjs builds no ${outfile}`);
      const file = join(out, basename(outfile));
      await esbuild.build({ ...optionsFor(bundle, { minify: true }), outfile: file });
      return statSync(file).size / 1024;
    };
    // Two bundles ship: the one activation loads, and the rest on first use (src/extension/load-features.ts).
    const first = await sizeOf("dist/extension.cjs");
    const second = await sizeOf("dist/features.cjs");
    const rows = [
      figure({
        section: "extension",
        name: "extension bundles, minified (both)",
        value: first + second,
        unit: "KB",
        target: { what: "value", cmp: "<=", limit: 300 },
      }),
      figure({ section: "extension", name: "  of which: loaded at activation (extension.cjs)", value: first, unit: "KB" }),
      figure({ section: "extension", name: "webview bundle, minified", value: await sizeOf("dist/webview.js"), unit: "KB", note: "no target in the issue" }),
    ];
    const vsix = join(out, "bench.vsix");
    const r = spawnSync(process.execPath, [join(root, "scripts/package.mjs"), "--out", vsix], { cwd: root, encoding: "utf8", timeout: 300_000 });
    if (r.status === 0 && existsSync(vsix))
      rows.push(figure({ section: "extension", name: "VSIX", value: statSync(vsix).size / 1024, unit: "KB", note: "no target in the issue" }));
    else
      rows.push(
        notMeasured(
          "extension",
          "VSIX",
          `scripts/package.mjs failed: ${(r.stderr || r.stdout || r.error?.message || "").trim().split("\n").slice(-3).join(" | ")}`,
        ),
      );
    return rows;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
