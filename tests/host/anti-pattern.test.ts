// The anti-pattern "charge outside ctx.run" in the panel, in one real VS Code window: its attempts
// and two predictions (lessons-driver.ts), then the code block and each charge's cause
// (code-driver.ts). The suite inside VS Code (anti-pattern-suite.ts) checks what they read against
// the runs, the ledger and the lab's files.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeDriver, type CodeOutcome } from "./code-driver.js";
import { attemptsDriver, predictionsDriver } from "./lessons-driver.js";
import { expectSuitePassed, runSuite, shotsDir, signalDir, withLab } from "./outer.js";

describe("the anti-pattern in the lab panel", () => {
  it("draws its two attempts and two linked charges in three themes; scores predictions beside the evidence and checks the walkthrough step; shows each scenario's handler with its charge line marked, says each charge's cause, and opens the file at a clicked line", async () => {
    await withLab(async (workspace) => {
      const s = signalDir();
      let code: CodeOutcome | undefined;
      const run = await runSuite(
        "anti-pattern-suite.cjs",
        workspace,
        {
          async onPage(page) {
            if (await attemptsDriver(page, s)) await predictionsDriver(page, s);
            code = await codeDriver(page, s, workspace);
          },
        },
        s.dir,
      );
      // open, 6 of the attempts and predictions, 6 of the code (the panel brought back first), stop
      expectSuitePassed(run, { cases: 14 });
      for (const theme of ["light", "dark", "hc"]) expect(existsSync(join(shotsDir, `timeline-${theme}.png`)), theme).toBe(true);
      // Opened again from the history, each run shows the code it showed when it ran.
      expect(code?.reopened.duplicates).toEqual(code?.shown?.duplicates.blocks);
      expect(code?.reopened.anti).toEqual(code?.shown?.anti.blocks);
      expect(code?.reopened.anti.map((b) => b.handler)).toContain("chargeOutsideRun");
      // A history record edited to break the protocol: the panel says which run, what is wrong, and what to do.
      expect(code?.brokenNotice).toMatch(
        /^Could not open the run: Run \S+ in the lab's history cannot be shown: .*requests.*\.lab\/history .*run the scenario again/,
      );
    });
  });
});
