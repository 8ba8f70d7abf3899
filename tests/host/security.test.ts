// A lab folder from someone else, opened in a real VS Code: untrusted, it runs and signals
// nothing; once the user trusts it in the workbench, its forged files and settings still decide
// nothing the user did not confirm. One window (security-suite.ts), as a user meets it.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, inject, it } from "vitest";
import { workspacePaths } from "../../src/lab/paths.js";
import { down } from "../../src/lab/stack.js";
import { expectSuitePassed, newLab, runSuite, signalDir } from "./outer.js";

describe("a lab folder from someone else", () => {
  it("untrusted: starts, installs, runs, stops and resets nothing, even with a planted vitest and a forged stack.json; trusted in the workbench: a forged stack.json signals nothing, and a workspace's Restate URL is confirmed by the user and never gets the token", async () => {
    const workspace = newLab(false);
    const nodeModules = workspacePaths(workspace).nodeModules;
    // What the folder brings: a "vitest" that would leave a mark if the Test Explorer ran it.
    const planted = join(nodeModules, "vitest");
    mkdirSync(planted, { recursive: true });
    writeFileSync(
      join(planted, "vitest.mjs"),
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(join(workspace, "PLANTED-CODE-RAN"))}, "yes");\n`,
    );
    const s = signalDir();
    try {
      const run = await runSuite(
        "security-suite.cjs",
        workspace,
        {
          disableWorkspaceTrust: false,
          async onPage(page) {
            // The user trusts the folder: the lab's packages take the planted ones' place first
            // (the trusted part starts the lab), then Trust in Manage Workspace Trust.
            await s.wait("trust-asked");
            rmSync(nodeModules, { recursive: true, force: true });
            symlinkSync(inject("labNodeModules"), nodeModules, "dir");
            const trust = page.locator(".workspace-trust-editor .workspace-trust-buttons .monaco-button").filter({ hasText: /^Trust(?! Parent)/ });
            await trust.first().click({ timeout: 120_000 });
            // Then answers the confirmation dialog the way a user would, when it shows.
            const use = page.locator(".quick-input-widget .monaco-list-row", { hasText: "Use this Restate" });
            await use.waitFor({ state: "visible", timeout: 6 * 60_000 });
            await use.click();
          },
        },
        s.dir,
      );
      // 5 untrusted, the trust granted, 3 trusted
      expectSuitePassed(run, { cases: 9 });
    } finally {
      await down(workspace);
    }
  });
});
