// The exercises' tests, against a real Restate server: `npm run test:exercises` runs them on
// your code in exercises/, `npm run test:solutions` (mode "solutions") on solutions/.
// LAB_EXERCISES_DIR=solutions in the environment does the same as the mode. LAB_TRY_FILES
// (see exercises/serve.ts) judges other versions of an exercise, kept outside exercises/.
import { defineConfig } from "vitest/config";

export default defineConfig(({ mode }) => ({
  test: {
    name: "exercises",
    include: ["test/exercises/**/*.test.ts"],
    env: mode === "solutions" ? { LAB_EXERCISES_DIR: "solutions" } : {},
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
}));
