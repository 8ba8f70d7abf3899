// Runs the extension-host suites in a real VS Code (the VS Code server with headless
// Chromium here; VS Code desktop through @vscode/test-electron where there is one).
import { mkdirSync, readFileSync } from "node:fs";
import type { Frame, Page } from "playwright-core";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { poll } from "../../src/lab/poll.js";
import { findProcesses } from "../../src/lab/processes.js";
import { expectSuitePassed, runSuite, shotsDir, signalDir, withLab } from "./outer.js";
import { accept, labPanel, notification, palette, pick, runToVerdict, statusBar, themed } from "./workbench-ui.js";

type Signals = ReturnType<typeof signalDir>;

// One window for all (a VS Code launch is 10-15 s of the lane): the commands' cases, then the
// palette's path (the driver waits for the suite's "palette-ready"), Stop Lab, the panel's on a lab
// started again, and last a lab left running for the window's end.
describe("in a real VS Code", () => {
  it("commands, status bar, logs, replay, reset, existing Restate; as a learner would, Start Lab and Replay Duplicates from the palette (the verdict notification says safe, one charge), then the panel's concurrent burst and an anti-pattern (verdicts and charges match the ledger); and nothing left after the window goes", async () => {
    await withLab(async (workspace) => {
      // Deadlines, not measures: the palette's driver waits for the commands' cases to end.
      const signals = signalDir({ timeoutMs: 600_000 });
      const run = await runSuite(
        "suite.cjs",
        workspace,
        {
          timeoutMs: 12 * 60_000,
          async onPage(page: Page) {
            await throughThePalette(page, signals);
            await inThePanel(page, signals);
          },
        },
        signals.dir,
      );
      expectSuitePassed(run);
      expect(run.cases.length, "the suite reported its cases").toBeGreaterThan(10);
      for (const name of [
        "from the palette: Start Lab, then Replay Duplicates with its defaults, gives a safe verdict and one charge",
        "the panel's concurrent burst and anti-pattern runs show the ledger's charges",
      ])
        expect(run.cases.find((c) => c.name === name)?.ok, name).toBe(true);

      // The last case left a lab running; the window is gone now, so the lab must be too.
      const pids = Object.values(JSON.parse(readFileSync(run.leftRunning, "utf8")) as Record<string, number>);
      // The supervisor, restate-server and the service (the gateway runs in the supervisor's process).
      expect(pids.length).toBeGreaterThanOrEqual(3);
      await poll(() => findProcesses([workspace]).length === 0, { what: "the lab to stop", everyMs: 200, timeoutMs: 15_000, onTimeout: () => false });
      expect(findProcesses([workspace])).toEqual([]);
    });
  });
});

/** Start Lab and Replay Duplicates typed into the command palette; the verdict read from the Notifications center. */
async function throughThePalette(page: Page, signals: Signals): Promise<void> {
  const ui: Record<string, string> = {};
  try {
    await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
    await signals.wait("palette-ready");
    await palette(page, "Idempotency Lab: Start Lab");
    ui.ready = await statusBar(page, /Lab: ready/, 150_000);
    await palette(page, "Idempotency Lab: Replay Duplicates");
    await pick(page, "Duplicates in a row");
    await page.locator(".quick-input-widget", { hasText: "How many requests to PaymentService.create" }).waitFor({ state: "visible", timeout: 30_000 });
    await accept(page); // keeps the default count, 5
    await statusBar(page, /Lab: ready/, 10_000);
    ui.verdict = await notification(page, /Duplicates in a row: (safe|unsafe|unexpected)\./, 120_000);
    mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: join(shotsDir, "palette-replay.png") });
  } catch (err) {
    ui.error = String(err);
    await page.screenshot({ path: join(shotsDir, "palette-replay-failed.png") }).catch(() => {});
  }
  signals.send("ui-done", ui);
}

/** The concurrent burst and an anti-pattern run from the panel; their verdicts and charges as shown, in the light and dark themes. */
async function inThePanel(page: Page, signals: Signals): Promise<void> {
  const ui: Record<string, unknown> = {};
  let frame: Frame | undefined;
  try {
    await signals.wait("panel-open");
    const panel = (frame = await labPanel(page));
    const runOne = async (scenario: string, verdict: RegExp) => {
      await runToVerdict(panel, scenario, verdict);
      return {
        verdict: await panel.locator('[data-testid="verdict"]').innerText(),
        // data-value holds the raw number; the text is formatted ("10,000").
        charges: (await panel.locator('[data-testid="summary-charges"]').getAttribute("data-value")) ?? "",
        requests: (await panel.locator('[data-testid="summary-requests"]').getAttribute("data-value")) ?? "",
      };
    };
    ui.burst = await runOne("concurrent-burst", /^safe$/);
    ui.anti = await runOne("anti-pattern-charge-outside-run", /^unsafe$/);
    await panel.locator('[data-testid="verdict"]').scrollIntoViewIfNeeded();
    mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: join(shotsDir, "panel-light.png") });
  } catch (err) {
    ui.error = String(err);
    await page.screenshot({ path: join(shotsDir, "panel-failed.png") }).catch(() => {});
  }
  signals.send("panel-done", ui);
  if (ui.error || !frame) return;
  await signals.wait("theme-dark");
  await themed(frame, "dark");
  await page.screenshot({ path: join(shotsDir, "panel-dark.png") });
  signals.send("shot-dark");
}
