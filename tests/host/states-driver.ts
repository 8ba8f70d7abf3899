// The lab panel's states (issue 23), the driver's side (panel-states.test.ts runs it first in its
// window): first open before the lab starts, then in each theme the forms (the builder and a
// prediction), a prediction the run did not match, a 100-lane burst, a run in progress and the run
// the learner stopped; each photographed at 1600x1000 and at 700 px in the light, dark and
// high-contrast themes, with the texts that matter checked. Last in the window, after the learner's
// path (panel-ux-driver.ts): the lab stopped with a run on screen. The cases are states-suite.ts.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { findWebviewFrame, shotsDir, type SignalDir } from "./outer.js";
import { lowestContrast, scrollTo } from "./panel-measure.js";
import type { StateShot } from "./states-suite.js";
import { labPanel, painted, resized, THEME_KINDS, untilRecorded } from "./workbench-ui.js";

/** The viewport widths of the two sizes: the workbench's activity bar takes ~48 px of the narrow one. */
const SIZES = [
  { label: "1600", width: 1600 },
  { label: "700", width: 750 },
] as const;
const BURST = "concurrent-burst";
/** Thousands grouped with commas: "4,567". */
const GROUPED = String.raw`\d{1,3}(?:,\d{3})*`;

/** Collects what is wrong in a state instead of stopping at the first. */
class Look {
  readonly problems: string[] = [];
  constructor(
    private readonly page: Page,
    private readonly frame: Frame,
    private readonly theme: string,
  ) {}

  /** The visible text of `selector` matches `pattern`. */
  async text(selector: string, pattern: RegExp, what: string): Promise<string> {
    const loc = this.frame.locator(selector).first();
    const text = (await loc.isVisible()) ? (await loc.innerText()).trim() : "(not visible)";
    if (!pattern.test(text)) this.problems.push(`${this.theme}: ${what}: ${JSON.stringify(text)} does not match ${pattern}`);
    return text;
  }

  /** The text of `selector` is readable on its background (WCAG AA, 4.5:1). */
  async contrast(selector: string, what: string): Promise<void> {
    const c = await lowestContrast(this.frame, selector);
    if (c.count > 0 && c.lowest < 4.5) this.problems.push(`${this.theme}: ${what} has contrast ${c.lowest.toFixed(2)}:1 (${c.where})`);
  }

  /** Screenshots at both sizes, `selector` scrolled into view (the top of the page without one). */
  async shoot(name: string, selector?: string): Promise<void> {
    mkdirSync(shotsDir, { recursive: true });
    for (const size of SIZES) {
      await resized(this.page, this.frame, { width: size.width, height: 1000 });
      if (selector)
        await this.frame
          .locator(selector)
          .first()
          .evaluate((e) => {
            e.scrollIntoView({ block: "start" });
            e.ownerDocument.defaultView?.scrollBy(0, -100); // below the main column's sticky view tabs
          });
      else await scrollTo(this.frame, 0);
      await this.page.mouse.move(0, 999); // no hover highlight in the picture
      await painted(this.frame);
      await this.page.screenshot({ path: join(shotsDir, `states-${name}-${this.theme}-${size.label}.png`) });
    }
    await resized(this.page, this.frame, { width: 1600, height: 1000 });
  }
}

async function setField(frame: Frame, testid: string, value: string): Promise<void> {
  await frame.fill(`[data-testid="${testid}"]`, value);
}

/** First open, before the lab starts: no run yet, the lab stopped, Run unavailable. */
async function firstOpen(page: Page, frame: Frame): Promise<StateShot> {
  const look = new Look(page, frame, "light");
  await look.text('[data-testid="empty-state"] .run-title', /^No run yet$/, "the main column");
  await look.text('[data-testid="empty-state"] p', /Pick a scenario on the left and press Run/, "the main column's hint");
  await look.text('[data-testid="lab-status"]', /Lab stopped[\s\S]*Start it to run scenarios/, "the lab status");
  if (!(await frame.locator('[data-testid="run-button"]').isDisabled())) look.problems.push("Run is enabled on a stopped lab");
  await look.contrast('[data-testid="empty-state"] p, [data-testid="lab-status"]', "the first open's texts");
  await look.shoot("first-open");
  return { problems: look.problems };
}

/** The states of one theme, in turn: the forms, a prediction the run did not match, a 100-lane burst, a run in progress, stopped. */
async function themeStates(page: Page, frame: Frame, theme: string): Promise<StateShot> {
  const look = new Look(page, frame, theme);
  await frame.click(`[data-testid="scenario-${BURST}"]`);
  await setField(frame, "builder-count", "20");
  await setField(frame, "builder-concurrency", "20");

  // The builder and the prediction, filled in: a burst behind one key is one invocation and one charge; this says 7 and 3.
  await setField(frame, "predict-invocations", "7");
  await setField(frame, "predict-charges", "3");
  await frame.selectOption('[data-testid="predict-answer"]', "failed");
  await look.text('[data-testid="predict"] legend', /^Predict, then run$/, "the prediction's legend");
  await look.text('[data-testid="builder"]', /Requests[\s\S]*1 to 10,000/, "the builder's count field");
  if ((await frame.locator('[data-testid$="-error"]:visible').count()) > 0) look.problems.push(`${theme}: a valid prediction shows an error`);
  await look.contrast(
    '[data-testid="builder"] label, [data-testid="builder"] .field-help, [data-testid="predict"] label, [data-testid="predict"] .field-help',
    "the forms' labels and help",
  );
  await look.shoot("forms", '[data-testid="builder"]');

  // The run does not match the prediction: the panel says which parts, next to the evidence.
  await untilRecorded(frame, () => frame.click('[data-testid="run-button"]'), { what: "the predicted run" });
  await look.text('[data-testid="verdict"]', /^safe$/, "the predicted run's verdict");
  await look.text(
    '[data-testid="prediction-verdict"]',
    /^0 of 3 right\. Not as you predicted: invocations; charges; most requests were\.$/,
    "the prediction's verdict",
  );
  await look.text('[data-testid="prediction-score"]', /^0 \/ 3$/, "the prediction's score");
  await look.contrast(
    '[data-testid="prediction-section"] td, [data-testid="prediction-section"] .pill, .prediction-verdict, .score-pill',
    "the prediction's table",
  );
  await look.shoot("prediction-wrong", '[data-testid="prediction-section"]');

  // 100 requests at once, one key: 100 lanes of requests, one invocation, one charge.
  await setField(frame, "builder-count", "100");
  await setField(frame, "builder-concurrency", "100");
  await untilRecorded(frame, () => frame.click('[data-testid="run-button"]'), { what: "the 100-lane burst" });
  await look.text('[data-testid="verdict"]', /^safe$/, "the burst's verdict");
  const requests = await frame.locator('[data-testid="summary-requests"]').getAttribute("data-value");
  if (requests !== "100") look.problems.push(`${theme}: the burst shows ${requests} requests, not 100`);
  const charges = await frame.locator('[data-testid="summary-charges"]').getAttribute("data-value");
  if (charges !== "1") look.problems.push(`${theme}: the burst shows ${charges} charges, not 1`);
  await look.contrast(".verdict-expected, .summary-card, .legend-item", "the burst's verdict and summary");
  await look.shoot("burst-100");
  await look.shoot("burst-100-timeline", '[data-testid="timeline-section"]');

  // A long run, photographed in progress, then stopped.
  await setField(frame, "builder-count", "10000");
  await setField(frame, "builder-concurrency", "4");
  await frame.click('[data-testid="run-button"]');
  await frame.locator('[data-testid="in-progress-count"]', { hasText: /^[1-9][\d,]* of 10,000 answered$/ }).waitFor({ timeout: 60_000 });
  await look.text('[data-testid="in-progress"] .run-title', /^A run is in progress$/, "the main column during the run");
  await look.text('[data-testid="in-progress-count"]', new RegExp(`^${GROUPED} of 10,000 answered$`), "the progress");
  await look.contrast('[data-testid="in-progress"] p', "the progress texts");
  await look.shoot("in-progress");
  await frame.click('[data-testid="stop-button"]');
  await frame.locator('[data-testid="verdict"]', { hasText: /^stopped$/ }).waitFor({ timeout: 60_000 });
  await frame.locator('[data-testid="run-button"]:not([disabled])').waitFor({ timeout: 30_000 });
  const said = await look.text(
    '[data-testid="verdict-expected"]',
    new RegExp(`^Stopped before the end \\(${GROUPED} of 10,000 requests sent, ${GROUPED} answered\\)\\. No verdict`),
    "the stopped run's verdict",
  );
  if (/\bsafe\b|\bunsafe\b|expects/.test(said)) look.problems.push(`${theme}: the stopped run is given a verdict: ${said}`);
  await look.contrast(".verdict-expected, .verdict-word", "the stopped run's verdict");
  // Its history entry: "stopped", not a verdict.
  await frame
    .locator('[data-testid="history-item"][aria-current="true"] [data-testid="history-ended"]')
    .waitFor({ timeout: 30_000 })
    .catch(() => undefined);
  await look.text('[data-testid="history-item"][aria-current="true"] [data-testid="history-ended"]', /^stopped$/, "the stopped run's history pill");
  await look.contrast('[data-testid="history-item"][aria-current="true"] .verdict-pill', "the stopped run's history pill");
  await look.shoot("stopped-run");
  return { problems: look.problems };
}

/** Stop Lab with a run on screen (`runId`, the suite's latest): the lab status says so, Run is unavailable, the run stays. */
async function stoppedLab(page: Page, frame: Frame, runId: string): Promise<StateShot> {
  const look = new Look(page, frame, "light");
  await frame.locator('[data-testid="lab-status"]', { hasText: "Lab stopped" }).waitFor({ timeout: 60_000 });
  await look.text('[data-testid="lab-status"]', /Lab stopped[\s\S]*Start it to run scenarios/, "the lab status");
  const shown = await frame.locator('[data-testid="run-view"]').getAttribute("data-run-id");
  if (shown !== runId) look.problems.push(`the panel shows run ${shown}, not the last one (${runId})`);
  await look.text('[data-testid="verdict"]', /^\S+/, "the run on screen's verdict");
  if (!(await frame.locator('[data-testid="run-button"]').isDisabled())) look.problems.push("Run is enabled on a stopped lab");
  await look.contrast('[data-testid="lab-status"]', "the lab status");
  await look.shoot("lab-stopped");
  return { problems: look.problems };
}
/** Sends what `body` found as signal `name`, or its error (with a screenshot of the page). */
async function guarded(page: Page, s: SignalDir, name: string, body: () => Promise<StateShot>): Promise<void> {
  try {
    s.send(name, await body());
  } catch (err) {
    await page.screenshot({ path: join(shotsDir, `states-${name}-failed.png`) }).catch(() => {});
    s.send(name, { error: String(err), problems: [] });
  }
}

/** The states, from the panel's first open (before Start Lab) to the three themes' runs. */
export async function statesDriver(page: Page, s: SignalDir): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await s.wait("panel-open");
  await guarded(page, s, "first-open", async () => firstOpen(page, await labPanel(page, 120_000)));
  await s.wait("lab-ready");
  for (const theme of ["light", "dark", "hc"] as const) {
    await s.wait(`theme-${theme}`);
    await guarded(page, s, `shot-${theme}`, async () => {
      // A theme change may rebuild the frame: look it up again, once it wears the theme and Run is enabled.
      const frame = await findWebviewFrame(page, `body[data-vscode-theme-kind="${THEME_KINDS[theme]}"] [data-testid="run-button"]:not([disabled])`, {
        timeoutMs: 60_000,
      });
      await painted(frame);
      return themeStates(page, frame, theme);
    });
  }
}

/** Stop Lab with a run on screen, once the suite sends "lab-stopped" (with the run it shows). */
export async function stoppedLabDriver(page: Page, s: SignalDir): Promise<void> {
  const { runId } = await s.wait<{ runId: string }>("lab-stopped");
  await guarded(page, s, "stopped-lab", async () => stoppedLab(page, await labPanel(page), runId));
}
