import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "template",
    include: ["test/**/*.test.ts"],
    // The exercises' tests fail until the exercises are solved: they have a config of their
    // own (vitest.exercises.config.ts, `npm run test:exercises`).
    exclude: ["test/exercises/**", "**/node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
