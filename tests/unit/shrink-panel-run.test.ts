// The panel's shrink refuses what it cannot shrink before it runs anything: a run no longer in the
// history, a scenario's run, a stopped chaos run, and one that broke no invariant.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { saveRun } from "../../src/lab/history.js";
import { shrinkPanelRun, type ShrinkHost } from "../../src/extension/panel/shrink-panel-run.js";
import { chaosRecord } from "./webview/chaos-fixtures.js";
import { record } from "./webview/fixtures.js";

describe("the panel's shrink", () => {
  it("refuses, with a reason, any run it cannot shrink, and starts no run for it", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "shrink-"));
    const anti = chaosRecord("c1", "anti");
    saveRun(workspace, { ...anti, runId: "stopped1", chaos: { ...anti.chaos, stopped: true } });
    saveRun(workspace, chaosRecord("safe1", "safe"));
    saveRun(workspace, record("scen1", []));
    let runs = 0;
    const host: ShrinkHost = {
      workspace: () => workspace,
      existingRestate: () => Promise.resolve(undefined),
      asTheRun: () => {
        runs++;
        return Promise.resolve();
      },
      post: () => {},
      log: () => {},
    };
    await expect(shrinkPanelRun(host, "w-1", "gone1")).rejects.toThrow(/no longer in this workspace's history/);
    await expect(shrinkPanelRun(host, "w-1", "scen1")).rejects.toThrow(/not a chaos run/);
    await expect(shrinkPanelRun(host, "w-1", "stopped1")).rejects.toThrow(/was stopped before its end/);
    await expect(shrinkPanelRun(host, "w-1", "safe1")).rejects.toThrow(/broke no invariant: there is nothing to shrink/);
    expect(runs).toBe(0);
  });
});
