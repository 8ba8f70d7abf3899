// The panel's layout before a run (issue 23), in a real VS Code: at 1600x1000 the "Next run" card
// (the scenario's title, its run parameters, the prediction, Run) is in view without scrolling;
// the catalog lists the scenarios under five headings, whole titles at 700 px, a done mark after a
// run; at 700 px the chaos form's Target field comes first and every field is in view. The suite
// inside VS Code (layout-suite.ts) checks what this driver saw.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { shotsDir, signalDir } from "./outer.js";
import { inView, scrollTo } from "./panel-measure.js";
import type { AfterRunSeen, BeforeRunSeen, ChaosFormSeen } from "./layout-suite.js";
import { openedPanel, painted, resized, runScenario } from "./workbench-ui.js";

// The page's globals, as the functions evaluated in the webview see them (no DOM library here).
declare const getComputedStyle: (e: unknown) => { lineHeight: string; textOverflow: string };
type HTMLElement = { dataset: Record<string, string>; scrollWidth: number; clientWidth: number; getBoundingClientRect(): { height: number } };

/** Whether each selector's element is in view (and not covered) with the page at its top. */
async function partsInView(frame: Frame, parts: Record<string, string>): Promise<Record<string, boolean>> {
  const shown: Record<string, boolean> = {};
  for (const [name, selector] of Object.entries(parts)) shown[name] = (await inView(frame, selector)).inView;
  return shown;
}

/** The catalog's scenarios whose title is cut (an ellipsis, or text wider than its box) or runs past two lines. */
function titleFit(frame: Frame): Promise<{ cut: string[]; long: string[] }> {
  return frame.locator(".scenario").evaluateAll((buttons: HTMLElement[]) => {
    const cut: string[] = [];
    const long: string[] = [];
    for (const b of buttons) {
      const name = (b as unknown as { querySelector(s: string): HTMLElement }).querySelector(".scenario-name");
      const style = getComputedStyle(name);
      if (style.textOverflow === "ellipsis" || name.scrollWidth > name.clientWidth + 1) cut.push(b.dataset.scenario!);
      if (name.getBoundingClientRect().height > 2.5 * parseFloat(style.lineHeight || "18")) long.push(b.dataset.scenario!);
    }
    return { cut, long };
  });
}

/** The panel before a run at 1600x1000 and 700 px, a done mark after one, and the chaos form at 700 px. */
export async function layoutDriver(page: Page, s: ReturnType<typeof signalDir>): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  let frame: Frame;
  try {
    frame = await openedPanel(page, s);
    await frame.click('[data-testid="scenario-concurrent-burst"]');
    await frame.locator('[data-testid="run-button"]:not([disabled])').waitFor({ timeout: 60_000 });
    await scrollTo(frame, 0);
    await painted(frame);
    const shown = await partsInView(frame, {
      title: '[data-testid="next-run-title"]',
      requests: '[data-testid="builder-count"]',
      concurrency: '[data-testid="builder-concurrency"]',
      "prediction (invocations)": '[data-testid="predict-invocations"]',
      "prediction (charges)": '[data-testid="predict-charges"]',
      "prediction (answer)": '[data-testid="predict-answer"]',
      Run: '[data-testid="run-button"]',
    });
    await page.screenshot({ path: join(shotsDir, "layout-before-run-1600.png") });
    const headings = await frame.locator(".catalog-group-heading").allInnerTexts();
    const groups: Record<string, string[]> = {};
    for (const g of await frame.locator('[data-testid^="catalog-group-"]').all()) {
      const id = ((await g.getAttribute("data-testid")) ?? "").replace("catalog-group-", "");
      groups[id] = await g.locator(".scenario").evaluateAll((bs: HTMLElement[]) => bs.map((b) => b.dataset.scenario!));
    }
    const doneBefore = await frame.locator('[data-testid^="done-"]').count();
    await resized(page, frame, { width: 700, height: 1000 });
    const fit = await titleFit(frame);
    await page.screenshot({ path: join(shotsDir, "layout-catalog-700.png") });
    await resized(page, frame, { width: 1600, height: 1000 });
    s.send("before-run", {
      inView: shown,
      scrollY: (await inView(frame, '[data-testid="run-button"]')).scrollY,
      headings: headings.map((h) => h.trim()),
      groups,
      cutTitles: fit.cut,
      longTitles: fit.long,
      doneBefore: doneBefore === 0 ? [] : ["(some)"],
    } satisfies BeforeRunSeen);
  } catch (err) {
    s.send("before-run", { error: String(err) });
    await page.screenshot({ path: join(shotsDir, "layout-failed.png") }).catch(() => {});
    return;
  }
  try {
    await runScenario(frame, "duplicates-in-a-row");
    const marks = frame.locator('[data-testid^="done-"]');
    await marks.first().waitFor({ timeout: 30_000 });
    s.send("after-run", {
      scenario: "duplicates-in-a-row",
      done: ((await marks.evaluateAll((ms: HTMLElement[]) => ms.map((m) => m.dataset.testid!))) as string[]).map((t) => t.replace("done-", "")),
      labels: [
        ...new Set(
          await marks.evaluateAll((ms: HTMLElement[]) => ms.map((m) => (m as unknown as { getAttribute(a: string): string }).getAttribute("aria-label"))),
        ),
      ],
    } satisfies AfterRunSeen);
  } catch (err) {
    s.send("after-run", { error: String(err) });
  }
  try {
    await resized(page, frame, { width: 700, height: 1000 });
    await frame.click('[data-testid="scenario-chaos"]');
    await frame.locator('[data-testid="chaos-form"]').waitFor({ timeout: 30_000 });
    await scrollTo(frame, 0);
    await painted(frame);
    const firstField = (await frame.locator('[data-testid="chaos-form"] :is(input, select, textarea)').first().getAttribute("data-testid")) ?? "";
    const shown = await partsInView(frame, {
      Target: '[data-testid="chaos-target"]',
      Seed: '[data-testid="chaos-seed"]',
      Payments: '[data-testid="chaos-payments"]',
      "Requests each": '[data-testid="chaos-duplicates"]',
      Duration: '[data-testid="chaos-duration"]',
      Run: '[data-testid="run-button"]',
    });
    await page.screenshot({ path: join(shotsDir, "layout-chaos-700.png") });
    s.send("chaos-form", { firstField, inView: shown } satisfies ChaosFormSeen);
  } catch (err) {
    s.send("chaos-form", { error: String(err) });
  }
}
