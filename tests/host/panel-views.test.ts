// The panel's views in a real VS Code, one window for five drivers in turn: the layout before and
// after a first run (layout-driver.ts), the anti-pattern's attempts and two predictions
// (lessons-driver.ts), the code block and each charge's cause (code-driver.ts), the run view's
// why (run-why-driver.ts), the inspector's journal (journal-driver.ts), and the chaos runs:
// seeded, against PaymentService and the charge-outside-run anti-pattern, shrunk, stopped
// (chaos-driver.ts). The suite inside VS Code (panel-views-suite.ts) checks what they read against
// the runs, the ledger and the lab's files.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chaosDriver, type ChaosOutcome } from "./chaos-driver.js";
import { codeDriver, type CodeOutcome } from "./code-driver.js";
import { journalDriver } from "./journal-driver.js";
import { layoutDriver } from "./layout-driver.js";
import { attemptsDriver, predictionsDriver } from "./lessons-driver.js";
import { expectSuitePassed, runSuite, shotsDir, signalDir, withLab } from "./outer.js";
import { runWhyDriver } from "./run-why-driver.js";

describe("the panel's views", () => {
  it(
    "shows the next run's parameters, prediction and Run without scrolling at 1600x1000, the catalog in five groups with done marks, and the chaos form's fields at 700 px; draws the anti-pattern's two attempts and two linked charges in three themes; scores predictions beside the evidence and checks the walkthrough step; shows each scenario's handler with its charge line marked, says each charge's cause, and opens the file at a clicked line; shows what Restate did with each request's key, the attempts behind the invocations, and the failed invariant first; says in plain words what each entry of a retried invocation's journal means, and an attempt's code link shows the charge line; runs chaos seed 7 against PaymentService (every invariant holds, safe) and the charge-outside-run anti-pattern (a double charge, its history opened, then shrunk to its smallest failing run) in three themes and at 700 px, and a long chaos run the learner stops",
    async () => {
      await withLab(async (workspace) => {
        const s = signalDir({ timeoutMs: 600_000 });
        let code: CodeOutcome | undefined;
        let chaos: ChaosOutcome | undefined;
        const run = await runSuite(
          "panel-views-suite.cjs",
          workspace,
          {
            timeoutMs: 25 * 60_000,
            async onPage(page) {
              await layoutDriver(page, s);
              if (await attemptsDriver(page, s)) await predictionsDriver(page, s);
              code = await codeDriver(page, s, workspace);
              await runWhyDriver(page, s, "why-panel-open");
              await journalDriver(page, s);
              chaos = await chaosDriver(page, s, workspace);
            },
          },
          s.dir,
        );
        // open, 3 of the layout, 6 of the attempts and predictions, 6 of the code (the panel brought
        // back first), the panel alone again, 3 of the why, 1 of the journal, 5 of the chaos runs
        // (the panel alone again first), stop
        expectSuitePassed(run, { cases: 27 });
        for (const theme of ["light", "dark", "hc"]) expect(existsSync(join(shotsDir, `timeline-${theme}.png`)), theme).toBe(true);
        // Opened again from the history, each run shows the code it showed when it ran.
        expect(code?.reopened.duplicates).toEqual(code?.shown?.duplicates.blocks);
        expect(code?.reopened.anti).toEqual(code?.shown?.anti.blocks);
        expect(code?.reopened.anti.map((b) => b.handler)).toContain("chargeOutsideRun");
        // A history record edited to break the protocol: the panel says which run, what is wrong, and what to do.
        expect(code?.brokenNotice).toMatch(
          /^Could not open the run: Run \S+ in the lab's history cannot be shown: .*requests.*\.lab\/history .*run the scenario again/,
        );
        // The smallest failing run: no larger than the run it came from, of the same seed, with a command line and a chain.
        const shrunk = chaos!.shrunk;
        expect(shrunk.error).toBeUndefined();
        expect(shrunk.runOffWhileShrinking).toBe(true);
        expect(shrunk.progress).toMatch(/^Shrinking: (starting…|run [1-8] of at most 8…)$/);
        expect(shrunk.payments).toBeGreaterThanOrEqual(1);
        expect(shrunk.payments).toBeLessThanOrEqual(chaos!.antiPayments);
        expect(shrunk.seed).toBe("7");
        expect(shrunk.headline).toMatch(/^Smallest failing run: seed 7, \d+ payments?, (no fault|faults? #\d+(, #\d+)*) \(\d+ runs? tried\)$/);
        expect(shrunk.command).toMatch(/^idempotency-lab chaos /);
        expect(shrunk.command).toContain("--seed 7");
        expect(shrunk.command).toContain(`--payments ${shrunk.payments}`);
        expect(shrunk.invariants).not.toBe("");
        expect(shrunk.chains).toBeGreaterThan(0);
        expect(shrunk.historyAfter).toBe(shrunk.historyBefore);
        // Dark and Light Modern's charts.orange is VS Code's 33%-opaque find highlight: the panel must not write with it.
        expect(chaos!.faintOrange).toEqual([]);
        for (const name of ["chaos-safe-light", "chaos-anti-light", "chaos-anti-dark", "chaos-anti-hc", "chaos-anti-700"])
          expect(existsSync(join(shotsDir, `${name}.png`)), name).toBe(true);
      });
    },
    30 * 60_000,
  );
});
