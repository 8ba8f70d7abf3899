// The panel's chaos run, the outer side (panel-views.test.ts runs it in the panel's window, after
// the other views): the driver picks "Chaos run", fills the form (seed 7, 6 payments, 3 requests
// each, 10 s, a restate-server restart among its faults), runs it against PaymentService and then
// (for 5 s) the charge-outside-run anti-pattern, shrinks that, reads the result from the webview's
// DOM and takes screenshots in three themes and at 700 px; the suite's cases (chaos-suite.ts)
// check what it read against the record and the gateway's ledger. Its signals carry a "chaos-"
// prefix: the lessons' theme signals have the plain names.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Frame, Page } from "playwright-core";
import { listRuns } from "../../src/lab/history.js";
import type { ChaosSeen } from "./chaos-suite.js";
import { shotsDir, type SignalDir } from "./outer.js";
import { datasets, inView, lowestContrast, scrollTo } from "./panel-measure.js";
import { openedPanel, resized, themed, untilRecorded, type ThemeLabel } from "./workbench-ui.js";

// The page's globals, as the functions evaluated in the webview see them (no DOM library here; as in panel-measure.ts).
declare const document: any;
declare function getComputedStyle(e: any): any;
type HTMLElement = any;

/** Fills the chaos form and runs it; resolves once its record is in the history and Run is back. `stop`: pressed once a few requests were answered. */
async function runChaos(frame: Frame, target: string, o: { payments?: string; duration?: string; stop?: boolean } = {}): Promise<void> {
  await frame.click('[data-testid="scenario-chaos"]');
  await frame.fill('[data-testid="chaos-seed"]', "7");
  await frame.fill('[data-testid="chaos-payments"]', o.payments ?? "6");
  await frame.fill('[data-testid="chaos-duplicates"]', "3");
  await frame.fill('[data-testid="chaos-duration"]', o.duration ?? "10");
  await frame.selectOption('[data-testid="chaos-target"]', target);
  const start = async () => {
    await frame.click('[data-testid="run-button"]');
    // Progress shows while it runs (the engine counts answered requests).
    await frame.locator('[data-testid="stop-button"]:not([hidden])').waitFor({ timeout: 30_000 });
    if (o.stop) {
      await frame.locator('[data-testid="progress-text"]', { hasText: /^[1-9]\d* \/ \d+ answered$/ }).waitFor({ timeout: 120_000 });
      await frame.click('[data-testid="stop-button"]');
    }
  };
  await untilRecorded(frame, start, { what: "the chaos run in the history", timeoutMs: 300_000 });
}

async function read(frame: Frame): Promise<ChaosSeen> {
  await frame.locator('[data-testid="chaos-view"]').waitFor({ timeout: 30_000 });
  await scrollTo(frame, 0);
  const text = async (sel: string) => ((await frame.locator(sel).first().textContent()) ?? "").replace(/\s+/g, " ").trim();
  return {
    verdict: await text('[data-testid="verdict"]'),
    expected: await text('[data-testid="verdict-expected"]'),
    seed: await text('[data-testid="chaos-seed-shown"]'),
    invariants: (await datasets(frame, '[data-testid="chaos-invariant"]')).map((i) => ({
      name: i.name ?? "",
      holds: i.holds ?? "",
      violations: i.violations ?? "",
    })),
    payments: (await datasets(frame, '[data-testid="chaos-payment"]')).map((p) => ({
      paymentId: p.paymentId ?? "",
      charges: p.charges ?? "",
      broken: p.broken ?? "",
    })),
    faults: (await datasets(frame, '[data-testid="chaos-fault"]')).map((f) => ({ kind: f.kind ?? "", state: f.state ?? "", text: f.text })),
    markers: await frame.locator('[data-testid="chaos-fault-marker"]').count(),
    verdictInView: (await inView(frame, '[data-testid="verdict"]')).inView,
  };
}

/** What the driver read of "Find the smallest failing run" on the anti-pattern's run. */
export interface ShrinkSeen {
  error?: string;
  /** Run was off while it shrank. */
  runOffWhileShrinking?: boolean;
  progress?: string;
  headline?: string;
  payments?: number;
  seed?: string;
  command?: string;
  invariants?: string;
  chains?: number;
  /** The chaos runs in the history before and after: the shrink's runs are not kept. */
  historyBefore?: number;
  historyAfter?: number;
}

/** Clicks the shrink button of the chaos result on screen and reads its card once it comes (8 short runs at most). */
async function shrinkShown(frame: Frame, chaosRuns: () => number): Promise<ShrinkSeen> {
  const seen: ShrinkSeen = { historyBefore: chaosRuns() };
  const button = frame.locator('[data-testid="shrink-button"]');
  await button.waitFor({ timeout: 10_000 });
  await button.click();
  const progress = frame.locator('[data-testid="shrink-progress"]');
  await progress.waitFor({ timeout: 10_000 });
  seen.progress = ((await progress.textContent()) ?? "").trim();
  seen.runOffWhileShrinking = await frame.locator('[data-testid="run-button"]').isDisabled();
  const card = frame.locator('[data-testid="shrunk"]');
  await card.waitFor({ timeout: 10 * 60_000 });
  const text = async (sel: string) => ((await frame.locator(sel).first().textContent()) ?? "").replace(/\s+/g, " ").trim();
  seen.headline = await text('[data-testid="shrunk-headline"]');
  seen.payments = Number(await card.getAttribute("data-payments"));
  seen.seed = (await card.getAttribute("data-seed")) ?? "";
  seen.command = await text('[data-testid="shrunk-command"]');
  seen.invariants = await text('[data-testid="shrunk-invariants"]');
  seen.chains = await frame.locator('[data-testid="shrunk"] [data-testid="chaos-chain"]').count();
  seen.historyAfter = chaosRuns();
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: join(shotsDir, "chaos-anti-light-shrunk.png") });
  return seen;
}

const events = async (frame: Frame, host: string) =>
  (await datasets(frame, `[data-testid="${host}"] [data-testid="chaos-event"]`)).map((e) => ({ kind: e.kind ?? "", text: e.text }));

/** Orange words (the unsafe verdict, the anti-pattern tag, the faults in the history) whose contrast is under 4.5:1, per screenshot. */
let faintOrange: string[] = [];
const ORANGE_WORDS = ".verdict-unsafe .verdict-word, .tag-anti, .event-fault .chaos-event-kind";

async function shoot(page: Page, frame: Frame, name: string, theme: ThemeLabel): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await scrollTo(frame, 0);
  await themed(frame, theme);
  await page.screenshot({ path: join(shotsDir, `${name}.png`) });
  if (name.startsWith("chaos-anti")) {
    const orange = await lowestContrast(frame, ORANGE_WORDS);
    if (orange.count === 0) faintOrange.push(`${name}: no orange words to measure`);
    else if (orange.lowest < 4.5) faintOrange.push(`${name}: ${orange.lowest.toFixed(2)}:1 (${orange.where})`);
  }
}

/** What the chaos driver saw beyond what it sent the suite: the shrink, for the outer test to check. */
export interface ChaosOutcome {
  shrunk: ShrinkSeen;
  /** The anti-pattern run's payments (the shrunk run has no more). */
  antiPayments: number;
  /** Orange words too faint to read, per screenshot: none expected. */
  faintOrange: string[];
}

/** Runs the chaos cases' side in the webview of `workspace`'s lab, once the suite sends "chaos-panel-open". */
export async function chaosDriver(page: Page, s: SignalDir, workspace: string): Promise<ChaosOutcome> {
  const { wait, send } = s;
  faintOrange = [];
  const seen: ChaosOutcome = { shrunk: { error: "not reached" }, antiPayments: 0, faintOrange };
  const chaosRuns = () => listRuns(workspace).filter((r) => r.kind === "chaos").length;
  let frame: Frame | undefined;
  try {
    frame = await openedPanel(page, { wait }, "chaos-panel-open");
    await runChaos(frame, "PaymentService");
    const safe = await read(frame);
    await shoot(page, frame, "chaos-safe-light", "light");
    await frame.locator('[data-testid="chaos-timeline-section"]').screenshot({ path: join(shotsDir, "chaos-safe-light-timeline.png") });
    send("ui-safe", safe);
  } catch (err) {
    send("ui-safe", { error: String(err) });
    await page.screenshot({ path: join(shotsDir, "chaos-failed.png") }).catch(() => {});
    return seen;
  }
  try {
    // 5 s: the shrink runs again at the failing run's length, up to 8 times (at 10 s, 80 s of the test).
    await runChaos(frame, "PaymentAntiPatterns/chargeOutsideRun", { duration: "5" });
    const anti = await read(frame);
    await shoot(page, frame, "chaos-anti-light", "light");
    anti.violation = {
      title: await frame.locator('[data-testid="chaos-violation"] h2').innerText(),
      paymentId: (await frame.locator('[data-testid="chaos-violation-payment"]').innerText()).trim(),
      events: await events(frame, "chaos-violation-history"),
    };
    anti.chains = await frame.locator('[data-testid="chaos-chain"]').evaluateAll((nodes) =>
      nodes.map((n) => ({
        paymentId: (n as HTMLElement).dataset.paymentId ?? "",
        steps: [...n.querySelectorAll(".chaos-chain-text")].map((t) => (t.textContent ?? "").trim()),
      })),
    );
    // Red as the theme's --error-text, measured against a probe coloured with it.
    anti.chargesCardRed = await frame.locator('[data-testid="chaos-charges"]').evaluate((n) => {
      const probe = document.createElement("span");
      probe.style.color = "var(--error-text)";
      n.parentElement!.append(probe);
      const red = getComputedStyle(probe).color;
      probe.remove();
      return getComputedStyle(n).color === red;
    });
    await frame.locator('[data-testid="chaos-chains"]').screenshot({ path: join(shotsDir, "chaos-anti-light-chain.png") });
    // The violation's payment opens its row's history, in the table.
    await frame.click('[data-testid="chaos-violation-payment"]');
    await frame.locator('[data-testid="chaos-payment-history"]').waitFor({ timeout: 10_000 });
    anti.opened = {
      paymentId:
        (await frame.locator('[data-testid="chaos-payment-toggle"][aria-expanded="true"]').getAttribute("title"))?.replace(/^Close the history of /, "") ?? "",
      events: await events(frame, "chaos-payment-history"),
    };
    await frame.locator('[data-testid="chaos-payments-section"]').screenshot({ path: join(shotsDir, "chaos-anti-light-payments.png") });
    await frame.locator('[data-testid="chaos-timeline-section"]').screenshot({ path: join(shotsDir, "chaos-anti-light-timeline.png") });
    seen.antiPayments = anti.payments.length;
    send("ui-anti", anti);
  } catch (err) {
    send("ui-anti", { error: String(err) });
    await page.screenshot({ path: join(shotsDir, "chaos-failed.png") }).catch(() => {});
    return seen;
  }
  try {
    // The anti-pattern's run broke an invariant: the panel shrinks it (the suite meanwhile switches themes, after ui-anti).
    seen.shrunk = await shrinkShown(frame, chaosRuns);
  } catch (err) {
    seen.shrunk = { error: String(err) };
    await page.screenshot({ path: join(shotsDir, "chaos-shrink-failed.png") }).catch(() => {});
  }
  for (const theme of ["dark", "hc"] as const) {
    await wait(`chaos-theme-${theme}`);
    await shoot(page, frame, `chaos-anti-${theme}`, theme);
    await frame.locator('[data-testid="chaos-timeline-section"]').screenshot({ path: join(shotsDir, `chaos-anti-${theme}-timeline.png`) });
    send(`chaos-shot-${theme}`, {});
  }
  await wait("chaos-theme-light");
  await resized(page, frame, { width: 700, height: 1000 });
  await shoot(page, frame, "chaos-anti-700", "light");
  send("chaos-shot-narrow", {
    verdictInView: (await inView(frame, '[data-testid="verdict"]')).inView,
    runInView: (await inView(frame, '[data-testid="run-button"]')).inView,
  });
  await page.setViewportSize({ width: 1600, height: 1000 });
  try {
    // A long run, stopped by the learner: the panel shows what was judged, and says it stopped.
    await runChaos(frame, "PaymentService", { payments: "40", duration: "60", stop: true });
    const stopped = await read(frame);
    send("ui-stopped", {
      ...stopped,
      durationHint: ((await frame.locator('[data-testid="chaos-duration"] ~ .card-hint').textContent()) ?? "").trim(),
    });
  } catch (err) {
    send("ui-stopped", { error: String(err) });
  }
  return seen;
}
