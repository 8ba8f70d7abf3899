// The panel's states and a learner's path, in a real VS Code, one window for three drivers in turn:
// the states (states-driver.ts: the first open before the lab starts; in the light, dark and
// high-contrast themes the forms, a prediction the run did not match, a 100-lane burst, a run in
// progress and the one the learner stopped, each at 1600x1000 and 700 px), the learner's path
// (panel-ux-driver.ts: a scenario run with the keyboard alone, the verdict and summary in view
// without scrolling and Compare readable in three themes at both sizes, Open Panel on a replay
// notification with the panel hidden and closed), and the lab stopped with its last run on screen.
// The suite inside VS Code (panel-states-suite.ts) checks what they saw against the run history.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectSuitePassed, runSuite, shotsDir, signalDir, withLab } from "./outer.js";
import { PANEL_UX_SIZES, panelUxDriver } from "./panel-ux-driver.js";
import { statesDriver, stoppedLabDriver } from "./states-driver.js";

describe("the panel's states and a learner's path", () => {
  it(
    "shows each state of the panel readably at 1600 and 700 px in light, dark and high contrast; runs a scenario with the keyboard alone, and shows the verdict and summary without scrolling in three themes at both sizes; Open Panel on a replay notification shows the new run, with the panel hidden behind another editor and with it closed; Stop Lab leaves the last run on screen",
    async () => {
      await withLab(async (workspace) => {
        const s = signalDir({ timeoutMs: 600_000 });
        const run = await runSuite(
          "panel-states-suite.cjs",
          workspace,
          {
            timeoutMs: 25 * 60_000,
            async onPage(page) {
              await statesDriver(page, s);
              await panelUxDriver(page, s);
              await stoppedLabDriver(page, s);
            },
          },
          s.dir,
        );
        // first open, Start Lab, 3 themes' states; the panel closed, the keyboard, the copy, 3 looks, hidden, closed; Stop Lab
        expectSuitePassed(run, { cases: 14 });
        for (const theme of ["light", "dark", "hc"])
          for (const size of PANEL_UX_SIZES) expect(existsSync(join(shotsDir, `panel-${theme}-${size.label}.png`)), `${theme} ${size.label}`).toBe(true);
      });
    },
    30 * 60_000,
  );
});
