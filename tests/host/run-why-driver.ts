// The run view explains why (issue 23), in a real VS Code: a duplicate scenario and an anti-pattern
// run in the lab panel; the driver reads the requests table (key sent, what Restate did,
// x-restate-id), the Attempts card and the invariants, takes screenshots of the requests at 1600
// and 700 px, and sends what it saw to the suite (run-why-suite.ts), which checks it against the
// runs' records.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { shotsDir, signalDir } from "./outer.js";
import type { WhySeen } from "./run-why-suite.js";
import { openedPanel, resized, runScenario } from "./workbench-ui.js";

// The page's globals, as the function evaluated in the webview sees them (no DOM library in this type check).
declare const document: any;
type Element = any;

/** What the run view shows now, read from its DOM. */
function readWhy(frame: Frame): Promise<WhySeen> {
  return frame.evaluate(() => {
    const text = (e: Element | null | undefined) => (e?.textContent ?? "").trim();
    const rows = [...document.querySelectorAll('[data-testid="request-did"]')].map((did) => {
      const row = did.closest('[role="row"]');
      return {
        index: Number(did.getAttribute("data-index")),
        key: text(row?.querySelector('[data-testid="request-key"]')),
        did: text(did),
        kind: did.getAttribute("data-kind") ?? "",
        restateId: row?.querySelector(".id-ref [data-copy]")?.getAttribute("data-copy") ?? "",
      };
    });
    const invariants = [...document.querySelectorAll('[data-testid="invariant"]')].map((li) => ({
      name: text(li.querySelector(".invariant-name")),
      ok: li.getAttribute("data-ok") === "true",
      role: li.getAttribute("data-role") ?? "",
      group: (li.closest('[data-testid^="invariants-"]')?.getAttribute("data-testid") ?? "").replace("invariants-", ""),
    }));
    return {
      runId: document.querySelector('[data-testid="run-view"]')?.getAttribute("data-run-id") ?? "",
      rows,
      attempts: {
        value: text(document.querySelector('[data-testid="summary-attempts"]')),
        hint: text(document.querySelector('[data-testid="summary-attempts-hint"]')),
      },
      invariants,
      setupTitle: text(document.querySelector('[data-testid="invariants-setup"] .invariant-group-title')),
    };
  });
}

/** The requests section at 1600 and 700 px (the workbench's activity bar takes ~48 px of the narrow one). */
async function shoot(page: Page, frame: Frame, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  for (const [label, width] of [
    ["1600", 1600],
    ["700", 750],
  ] as const) {
    await resized(page, frame, { width, height: 1000 });
    await frame.locator('[data-testid="requests-section"]').screenshot({ path: join(shotsDir, `run-why-${name}-requests-${label}.png`) });
    await frame.locator('[data-testid="invariants-section"]').screenshot({ path: join(shotsDir, `run-why-${name}-invariants-${label}.png`) });
  }
  await frame.locator('[data-testid="summary"]').screenshot({ path: join(shotsDir, `run-why-${name}-summary.png`) });
  await resized(page, frame, { width: 1600, height: 1000 });
}

/**
 * Duplicates in a row, a retry after a timeout and the anti-pattern, each run's why read from the
 * run view; it starts once the suite sends `panelSignal` (the panel open, alone in the window).
 */
export async function runWhyDriver(page: Page, s: ReturnType<typeof signalDir>, panelSignal = "panel-open"): Promise<void> {
  const fail = (err: unknown) => ({ error: String(err), runId: "", rows: [], attempts: { value: "", hint: "" }, invariants: [], setupTitle: "" });
  let frame: Frame;
  try {
    frame = await openedPanel(page, s, panelSignal);
    await runScenario(frame, "duplicates-in-a-row");
    const seen = await readWhy(frame);
    // Copy as cURL on the duplicate's row: the command goes to the extension, which puts it on VS Code's clipboard.
    const copy = frame.locator('[data-testid="copy-curl"][data-focus-key="req-1-curl"]');
    await copy.click();
    await frame.locator('[data-testid="copy-curl"][data-focus-key="req-1-curl"]', { hasText: "Copied" }).waitFor({ timeout: 10_000 });
    seen.curl = { said: (await copy.innerText()).trim(), command: (await copy.getAttribute("data-copy")) ?? "" };
    s.send("duplicates-seen", seen);
    await shoot(page, frame, "duplicates");
  } catch (err) {
    s.send("duplicates-seen", fail(err));
    s.send("timeout-seen", fail(err));
    s.send("anti-seen", fail(err));
    await page.screenshot({ path: join(shotsDir, "run-why-failed.png") }).catch(() => {});
    return;
  }
  try {
    await runScenario(frame, "retry-after-timeout");
    s.send("timeout-seen", await readWhy(frame));
  } catch (err) {
    s.send("timeout-seen", fail(err));
  }
  try {
    await runScenario(frame, "anti-pattern-charge-outside-run");
    s.send("anti-seen", await readWhy(frame));
    await shoot(page, frame, "anti-pattern");
  } catch (err) {
    s.send("anti-seen", fail(err));
    await page.screenshot({ path: join(shotsDir, "run-why-failed.png") }).catch(() => {});
  }
}
