// A headless Chromium (chosen by chromium.ts; never a browser download) driven by Playwright,
// and how to find a webview's content among the workbench page's nested iframes.
import type { BrowserContext, Frame, Page } from "playwright-core";
import { poll } from "../../../src/lab/poll.js";
import type { Chromium } from "./chromium.js";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Closes the browser, giving up after 5 s. */
  close: () => Promise<unknown>;
}

/** A headless Chromium with its profile in `profileDir`; its console lines go to `onConsole`. */
export async function launchChromium(browser: Chromium, profileDir: string, onConsole: (line: string) => void): Promise<Browser> {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = "1";
  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: browser.path,
    env: { ...process.env, ...browser.env },
    headless: true,
    // The same for every Chromium: not the npm package's own args (single-process, no zygote),
    // which suit a serverless function, not a workbench with webview iframes.
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    // The runner's cleanup stops the browser, in order with the server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (msg) => onConsole(`${msg.type()}: ${msg.text()}`));
  page.on("pageerror", (err) => onConsole(`pageerror: ${err?.stack ?? err}`));
  return { context, page, close: () => Promise.race([context.close(), new Promise((r) => setTimeout(r, 5_000))]) };
}

/**
 * All frames that hold webview content: the inner frame(s) of each webview host iframe
 * (.../webview/browser/pre/index.html). Playwright keeps the frame name given at creation
 * ("pending-frame"), so frames are matched by their parent, not by name.
 */
export function webviewFrames(page: Page): Frame[] {
  return page.frames().filter((f) => {
    const parent = f.parentFrame();
    return parent !== null && /\/webview\/browser\/pre\/index\.html/.test(parent.url());
  });
}

/** Waits until some webview's content matches `selector`; returns that frame. */
export function findWebviewFrame(
  page: Page,
  selector: string,
  { timeoutMs = 30_000, intervalMs = 250 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<Frame> {
  const matching = async () => {
    for (const frame of webviewFrames(page)) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // the frame navigated away
      }
    }
    return undefined;
  };
  return poll(matching, {
    what: `a webview frame with ${selector}`,
    everyMs: intervalMs,
    timeoutMs,
    onTimeout: () => {
      throw new Error(`no webview frame with ${selector} within ${timeoutMs} ms`);
    },
  });
}
