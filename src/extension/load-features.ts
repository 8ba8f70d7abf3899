// Loads the extension's second bundle (src/extension/features.ts) the first time a command, the
// panel or the Test Explorer needs it, so activation parses and runs only the first.
import { join } from "node:path";
import type * as Features from "./features.js";

let loaded: typeof Features | undefined;
/** How long the first use spent loading the second bundle (for npm run bench); null until then. */
export const featuresLoad: { ms: number | null } = { ms: null };

export function features(): typeof Features {
  if (loaded === undefined) {
    const t0 = performance.now();
    // Beside this bundle in dist/; a path esbuild cannot follow keeps it out of extension.cjs.
    const file = join(__dirname, "features.cjs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
    loaded = require(file) as typeof Features;
    featuresLoad.ms = performance.now() - t0;
  }
  return loaded;
}
