// The lab panel as a learner meets it (issue 15), the driver's side (panel-states.test.ts runs it
// after the panel's states, in the same window): a scenario run with the keyboard alone, from the
// palette's Open Lab Panel to the verdict; screenshots at 1600x1000 and 700 px in light, dark and
// high-contrast themes, each with the verdict and the summary in view without scrolling and Compare
// readable; then Open Panel on a replay notification, with the panel hidden behind another editor
// and with it closed. The cases (panel-ux-suite.ts) check what it saw. Its signals that another
// group of the window also has carry a "ux-" prefix.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { findWebviewFrame, shotsDir, type SignalDir } from "./outer.js";
import { focused, inView, lowestContrast, scrollTo, tableState } from "./panel-measure.js";
import type { KeyboardSeen, ShownRun } from "./panel-ux-suite.js";
import {
  labPanel,
  notificationAction,
  openedPanel,
  palette,
  resized,
  runScenario,
  THEME_KINDS,
  themed,
  untilRecorded,
  type ThemeLabel,
} from "./workbench-ui.js";

/** The viewport widths of the two sizes: the workbench's activity bar takes ~48 px of the narrow one. */
export const PANEL_UX_SIZES = [
  { label: "1600", width: 1600 },
  { label: "700", width: 750 },
] as const;

/** The run the panel shows, as its DOM says. */
async function shownRun(frame: Frame): Promise<ShownRun> {
  const view = frame.locator('[data-testid="run-view"]');
  return {
    runId: (await view.getAttribute("data-run-id")) ?? "",
    title: (await frame.locator('[data-testid="run-title"]').innerText()).trim(),
    requests: (await frame.locator('[data-testid="summary-requests"]').getAttribute("data-value")) ?? "",
  };
}

/** Waits (a while) for some webview to show run `runId`; returns what the panel shows then, right or not. */
async function panelShowing(page: Page, runId: string): Promise<ShownRun> {
  const wanted = `[data-testid="run-view"][data-run-id="${runId}"]`;
  try {
    return await shownRun(await findWebviewFrame(page, wanted, { timeoutMs: 60_000 }));
  } catch {
    const frame = await findWebviewFrame(page, '[data-testid="run-view"]', { timeoutMs: 5_000 }).catch(() => undefined);
    return frame ? shownRun(frame) : { runId: "", title: "(no run shown)", requests: "" };
  }
}

/** The keyboard-only run: the panel opened from the palette, then Tab, the arrows and Enter. */
async function keyboardRun(page: Page, scenario: string): Promise<{ seen: KeyboardSeen; frame: Frame }> {
  const seen: KeyboardSeen = { stops: [], keys: [], verdict: "", scenario, requests: "" };
  await page.waitForSelector(".monaco-workbench", { timeout: 120_000 });
  await palette(page, "Idempotency Lab: Open Lab Panel");
  const frame = await labPanel(page);
  await frame.locator('[data-testid="run-button"]:not([disabled])').waitFor({ timeout: 60_000 });
  const press = async (key: string) => {
    seen.keys.push(key);
    await page.keyboard.press(key);
    const f = await focused(frame);
    if (f.key !== "body") seen.stops.push({ key: f.key, ring: f.ring, name: f.name });
    return f;
  };
  const tabTo = async (done: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string) => {
    for (let i = 0; i < 40; i++) if (done(await press("Tab"))) return;
    throw new Error(`Tab never reached ${what}; stops: ${seen.stops.map((s) => s.key).join(" ")}`);
  };
  await tabTo((f) => f.scenario !== "", "the scenario list");
  for (let i = 0; i < 30 && (await focused(frame)).scenario !== scenario; i++) await press("ArrowDown");
  const chosen = await focused(frame);
  if (chosen.scenario !== scenario || chosen.checked !== "true") throw new Error(`the arrows did not choose ${scenario}: ${JSON.stringify(chosen)}`);
  await tabTo((f) => f.testid === "run-button", "Run");
  await untilRecorded(frame, () => press("Enter"), { what: "the keyboard's run in the history" });
  seen.verdict = (await frame.locator('[data-testid="verdict"]').innerText()).trim();
  seen.requests = (await frame.locator('[data-testid="summary-requests"]').getAttribute("data-value")) ?? "";
  return { seen, frame };
}

/** At each size: the run view scrolled to its top, the verdict and the summary in view, a screenshot; then Compare. */
async function lookAt(page: Page, frame: Frame, theme: ThemeLabel): Promise<string[]> {
  const problems: string[] = [];
  for (const size of PANEL_UX_SIZES) {
    await resized(page, frame, { width: size.width, height: 1000 });
    await themed(frame, theme);
    await frame.click('[data-testid="view-run"]');
    await scrollTo(frame, 0);
    for (const part of ['[data-testid="verdict"]', '[data-testid="summary"]', '[data-testid="run-button"]']) {
      const v = await inView(frame, part);
      if (!v.inView) problems.push(`${theme} ${size.label}: ${part} is not in view without scrolling (${JSON.stringify(v)})`);
    }
    await page.screenshot({ path: join(shotsDir, `panel-${theme}-${size.label}.png`) });
    // The requests table: invocation ids shortened, whole in their title, with a copy button; wider than the panel, it says so.
    const table = await tableState(frame, "request-table");
    if (!table.found || table.ids.length === 0) problems.push(`${theme} ${size.label}: no invocation ids in the requests table`);
    for (const id of table.ids.slice(0, 3))
      if (id.text.length > 16 || !id.title.startsWith(id.copy) || id.copy.length <= id.text.length - 1)
        problems.push(`${theme} ${size.label}: an invocation id is not shortened with the whole one on hover and copy: ${JSON.stringify(id)}`);
    if (table.overflows !== table.hintShown)
      problems.push(`${theme} ${size.label}: the requests table ${table.overflows ? "overflows without saying so" : "says it overflows but does not"}`);
    if (theme === "light") await frame.locator('[data-testid="requests-section"]').screenshot({ path: join(shotsDir, `requests-${theme}-${size.label}.png`) });
    // Compare, opened from a run view scrolled down, opens at its top with both pickers in view.
    await scrollTo(frame, 1500);
    await frame.click('[data-testid="view-compare"]');
    await frame.locator('[data-testid="compare-table"]').waitFor({ timeout: 30_000 });
    for (const part of ['[data-testid="compare-a"]', '[data-testid="compare-b"]']) {
      const v = await inView(frame, part);
      if (!v.inView) problems.push(`${theme} ${size.label}: Compare's ${part} is not in view (${JSON.stringify(v)})`);
    }
    const ok = await lowestContrast(frame, '[data-testid="compare-diff-row"] .cell-ok');
    if (ok.count === 0) problems.push(`${theme}: no "ok" on a highlighted Compare row to measure`);
    else if (ok.lowest < 4.5) problems.push(`${theme}: "ok" on a highlighted row has contrast ${ok.lowest.toFixed(2)}:1 (${ok.where})`);
    await page.screenshot({ path: join(shotsDir, `compare-${theme}-${size.label}.png`) });
    await frame.click('[data-testid="view-run"]');
  }
  return problems;
}

/** Open Panel on a replay's notification, the panel hidden behind another editor, then closed. */
async function notification(page: Page, s: SignalDir): Promise<void> {
  try {
    const frame = await openedPanel(page, s, "ux-panel-open");
    await runScenario(frame, "concurrent-burst");
    s.send("first-run", await shownRun(frame));
    for (const [where, requests] of [
      ["hidden", 3],
      ["closed", 2],
    ] as const) {
      const replayed = await s.wait<{ runId: string }>(`replayed-${where}`);
      await notificationAction(page, new RegExp(`Duplicates in a row: safe\\. ${requests} requests`), "Open Panel", 60_000);
      const shown = await panelShowing(page, replayed.runId);
      mkdirSync(shotsDir, { recursive: true });
      await page.screenshot({ path: join(shotsDir, `open-panel-${where}.png`) });
      s.send(`shown-${where}`, shown);
    }
  } catch (err) {
    s.send("first-run", { error: String(err) });
    s.send("shown-hidden", { error: String(err) });
    s.send("shown-closed", { error: String(err) });
    await page.screenshot({ path: join(shotsDir, "open-panel-failed.png") }).catch(() => {});
  }
}

/** A run with the keyboard alone, the copy button, a second run, then the panel at two widths in three themes. */
async function look(page: Page, s: SignalDir): Promise<void> {
  let frame: Frame | undefined;
  try {
    await page.setViewportSize({ width: 1600, height: 1000 });
    await s.wait("ux-panel-closed");
    const run = await keyboardRun(page, "concurrent-burst");
    frame = run.frame;
    s.send("keyboard-done", run.seen);
    // The copy button beside the first request's invocation id.
    const copy = frame.locator('[data-testid="request-table"] [data-copy]').first();
    const copied = (await copy.getAttribute("data-copy")) ?? "";
    await copy.click();
    s.send("copied", { copied });
    // A second run, to compare: an anti-pattern, whose invariants differ.
    await runScenario(frame, "anti-pattern-charge-outside-run");
  } catch (err) {
    s.send("keyboard-done", { error: String(err) });
    s.send("copied", { copied: "", error: String(err) });
    await page.screenshot({ path: join(shotsDir, "panel-keyboard-failed.png") }).catch(() => {});
  }
  mkdirSync(shotsDir, { recursive: true });
  for (const theme of ["light", "dark", "hc"] as const) {
    await s.wait(`ux-theme-${theme}`);
    try {
      if (!frame) throw new Error("no panel");
      // The theme change may rebuild the frame: look it up again.
      frame = await findWebviewFrame(page, `body[data-vscode-theme-kind="${THEME_KINDS[theme]}"] [data-testid="run-view"]`, { timeoutMs: 30_000 });
      s.send(`ux-shot-${theme}`, { problems: await lookAt(page, frame, theme) });
    } catch (err) {
      s.send(`ux-shot-${theme}`, { error: String(err), problems: [] });
    }
  }
}

/** The learner's path: the keyboard's run and the looks (the panel closed first), then Open Panel on the notifications. */
export async function panelUxDriver(page: Page, s: SignalDir): Promise<void> {
  await look(page, s);
  await notification(page, s);
}
