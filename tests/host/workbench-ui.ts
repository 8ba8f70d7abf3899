// Driving the workbench as a learner would, for the outer side of the host tests: the command
// palette, quick picks, the status bar, the Notifications center, and runs in the lab panel.
import type { Frame, Page } from "playwright-core";
import { poll } from "../../src/lab/poll.js";
import { findWebviewFrame } from "./runner/index.js";

/** Runs a command from the palette; retries while the workbench is still registering extensions. */
export async function palette(page: Page, command: string): Promise<void> {
  const row = page.locator(".quick-input-widget .monaco-list-row", { hasText: command }).first();
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 30_000 });
    await input.fill(`>${command}`);
    try {
      await row.waitFor({ state: "visible", timeout: 5_000 });
      await page.keyboard.press("Enter");
      return;
    } catch (err) {
      if (attempt >= 12) throw err;
      await page.keyboard.press("Escape");
      await page.waitForTimeout(2_000);
    }
  }
}

/**
 * Presses Enter until the quick input closes: on a busy machine an Enter that comes before the
 * input box has validated its value is dropped.
 */
export async function accept(page: Page): Promise<void> {
  const widget = page.locator(".quick-input-widget");
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.press("Enter");
    try {
      await widget.waitFor({ state: "hidden", timeout: 3_000 });
      return;
    } catch {
      // still open: try again
    }
  }
  throw new Error("the quick input did not accept Enter");
}

/** Waits for a quick pick row that mentions `text`, and accepts it. */
export async function pick(page: Page, text: string): Promise<void> {
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: text }).first().waitFor({ state: "visible", timeout: 30_000 });
  const input = page.locator(".quick-input-widget input");
  if (!(await input.inputValue()).includes(text)) await input.fill(text);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: text }).first().waitFor({ state: "visible", timeout: 30_000 });
  await page.keyboard.press("Enter");
}

/** The text of the status bar item matching `pattern`, once it shows. */
export async function statusBar(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  const item = page.locator(".statusbar-item", { hasText: pattern }).first();
  await item.waitFor({ state: "visible", timeout: timeoutMs });
  return (await item.innerText()).trim();
}

/**
 * The text of the first notification matching `pattern`. The smoke-test driver that runs
 * these tests hides toasts, so this reads the Notifications center.
 */
export async function notification(page: Page, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await palette(page, "Notifications: Show Notifications");
    const item = page.locator(".notifications-center .notification-list-item", { hasText: pattern }).first();
    try {
      await item.waitFor({ state: "visible", timeout: 3_000 });
      return (await item.innerText()).replace(/\s+/g, " ");
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press("Escape");
    }
  }
}

/**
 * Presses the `action` button of the first notification matching `pattern`, in the Notifications
 * center (the smoke-test driver hides toasts); the item is expanded first when its buttons are folded.
 */
export async function notificationAction(page: Page, pattern: RegExp, action: string, timeoutMs: number): Promise<void> {
  await notification(page, pattern, timeoutMs);
  const item = page.locator(".notifications-center .notification-list-item", { hasText: pattern }).first();
  const button = item.locator(".monaco-button", { hasText: action }).first();
  if (!(await button.isVisible())) {
    await item.click();
    await item
      .locator(".codicon-notifications-expand")
      .first()
      .click({ timeout: 5_000 })
      .catch(() => {});
  }
  await button.click({ timeout: 10_000 });
}

/** The lab panel's webview, once it shows its Run button. */
export function labPanel(page: Page, timeoutMs = 60_000): Promise<Frame> {
  return findWebviewFrame(page, '[data-testid="run-button"]', { timeoutMs });
}

/** The lab panel at 1600x1000, once the suite signals "panel-open". */
export async function openedPanel(page: Page, signals: { wait: (name: string) => Promise<unknown> }, signal = "panel-open"): Promise<Frame> {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await signals.wait(signal);
  return labPanel(page);
}

/** Chooses `scenario` in the panel, runs it, and waits for `verdict` and for Run to be enabled again. */
export async function runToVerdict(frame: Frame, scenario: string, verdict: RegExp): Promise<void> {
  await frame.click(`[data-testid="scenario-${scenario}"]`);
  await frame.click('[data-testid="run-button"]');
  await frame.locator('[data-testid="verdict"]', { hasText: verdict }).waitFor({ timeout: 120_000 });
  await frame.locator('[data-testid="run-button"]:not([disabled])').waitFor({ timeout: 30_000 });
}

/**
 * Starts a run with `start` (a click, a key) and waits for its record: one more entry in the
 * history, then Run enabled again. A verdict alone can be the previous run's.
 */
export async function untilRecorded(frame: Frame, start: () => Promise<unknown>, o: { what?: string; timeoutMs?: number } = {}): Promise<void> {
  const history = frame.locator('[data-testid="history-item"]');
  const before = await history.count();
  await start();
  await poll(async () => (await history.count()) > before, { what: o.what ?? "the run in the history", everyMs: 250, timeoutMs: o.timeoutMs ?? 120_000 });
  await frame.locator('[data-testid="run-button"]:not([disabled])').waitFor({ timeout: 30_000 });
}

/** Chooses `scenario` in the panel and runs it with a click; waits for its record. */
export async function runScenario(frame: Frame, scenario: string): Promise<void> {
  await frame.click(`[data-testid="scenario-${scenario}"]`);
  await untilRecorded(frame, () => frame.click('[data-testid="run-button"]'));
}

/** The kind VS Code gives each theme the suites switch to (harness.ts, THEMES), as a webview's body carries it. */
export const THEME_KINDS = { light: "vscode-light", dark: "vscode-dark", hc: "vscode-high-contrast" } as const;
export type ThemeLabel = keyof typeof THEME_KINDS;

/** Two frames painted in the webview: what a scroll, a click or new colours changed is on screen. */
export function painted(frame: Frame): Promise<void> {
  // The callback runs in the webview; this file is compiled without the DOM's types.
  return frame.evaluate(
    () => new Promise<void>((done) => (globalThis as any).requestAnimationFrame(() => (globalThis as any).requestAnimationFrame(() => done()))),
  );
}

/**
 * Waits until the webview wears `theme`: VS Code marks the webview's body with the theme's kind in
 * the same step that sets its colours. In place of a fixed sleep before each screenshot and contrast
 * measure (1.5 s each, a minute of the VS Code tests in all).
 */
export async function themed(frame: Frame, theme: ThemeLabel): Promise<void> {
  await frame.locator(`body[data-vscode-theme-kind="${THEME_KINDS[theme]}"]`).waitFor({ state: "attached", timeout: 30_000 });
  await painted(frame);
}

/**
 * Sets the window's size and waits until the webview has laid out at it: its width changed (when
 * the window's did) and then held for three reads in a row, then two frames painted.
 */
export async function resized(page: Page, frame: Frame, size: { width: number; height: number }): Promise<void> {
  const width = () => frame.evaluate(() => (globalThis as any).innerWidth as number);
  const before = await width();
  const old = page.viewportSize();
  await page.setViewportSize(size);
  if (old?.width !== size.width)
    await poll(async () => (await width()) !== before, { what: "the webview to take the window's new width", everyMs: 25, timeoutMs: 10_000 });
  let last = -1;
  let same = 0;
  await poll(
    async () => {
      const w = await width();
      same = w === last ? same + 1 : 0;
      last = w;
      return same >= 2;
    },
    { what: "the webview's width to settle", everyMs: 50, timeoutMs: 10_000 },
  );
  await painted(frame);
}

/** Waits until the webview's scroll position holds for three reads in a row (a smooth scroll has ended), then two frames painted. */
export async function scrolled(frame: Frame): Promise<void> {
  let last = Number.NaN;
  let same = 0;
  await poll(
    async () => {
      const y = await frame.evaluate(() => (globalThis as any).scrollY as number);
      same = y === last ? same + 1 : 0;
      last = y;
      return same >= 2;
    },
    { what: "the webview's scrolling to end", everyMs: 50, timeoutMs: 10_000 },
  );
  await painted(frame);
}
