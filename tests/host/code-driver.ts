// "The code" block and each charge's cause in a real VS Code: the driver runs duplicates-in-a-row
// and the anti-pattern "charge outside ctx.run" from the panel, reads the code blocks and the
// causes, follows a charge's code link, measures contrast and clipping and takes screenshots at
// 1600x1000 and 750 px in three themes; code-suite.ts checks what it read against the lab.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import type { BlockSeen, CodeSeen } from "./code-suite.js";
import { shotsDir, type signalDir } from "./outer.js";
import { lowestContrast } from "./panel-measure.js";
import { labPanel, painted, palette, resized, runScenario, scrolled, themed, type ThemeLabel } from "./workbench-ui.js";
import { workspacePaths } from "../../src/lab/paths.js";
import { poll } from "../../src/lab/poll.js";

// The evaluate callbacks run in the webview; this file is compiled without the DOM's types.
declare const document: any;
declare const window: any;
declare function getComputedStyle(e: any): any;
type HTMLElement = any;

const ANTI = "anti-pattern-charge-outside-run";
const DUPLICATES = "duplicates-in-a-row";
const WIDTHS = [
  { label: "1600", width: 1600 },
  { label: "700", width: 750 },
];

async function blocks(frame: Frame): Promise<BlockSeen[]> {
  await frame.locator('[data-testid="code-block"]').first().waitFor({ timeout: 30_000 });
  return frame.locator('[data-testid="code-block"]').evaluateAll((els) =>
    els.map((b) => {
      const line = b.querySelector<HTMLElement>('[data-testid="code-charge-line"]');
      const label = b.querySelector<HTMLElement>('[data-testid="code-charge-label"]');
      return {
        role: (b as HTMLElement).dataset.role ?? "",
        handler: (b as HTMLElement).dataset.handler ?? "",
        file: (b.querySelector(".code-file")?.textContent ?? "").replace(/:\d+$/, ""),
        chargeLine: line?.dataset.line ?? "",
        chargeInRun: label?.dataset.inRun ?? "",
        chargeText: line?.querySelector(".code-text")?.textContent ?? "",
        label: (label?.textContent ?? "").replace("▲", "").trim(),
      };
    }),
  );
}

const causes = (frame: Frame) =>
  frame.locator('[data-testid="charge-cause"]').evaluateAll((els) =>
    els.map((c) => ({
      ledgerId: (c as HTMLElement).dataset.ledgerId ?? "",
      text: (c.querySelector('[data-testid="charge-cause-text"]')?.textContent ?? "").trim(),
    })),
  );

/** Elements of the code and cause sections whose text is cut off by their own box. */
function clipped(frame: Frame): Promise<string[]> {
  return frame.evaluate(() =>
    [
      ...(document.querySelectorAll(
        '[data-testid="code-section"] .code-head *, [data-testid="code-charge-label"], [data-testid="charge-cause"], .code-note',
      ) as HTMLElement[]),
    ]
      .filter((e: HTMLElement) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "hidden")
      .map((e: HTMLElement) => (e.textContent ?? "").slice(0, 40)),
  );
}

async function shoot(page: Page, frame: Frame, theme: ThemeLabel, seen: CodeSeen): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  for (const w of WIDTHS) {
    await resized(page, frame, { width: w.width, height: 1000 });
    await themed(frame, theme);
    // Page screenshots only: an element's screenshot taller than the window resizes the window, and VS Code then rebuilds the webview.
    await frame.locator('[data-testid="code-section"]').evaluate((e: HTMLElement) => {
      e.scrollIntoView({ block: "start" });
      window.scrollBy(0, -48); // below the sticky view tabs
    });
    await painted(frame);
    await page.screenshot({ path: join(shotsDir, `code-${theme}-${w.label}.png`) });
    await frame.locator('[data-testid="charge-causes"]').evaluate((e: HTMLElement) => e.scrollIntoView({ block: "end" }));
    await painted(frame);
    await page.screenshot({ path: join(shotsDir, `causes-${theme}-${w.label}.png`) });
    for (const [what, selector] of [
      ["code", '[data-testid="code-section"] .code-text, [data-testid="code-section"] .code-n'],
      ["label", '[data-testid="code-charge-label"], .code-note, .code-file, .code-title'],
      ["causes", '[data-testid="charge-cause-text"], .charge-cause-id, .charge-code-link'],
    ] as const) {
      const c = await lowestContrast(frame, selector);
      seen.contrast[`${theme} ${w.label} ${what} (${c.where})`] = c.count > 0 ? c.lowest : 0;
    }
    seen.clipped.push(...(await clipped(frame)).map((t) => `${theme} ${w.label}: ${t}`));
  }
  await resized(page, frame, { width: 1600, height: 1000 });
}

/** What the code driver saw, for the outer test: the blocks as run, as reopened from the history, and an edited record's notice. */
export interface CodeOutcome {
  shown?: CodeSeen;
  reopened: { duplicates: BlockSeen[]; anti: BlockSeen[] };
  brokenNotice: string;
}

/** Duplicates in a row and the anti-pattern from the panel: their code blocks and causes, a code link, three themes, both runs reopened from the history in a new panel, and an edited record. */
export async function codeDriver(page: Page, s: ReturnType<typeof signalDir>, workspace: string): Promise<CodeOutcome> {
  const seen: CodeOutcome = { reopened: { duplicates: [], anti: [] }, brokenNotice: "" };
  const ui: CodeSeen = {
    duplicates: { blocks: [], causes: [] },
    anti: { blocks: [], causes: [], highlighted: "", inView: false },
    contrast: {},
    clipped: [],
  };
  let frame: Frame | undefined;
  try {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await s.wait("code-panel-open");
    frame = await labPanel(page);
    await runScenario(frame, DUPLICATES);
    ui.duplicates = { blocks: await blocks(frame), causes: await causes(frame) };
    const duplicatesRun = (await frame.locator('[data-testid="run-view"]').getAttribute("data-run-id")) ?? "";
    await runScenario(frame, ANTI);
    // A deadline, not a measure: as long as runToVerdict allows (a retried run on a loaded machine took over 30 s).
    await frame.locator('[data-testid="verdict"]', { hasText: /^unsafe$/ }).waitFor({ timeout: 120_000 });
    await frame.locator('.code-block[data-handler="chargeOutsideRun"]').waitFor({ timeout: 30_000 });
    ui.anti = { ...ui.anti, blocks: await blocks(frame), causes: await causes(frame) };
    await frame.locator('[data-testid="charge-code-link"]').first().click();
    const marked = frame.locator(".code-line.highlighted");
    await marked.waitFor({ timeout: 10_000 });
    await scrolled(frame);
    ui.anti.highlighted = (await marked.getAttribute("data-line")) ?? "";
    ui.anti.inView = await marked.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    await shoot(page, frame, "light", ui);
    // Each run again from the history, in a new panel (which has no code yet): the
    // extension sends the run's file as it is and names its code by the history's entry;
    // the same blocks must come with it.
    const antiRun = (await frame.locator('[data-testid="run-view"]').getAttribute("data-run-id")) ?? "";
    const closing = frame;
    await palette(page, "View: Close All Editors");
    await poll(() => closing.isDetached(), { what: "the first panel to close", everyMs: 100, timeoutMs: 30_000 });
    await palette(page, "Idempotency Lab: Open Lab Panel");
    frame = await labPanel(page);
    // First a history file edited by hand (the new panel has not read it yet): only the webview's
    // check reads it now, and its notice names the run and the problem. Then it is put back.
    const history = join(workspacePaths(workspace).lab, "history");
    const file = join(
      history,
      readdirSync(history).find((f) => f.endsWith(`-${duplicatesRun}.json`))!,
    );
    const original = readFileSync(file, "utf8");
    const edited = JSON.parse(original) as { result: { requests: unknown } };
    edited.result.requests = "many";
    writeFileSync(file, JSON.stringify(edited));
    try {
      await frame.click(`[data-testid="history-item"][data-run-id="${duplicatesRun}"]`);
      const notice = frame.locator('[data-testid="panel-error"]');
      await notice.waitFor({ timeout: 30_000 });
      seen.brokenNotice = ((await notice.textContent()) ?? "").replace(/\s+/g, " ").trim();
      await page.screenshot({ path: join(shotsDir, "code-history-edited-light-1600.png") });
      await notice.getByRole("button", { name: "Dismiss" }).click();
    } finally {
      writeFileSync(file, original);
    }
    for (const [runId, into] of [
      [duplicatesRun, seen.reopened.duplicates],
      [antiRun, seen.reopened.anti],
    ] as const) {
      await frame.click(`[data-testid="history-item"][data-run-id="${runId}"]`);
      await frame.locator(`[data-testid="run-view"][data-run-id="${runId}"]`).waitFor({ timeout: 30_000 });
      into.push(
        ...(await blocks(frame).catch(() => {
          throw new Error(`the run ${runId}, opened from the history in a new panel, shows no code block`);
        })),
      );
    }
  } catch (err) {
    ui.error = String(err);
    await page.screenshot({ path: join(shotsDir, "code-failed.png") }).catch(() => {});
  }
  seen.shown = ui;
  s.send("code-done", ui);
  if (ui.error || !frame) return seen;
  for (const theme of ["dark", "hc"] as const) {
    await s.wait(`code-theme-${theme}`);
    await shoot(page, frame, theme, ui);
    s.send(`code-shot-${theme}`, ui);
  }
  await s.wait("click-line");
  await frame.locator('.code-block[data-handler="chargeOutsideRun"] [data-testid="code-charge-line"]').click();
  return seen;
}
