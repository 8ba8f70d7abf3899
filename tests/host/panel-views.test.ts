// The panel's views in a real VS Code, one window for five drivers in turn: the layout before and
// after a first run (layout-driver.ts), the anti-pattern's attempts and two predictions
// (lessons-driver.ts), the code block and each charge's cause (code-driver.ts), the run view's
// why (run-why-driver.ts), and the inspector's journal (journal-driver.ts). The suite inside VS
// Code (panel-views-suite.ts) checks what they read against the runs, the ledger and the lab's files.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeDriver, type CodeOutcome } from "./code-driver.js";
import { journalDriver } from "./journal-driver.js";
import { layoutDriver } from "./layout-driver.js";
import { attemptsDriver, predictionsDriver } from "./lessons-driver.js";
import { expectSuitePassed, runSuite, shotsDir, signalDir, withLab } from "./outer.js";
import { runWhyDriver } from "./run-why-driver.js";

describe("the panel's views", () => {
  it("shows the next run's parameters, prediction and Run without scrolling at 1600x1000, the catalog in five groups with done marks, and the chaos form's fields at 700 px; draws the anti-pattern's two attempts and two linked charges in three themes; scores predictions beside the evidence and checks the walkthrough step; shows each scenario's handler with its charge line marked, says each charge's cause, and opens the file at a clicked line; shows what Restate did with each request's key, the attempts behind the invocations, and the failed invariant first; says in plain words what each entry of a retried invocation's journal means, and an attempt's code link shows the charge line", async () => {
    await withLab(async (workspace) => {
      const s = signalDir({ timeoutMs: 300_000 });
      let code: CodeOutcome | undefined;
      const run = await runSuite(
        "panel-views-suite.cjs",
        workspace,
        {
          async onPage(page) {
            await layoutDriver(page, s);
            if (await attemptsDriver(page, s)) await predictionsDriver(page, s);
            code = await codeDriver(page, s, workspace);
            await runWhyDriver(page, s, "why-panel-open");
            await journalDriver(page, s);
          },
        },
        s.dir,
      );
      // open, 3 of the layout, 6 of the attempts and predictions, 6 of the code (the panel brought
      // back first), the panel alone again, 3 of the why, 1 of the journal, stop
      expectSuitePassed(run, { cases: 22 });
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
