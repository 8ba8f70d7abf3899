// The walkthrough in a real VS Code: steps checked by the learner's real actions, also when done
// before it was opened, and still checked after a window reload (read from the Welcome page's DOM).
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { down } from "../../src/lab/stack.js";
import { newLab, report, runSuite } from "./outer.js";

const STEPS = ["scaffold", "start", "replay", "predict", "validate", "exercise"];

async function waitSignal(dir: string, name: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!existsSync(join(dir, `${name}.json`))) {
    if (Date.now() > deadline) throw new Error(`no ${name} signal`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens the status bar item's menu and returns its rows, the preselected one first. */
async function statusMenu(page: Page): Promise<string[]> {
  await page.locator(".statusbar-item", { hasText: /Lab: / }).first().click();
  const rows = page.locator(".quick-input-widget .monaco-list-row");
  await rows.first().waitFor({ state: "visible", timeout: 30_000 });
  const texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
  const focused = (await page.locator(".quick-input-widget .monaco-list-row.focused").first().innerText()).replace(/\s+/g, " ").trim();
  await page.keyboard.press("Escape");
  return [focused, ...texts];
}

/** Which of the walkthrough's steps the Welcome page shows as done (a done step's button is aria-checked). */
async function stepStates(page: Page): Promise<Record<string, boolean>> {
  const states: Record<string, boolean> = {};
  for (const id of STEPS) {
    const step = page.locator(`.getting-started-step[data-step-id="restate-idempotency-lab.restate-idempotency-lab#learn#${id}"]`);
    await step.waitFor({ state: "attached", timeout: 60_000 });
    states[id] = (await step.getAttribute("aria-checked")) === "true";
  }
  return states;
}

describe("the walkthrough", () => {
  it("checks the steps the learner did, before or after opening it, and keeps them after a reload", async () => {
    const workspace = newLab(true);
    const signals = mkdtempSync(join(tmpdir(), "host-signals-"));
    try {
      const { code, cases } = await runSuite(
        "walkthrough-suite.cjs",
        workspace,
        {
          async onPage(page: Page) {
            await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
            const item = page.locator(".statusbar-item", { hasText: /Lab: / }).first();
            await item.waitFor({ state: "visible", timeout: 60_000 });
            const statusBar = (await item.innerText()).trim();
            writeFileSync(join(signals, "opened.json"), JSON.stringify({ statusBar, menu: await statusMenu(page) }));
            await waitSignal(signals, "walkthrough-open");
            const steps = await stepStates(page);
            writeFileSync(join(signals, "menu-ready.json"), JSON.stringify(await statusMenu(page)));
            writeFileSync(join(signals, "steps.json"), JSON.stringify(steps));
            await waitSignal(signals, "reloading");
            await page.reload();
            await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
            await waitSignal(signals, "walkthrough-open-again");
            writeFileSync(join(signals, "steps-again.json"), JSON.stringify(await stepStates(page)));
          },
        },
        signals,
      );
      console.log(report(cases));
      expect(
        cases.filter((c) => !c.ok),
        report(cases),
      ).toEqual([]);
      expect(cases.map((c) => c.name)).toEqual(["after a window reload the same steps are still checked"]);
      expect(code).toBe(0);
    } finally {
      await down(workspace);
    }
  });
});
