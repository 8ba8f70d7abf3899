import { defineConfig } from "vitest/config";

const REFUSALS = ["tests/faults/security.test.ts", "tests/faults/durability.test.ts", "tests/faults/generated-*.test.ts"];

export default defineConfig({
  test: {
    reporters: ["default", "./tests/summary-reporter.ts"],
    // One file at a time (vitest's default on 2 cores): two at once made the faults and stack
    // files' bursts and process kills fail each other on this machine.
    projects: [
      // The scaffolded workspace's own tests, run in place (its dependencies resolve from the repo's node_modules).
      "lab-templates/payment-service",
      // Unit files share one module graph (no fresh worker a file): 7 s instead of 25 s, and none
      // of them leaves state behind that another reads (each passes alone and in any order).
      { test: { name: "unit", include: ["tests/unit/**/*.test.ts"], isolate: false } },
      // Builds the .vsix (minified, in a staging copy) and checks what it carries.
      { test: { name: "package", include: ["tests/package/**/*.test.ts"], hookTimeout: 300_000 } },
      {
        test: {
          name: "stack",
          include: ["tests/stack/**/*.test.ts"],
          exclude: ["tests/stack/workspace.test.ts"],
          globalSetup: ["tests/stack/global-setup.ts"],
          // Stack tests prefer the default ports and count processes: one file at a time.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          // A scaffolded lab's own scripts (npm test, npm run dev) on free ports, no process
          // counted: npm test runs it in the template's lane, beside the stack tests.
          name: "workspace",
          include: ["tests/stack/workspace.test.ts"],
          globalSetup: ["tests/stack/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "faults",
          include: ["tests/faults/**/*.test.ts"],
          exclude: REFUSALS,
          globalSetup: ["tests/stack/global-setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          // The faults tests whose bad input is refused and changes nothing (a folder from someone
          // else, a broken ledger, generated messages and command lines): no timing in them, so
          // npm test runs them in the template's lane, which has minutes to spare.
          name: "refusals",
          include: REFUSALS,
          globalSetup: ["tests/stack/global-setup.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: "host",
          include: ["tests/host/**/*.test.ts"],
          globalSetup: ["tests/stack/global-setup.ts"],
          fileParallelism: false,
          // The first run prepares a VS Code server (about 2 minutes on 2 cores).
          testTimeout: 15 * 60_000,
          hookTimeout: 15 * 60_000,
        },
      },
    ],
  },
});
