// Vitest config of `npm run screenshots` alone: kept out of vitest.config.ts so that `npm test`
// never rewrites the committed pictures.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["tests/host/screenshots.shots.ts"],
    globalSetup: ["tests/stack/global-setup.ts"],
    // The first run prepares a VS Code server (a few minutes on 2 cores).
    testTimeout: 20 * 60_000,
    hookTimeout: 20 * 60_000,
  },
});
