// `npm run screenshots`: refreshes the README's pictures in docs/images/ from a real VS Code (the
// host tests' machinery): the panel after a concurrent burst, an anti-pattern's run, and the
// walkthrough, each in a light and a dark theme, and the anti-pattern's run beside its handler with
// the CodeLens above it. The VS Code side is screenshots-suite.ts.
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { expect, it } from "vitest";
import { expectSuitePassed, root, runSuite, signalDir, withLab } from "./outer.js";
import { scrollTo } from "./panel-measure.js";
import { labPanel, runToVerdict } from "./workbench-ui.js";

const IMAGES = join(root, "docs", "images");
/** A laptop-sized window: the panel shows its two columns, and the files stay small. */
const VIEWPORT = { width: 1280, height: 760 };
/** The code beside the panel: two editor groups, each wide enough to read. */
const WIDE = { width: 1600, height: 900 };
const BURST = "concurrent-burst";
const ANTI_PATTERN = "anti-pattern-charge-outside-run";

it("refreshes docs/images/ (the panel after a burst, an anti-pattern's run, the walkthrough; light and dark; the anti-pattern beside its code)", async () => {
  const signals = signalDir({ timeoutMs: 600_000 });
  const shots: string[] = [];
  const shoot = async (page: Page, name: string) => {
    mkdirSync(IMAGES, { recursive: true });
    const path = join(IMAGES, `${name}.png`);
    await page.mouse.move(0, VIEWPORT.height - 1); // no hover highlight in the picture
    await page.waitForTimeout(500);
    await withoutDevelopmentHost(page);
    await page.screenshot({ path });
    shots.push(path);
  };
  await withLab(async (workspace) => {
    const run = await runSuite(
      "screenshots-suite.cjs",
      workspace,
      {
        timeoutMs: 15 * 60_000,
        async onPage(page: Page) {
          let step = "start";
          try {
            await page.setViewportSize(VIEWPORT);
            for (const theme of ["light", "dark"] as const) {
              step = `panel-${theme}`;
              await signals.wait(step);
              const frame = await labPanel(page, 120_000);
              if (theme === "light") {
                await runToVerdict(frame, BURST, /^safe$/);
                await runToVerdict(frame, ANTI_PATTERN, /^unsafe$/);
              }
              await page.waitForTimeout(1_500); // the theme reaches the webview
              await open(frame, BURST, "Concurrent burst", /^safe$/);
              await shoot(page, `panel-burst-${theme}`);
              await open(frame, ANTI_PATTERN, "Anti-pattern: charge outside ctx.run", /^unsafe$/);
              await shoot(page, `panel-anti-pattern-${theme}`);
              signals.send(`${step}-done`);

              step = `walkthrough-${theme}`;
              await signals.wait(step);
              // The step the panel checked, open.
              await page.locator('.getting-started-step[data-step-id$="#replay"]').click({ timeout: 60_000 });
              // VS Code's telemetry notice at the page's foot says nothing about the lab.
              await page
                .locator(".gettingStartedContainer p", { hasText: "collects usage data" })
                .evaluateAll((notices) => notices.forEach((e) => (e.style.visibility = "hidden")));
              await page.waitForTimeout(1_500);
              await shoot(page, `walkthrough-${theme}`);
              signals.send(`${step}-done`);
            }

            // The anti-pattern's run beside its code, the CodeLens above the handler, on a wider window.
            step = "code-light";
            await signals.wait(step);
            await page.setViewportSize(WIDE);
            const frame = await labPanel(page, 120_000);
            await open(frame, ANTI_PATTERN, "Anti-pattern: charge outside ctx.run", /^unsafe$/);
            await page.locator(".codelens-decoration", { hasText: "Replay under a lost gateway answer" }).first().waitFor({ timeout: 60_000 });
            await page.waitForTimeout(1_500);
            await shoot(page, "code-lens-anti-pattern-light");
            signals.send(`${step}-done`);
          } catch (err) {
            signals.send(`${step}-done`, { error: `${step}: ${String(err)}` });
            throw err;
          }
        },
      },
      signals.dir,
    );
    for (const path of shots) console.log(`${path}: ${Math.round(statSync(path).size / 1024)} KB`);
    expectSuitePassed(run);
    expect(shots).toHaveLength(7);
  });
});

/**
 * Shows a past run as a learner who just ran it sees it: its scenario chosen (in view in the catalog),
 * the run settings in the "Next run" card, the history at the sidebar's foot, the run from its title down.
 */
async function open(frame: Frame, scenario: string, title: string, verdict: RegExp): Promise<void> {
  await frame.click(`[data-testid="scenario-${scenario}"]`);
  await frame.locator('[data-testid="history-item"]', { hasText: title }).first().click();
  await frame.locator('[data-testid="run-title"]', { hasText: title }).waitFor({ timeout: 30_000 });
  await frame.locator('[data-testid="verdict"]', { hasText: verdict }).waitFor({ timeout: 30_000 });
  await frame.locator(`[data-testid="scenario-${scenario}"]`).scrollIntoViewIfNeeded();
  await scrollTo(frame, 0);
}

/**
 * The window title as a learner's window shows it: the test runner loads the extension for
 * development, so VS Code puts "[Extension Development Host]" before it (no setting removes it).
 */
async function withoutDevelopmentHost(page: Page): Promise<void> {
  // Text nodes of the title bar (the command center's label, or the title when it is off).
  await page.locator(".part.titlebar *").evaluateAll((elements: Array<{ childNodes: ArrayLike<{ nodeType: number; textContent: string | null }> }>) => {
    for (const e of elements)
      for (const n of Array.from(e.childNodes))
        if (n.nodeType === 3 && n.textContent?.includes("[Extension Development Host]"))
          n.textContent = n.textContent.replace(/\[Extension Development Host\]\s*/, "");
  });
}
