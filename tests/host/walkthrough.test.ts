// The walkthrough in a real VS Code: steps checked by the learner's real actions, also when done
// before it was opened, and still checked after a window reload (read from the Welcome page's DOM).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectSuitePassed, runSuite, signalDir, withLab } from "./outer.js";

const STEPS = ["scaffold", "start", "replay", "predict", "validate", "exercise"];

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
    await withLab(async (workspace) => {
      const signals = signalDir();
      const run = await runSuite(
        "walkthrough-suite.cjs",
        workspace,
        {
          async onPage(page: Page) {
            await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
            const item = page.locator(".statusbar-item", { hasText: /Lab: / }).first();
            await item.waitFor({ state: "visible", timeout: 60_000 });
            const statusBar = (await item.innerText()).trim();
            signals.send("opened", { statusBar, menu: await statusMenu(page) });
            await signals.wait("walkthrough-open");
            const steps = await stepStates(page);
            signals.send("menu-ready", await statusMenu(page));
            signals.send("steps", steps);
            await signals.wait("reloading");
            await page.reload();
            await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
            await signals.wait("walkthrough-open-again");
            signals.send("steps-again", await stepStates(page));
          },
        },
        signals.dir,
      );
      expectSuitePassed(run);
      // The suite's run after the reload rewrites the results: its one case is all they hold.
      expect(run.cases.map((c) => c.name)).toEqual(["after a window reload the same steps are still checked"]);
    });
  });
});
