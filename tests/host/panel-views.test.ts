// The panel's views in a real VS Code, one window for three drivers in turn: the layout before
// and after a first run (layout-driver.ts), the run view's why (run-why-driver.ts), the
// inspector's journal (journal-driver.ts). The suite inside VS Code (panel-views-suite.ts) checks
// what they read.
import { describe, it } from "vitest";
import { journalDriver } from "./journal-driver.js";
import { layoutDriver } from "./layout-driver.js";
import { expectSuitePassed, runSuite, signalDir, withLab } from "./outer.js";
import { runWhyDriver } from "./run-why-driver.js";

describe("the panel's views", () => {
  it("shows the next run's parameters, prediction and Run without scrolling at 1600x1000, the catalog in five groups with done marks, and the chaos form's fields at 700 px; shows what Restate did with each request's key, the attempts behind the invocations, and the failed invariant first; says in plain words what each entry of a retried invocation's journal means, and an attempt's code link shows the charge line", async () => {
    await withLab(async (workspace) => {
      const s = signalDir({ timeoutMs: 300_000 });
      const run = await runSuite(
        "panel-views-suite.cjs",
        workspace,
        {
          async onPage(page) {
            await layoutDriver(page, s);
            await runWhyDriver(page, s);
            await journalDriver(page, s);
          },
        },
        s.dir,
      );
      expectSuitePassed(run, { cases: 9 });
    });
  });
});
