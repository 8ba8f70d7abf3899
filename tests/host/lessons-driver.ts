// The lab panel's attempts and predictions in a real VS Code: the drivers click in the webview as a
// learner would, read its DOM and take the timeline's screenshots in three themes (1600x1000); the
// suite inside VS Code (lessons-suite.ts) checks what they read against the run and the ledger.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import type { AttemptsSeen, PredictionSeen } from "./lessons-suite.js";
import { shotsDir, type signalDir } from "./outer.js";
import { datasets } from "./panel-measure.js";
import { labPanel, openedPanel, runScenario, themed, type ThemeLabel } from "./workbench-ui.js";

type Signals = ReturnType<typeof signalDir>;

const ANTI = "anti-pattern-charge-outside-run";

/** Screenshots of the timeline: the window with it in view, and the section alone. */
async function shootTimeline(page: Page, frame: Frame, theme: ThemeLabel): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  const timeline = frame.locator('[data-testid="timeline-section"]');
  await timeline.scrollIntoViewIfNeeded();
  await themed(frame, theme);
  await page.screenshot({ path: join(shotsDir, `timeline-${theme}.png`) });
  await timeline.screenshot({ path: join(shotsDir, `timeline-${theme}-section.png`) });
}

/** The anti-pattern's run: its timeline, ledger and inspector as shown, then the timeline in the dark and high-contrast themes. False when it could not go on. */
export async function attemptsDriver(page: Page, s: Signals): Promise<boolean> {
  const ui: Partial<AttemptsSeen> = {};
  let frame: Frame | undefined;
  try {
    frame = await openedPanel(page, s);
    await runScenario(frame, ANTI);
    await frame.locator('[data-testid="verdict"]', { hasText: /^unsafe$/ }).waitFor({ timeout: 120_000 }); // as runToVerdict: a deadline, not a measure
    ui.lanes = (await datasets(frame, '[data-testid="lane"]')).map((l) => ({ invocationId: l.invocationId ?? "", attempts: l.attempts ?? "" }));
    ui.attempts = (await datasets(frame, '[data-testid="lane-attempt"]')).map((a) => ({
      attempt: a.attempt ?? "",
      outcome: a.outcome ?? "",
      text: a.text,
    }));
    ui.ledger = (await datasets(frame, '[data-testid="lane-ledger"]')).map((l) => ({
      ledgerId: l.ledgerId ?? "",
      attempt: l.attempt ?? "",
      trace: l.trace ?? "",
      text: l.text,
    }));
    ui.madeBy = (await datasets(frame, '[data-testid="ledger-made-by"]')).map((m) => m.text);
    // The inspector, opened from the lane's invocation link.
    await frame.click('[data-testid="lane"] .link-button');
    await frame.locator('[data-testid="journal-table"]').waitFor({ timeout: 30_000 });
    ui.inspector = {
      attempts: (await datasets(frame, '[data-testid="inspector-attempts"] li')).map((a) => ({ attempt: a.attempt ?? "", outcome: a.outcome ?? "" })),
      ledger: (await datasets(frame, '[data-testid="inspector-ledger"] li')).map((l) => ({ ledgerId: l.ledgerId ?? "", trace: l.trace ?? "" })),
      journal: await frame
        .locator('[data-testid="journal-table"] tbody tr')
        .evaluateAll((rows) => rows.map((r) => [r.children[0]?.textContent ?? "", r.children[1]?.textContent ?? ""])),
    };
    mkdirSync(shotsDir, { recursive: true });
    await frame.locator('[data-testid="inspector"]').screenshot({ path: join(shotsDir, "inspector-light.png") });
    await shootTimeline(page, frame, "light");
  } catch (err) {
    ui.error = String(err);
    await page.screenshot({ path: join(shotsDir, "timeline-failed.png") }).catch(() => {});
  }
  s.send("attempts-done", ui);
  if (ui.error || !frame) return false;
  for (const theme of ["dark", "hc"] as const) {
    await s.wait(`theme-${theme}`);
    await shootTimeline(page, frame, theme);
    s.send(`shot-${theme}`, {});
  }
  return true;
}

/** Two predictions of the anti-pattern's run, scored; then the walkthrough's step they check. */
export async function predictionsDriver(page: Page, s: Signals): Promise<void> {
  const ui: { error?: string; first?: PredictionSeen; second?: PredictionSeen } = {};
  try {
    await s.wait("predict-ready");
    const frame = await labPanel(page);
    const predictAndRun = async (invocations: string, charges: string): Promise<PredictionSeen> => {
      await frame.click(`[data-testid="scenario-${ANTI}"]`);
      await frame.fill('[data-testid="predict-invocations"]', invocations);
      await frame.fill('[data-testid="predict-charges"]', charges);
      await frame.selectOption('[data-testid="predict-answer"]', "executed");
      await runScenario(frame, ANTI);
      const score = frame.locator('[data-testid="prediction-score"]');
      await score.waitFor({ timeout: 30_000 });
      return {
        correct: (await score.getAttribute("data-correct")) ?? "",
        of: (await score.getAttribute("data-of")) ?? "",
        verdict: (await frame.locator('[data-testid="prediction-verdict"]').innerText()).trim(),
        rows: (await datasets(frame, '[data-testid="prediction-row"]')).map((r) => ({ part: r.part ?? "", correct: r.correct ?? "", text: r.text })),
        learnLink: (await frame.locator('[data-testid="prediction-learn"]').count()) === 1,
      };
    };
    ui.first = await predictAndRun("1", "1");
    mkdirSync(shotsDir, { recursive: true });
    await frame.locator('[data-testid="prediction-section"]').screenshot({ path: join(shotsDir, "prediction-light.png") });
    ui.second = await predictAndRun("1", "2");
  } catch (err) {
    ui.error = String(err);
    await page.screenshot({ path: join(shotsDir, "prediction-failed.png") }).catch(() => {});
  }
  s.send("predict-done", ui);
  if (ui.error) return;
  await s.wait("walkthrough-open");
  const step = page.locator('.getting-started-step[data-step-id="restate-idempotency-lab.restate-idempotency-lab#learn#predict"]');
  await step.waitFor({ state: "attached", timeout: 60_000 });
  s.send("steps", { predict: (await step.getAttribute("aria-checked")) === "true" });
}
