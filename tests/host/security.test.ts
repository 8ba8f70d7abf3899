// A lab folder from someone else, opened in a real VS Code: untrusted, it runs and signals
// nothing; trusted, its forged files and settings still decide nothing the user did not confirm.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, it } from "vitest";
import { workspacePaths } from "../../src/lab/paths.js";
import { expectSuitePassed, newLab, runSuite, withLab } from "./outer.js";

describe("a lab folder from someone else", () => {
  it("untrusted: starts, installs, runs, stops and resets nothing, even with a planted vitest and a forged stack.json", async () => {
    const workspace = newLab(false);
    // What the folder brings: a "vitest" that would leave a mark if the Test Explorer ran it.
    const planted = join(workspacePaths(workspace).nodeModules, "vitest");
    mkdirSync(planted, { recursive: true });
    writeFileSync(
      join(planted, "vitest.mjs"),
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(join(workspace, "PLANTED-CODE-RAN"))}, "yes");\n`,
    );
    const run = await runSuite("untrusted-suite.cjs", workspace, { disableWorkspaceTrust: false });
    expectSuitePassed(run, { cases: 5 });
  });

  it("trusted: a forged stack.json signals nothing, and a workspace's Restate URL is confirmed by the user and never gets the token", async () => {
    await withLab(async (workspace) => {
      const run = await runSuite("security-suite.cjs", workspace, {
        // Answers the confirmation dialog the way a user would, when it shows.
        async onPage(page: Page) {
          const use = page.locator(".quick-input-widget .monaco-list-row", { hasText: "Use this Restate" });
          await use.waitFor({ state: "visible", timeout: 6 * 60_000 });
          await use.click();
        },
      });
      expectSuitePassed(run, { cases: 3 });
    });
  });
});
