// The inspector's journal in a real VS Code (issue 23): the anti-pattern's run (its handler runs
// twice), the inspector opened from the attempts timeline, the journal's meaning column read, and
// an attempt's code link clicked: The code scrolls to the handler's charge line. The suite inside
// VS Code (journal-suite.ts) checks what the driver saw against Restate's journal.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import type { JournalSeen } from "./journal-suite.js";
import { shotsDir, signalDir } from "./outer.js";
import { datasets, inView, lowestContrast } from "./panel-measure.js";
import { openedPanel, runScenario, scrolled } from "./workbench-ui.js";

const ANTI = "anti-pattern-charge-outside-run";
const CHARGE_LINE = '.code-block[data-role="run"] [data-testid="code-charge-line"]';

async function readInspector(page: Page, frame: Frame): Promise<Omit<JournalSeen, "error">> {
  await frame.locator('[data-testid="verdict"]', { hasText: /^unsafe$/ }).waitFor({ timeout: 120_000 }); // as runToVerdict: a deadline, not a measure
  await frame.click('[data-testid="lane"] .link-button');
  await frame.locator('[data-testid="journal-table"]').waitFor({ timeout: 30_000 });
  const invocationId = (await frame.locator('[data-testid="inspector"]').getAttribute("aria-label"))?.replace(/^Invocation /, "") ?? "";
  const rows = await frame.locator('[data-testid="journal-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cell = (i: number) => tr.children[i]?.textContent?.trim() ?? "";
      return { index: cell(0), type: cell(3), name: cell(4), meaning: cell(2), value: cell(5) };
    }),
  );
  const legend = (await datasets(frame, '[data-testid="journal-legend"] li')).map((l) => l.text);
  mkdirSync(shotsDir, { recursive: true });
  await frame.locator('[data-testid="inspector"]').screenshot({ path: join(shotsDir, "journal-inspector.png") });
  const redContrast = (await lowestContrast(frame, '[data-testid="ledger-made-by"][data-trace="none"]')).lowest;
  const links = frame.locator('[data-testid="attempt-code-link"]');
  const attemptLinks = await links.count();
  await links.first().click();
  await frame
    .locator(`${CHARGE_LINE}.highlighted`)
    .waitFor({ timeout: 10_000 })
    .catch(() => {}); // read below
  await scrolled(frame);
  const line = await inView(frame, CHARGE_LINE);
  const highlighted = await frame.locator(CHARGE_LINE).evaluate((e) => e.classList.contains("highlighted"));
  const tabsBottom = await frame
    .locator(".tabs")
    .first()
    .evaluate((e) => e.getBoundingClientRect().bottom);
  await page.screenshot({ path: join(shotsDir, "journal-code-line.png") });
  return { invocationId, rows, attemptLinks, legend, chargeLine: { highlighted, inView: line.inView, top: line.rect.top, tabsBottom }, redContrast };
}

/** The anti-pattern's invocation in the inspector: its journal in plain words, an attempt's code link. */
export async function journalDriver(page: Page, s: ReturnType<typeof signalDir>): Promise<void> {
  try {
    const frame = await openedPanel(page, s);
    await runScenario(frame, ANTI);
    s.send("journal-done", await readInspector(page, frame));
  } catch (err) {
    s.send("journal-done", { error: String(err) });
    await page.screenshot({ path: join(shotsDir, "journal-failed.png") }).catch(() => {});
  }
}
