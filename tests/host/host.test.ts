// Runs the extension-host suites in a real VS Code (the VS Code server with headless
// Chromium here; VS Code desktop through @vscode/test-electron where there is one).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { poll } from "../../src/lab/poll.js";
import { findProcesses } from "../../src/lab/processes.js";
import { down } from "../../src/lab/stack.js";
import { newLab, report, root, runSuite } from "./outer.js";
import { accept, labPanel, notification, palette, pick, runToVerdict, statusBar } from "./workbench-ui.js";

describe("in a real VS Code", () => {
  it("commands, status bar, logs, replay, reset, existing Restate, and nothing left after the window goes", async () => {
    const workspace = newLab(true);
    try {
      const { code, cases, leftRunning } = await runSuite("suite.cjs", workspace);
      console.log(report(cases));
      expect(cases.length, "the suite reported its cases").toBeGreaterThan(10);
      expect(
        cases.filter((c) => !c.ok),
        report(cases),
      ).toEqual([]);
      expect(code).toBe(0);

      // The last case left a lab running; the window is gone now, so the lab must be too.
      const pids = Object.values(JSON.parse(readFileSync(leftRunning, "utf8")) as Record<string, number>);
      expect(pids.length).toBeGreaterThanOrEqual(4);
      await poll(() => findProcesses([workspace]).length === 0, { what: "the lab to stop", everyMs: 200, timeoutMs: 15_000, onTimeout: () => false });
      expect(findProcesses([workspace])).toEqual([]);
    } finally {
      await down(workspace);
    }
  });
});

describe("as a learner would, through the command palette", () => {
  it("Start Lab, then Replay Duplicates: the verdict notification says safe, one charge", async () => {
    const workspace = newLab(true);
    const signals = mkdtempSync(join(tmpdir(), "host-signals-"));
    const shots = join(root, "test-artifacts", "host");
    try {
      const { code, cases } = await runSuite(
        "palette-suite.cjs",
        workspace,
        {
          async onPage(page: Page) {
            const ui: Record<string, string> = {};
            try {
              await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
              await palette(page, "Idempotency Lab: Start Lab");
              ui.ready = await statusBar(page, /Lab: ready/, 150_000);
              await palette(page, "Idempotency Lab: Replay Duplicates");
              await pick(page, "Duplicates in a row");
              await page
                .locator(".quick-input-widget", { hasText: "How many requests to PaymentService.create" })
                .waitFor({ state: "visible", timeout: 30_000 });
              await accept(page); // keeps the default count, 5
              await statusBar(page, /Lab: ready/, 10_000);
              ui.verdict = await notification(page, /Duplicates in a row: (safe|unsafe|unexpected)\./, 120_000);
              mkdirSync(shots, { recursive: true });
              await page.screenshot({ path: join(shots, "palette-replay.png") });
            } catch (err) {
              ui.error = String(err);
              await page.screenshot({ path: join(shots, "palette-replay-failed.png") }).catch(() => {});
            }
            writeFileSync(join(signals, "ui-done.json"), JSON.stringify(ui));
          },
        },
        signals,
      );
      console.log(report(cases));
      expect(
        cases.filter((c) => !c.ok),
        report(cases),
      ).toEqual([]);
      expect(cases.length).toBe(2);
      expect(code).toBe(0);
    } finally {
      await down(workspace);
    }
  });
});

describe("the lab panel", () => {
  it("runs the concurrent burst and an anti-pattern from the webview; its verdicts and charges match the ledger", async () => {
    const workspace = newLab(true);
    const signals = mkdtempSync(join(tmpdir(), "host-signals-"));
    const shots = join(root, "test-artifacts", "host");
    const waitSignal = (name: string) =>
      poll(() => existsSync(join(signals, `${name}.json`)), { what: `the ${name} signal`, everyMs: 200, timeoutMs: 300_000 });
    try {
      const { code, cases } = await runSuite(
        "panel-suite.cjs",
        workspace,
        {
          async onPage(page: Page) {
            const ui: Record<string, unknown> = {};
            try {
              await waitSignal("panel-open");
              const frame = await labPanel(page);
              const runOne = async (scenario: string, verdict: RegExp) => {
                await runToVerdict(frame, scenario, verdict);
                return {
                  verdict: await frame.locator('[data-testid="verdict"]').innerText(),
                  // data-value holds the raw number; the text is formatted ("10,000").
                  charges: (await frame.locator('[data-testid="summary-charges"]').getAttribute("data-value")) ?? "",
                  requests: (await frame.locator('[data-testid="summary-requests"]').getAttribute("data-value")) ?? "",
                };
              };
              ui.burst = await runOne("concurrent-burst", /^safe$/);
              ui.anti = await runOne("anti-pattern-charge-outside-run", /^unsafe$/);
              await frame.locator('[data-testid="verdict"]').scrollIntoViewIfNeeded();
              mkdirSync(shots, { recursive: true });
              await page.screenshot({ path: join(shots, "panel-light.png") });
            } catch (err) {
              ui.error = String(err);
              await page.screenshot({ path: join(shots, "panel-failed.png") }).catch(() => {});
            }
            writeFileSync(join(signals, "ui-done.json"), JSON.stringify(ui));
            if (ui.error) return;
            await waitSignal("theme-dark");
            await page.waitForTimeout(1500); // let the theme reach the webview
            await page.screenshot({ path: join(shots, "panel-dark.png") });
            writeFileSync(join(signals, "shot-dark.json"), "{}");
          },
        },
        signals,
      );
      console.log(report(cases));
      expect(
        cases.filter((c) => !c.ok),
        report(cases),
      ).toEqual([]);
      expect(cases.length).toBe(4);
      expect(code).toBe(0);
    } finally {
      await down(workspace);
    }
  });
});
