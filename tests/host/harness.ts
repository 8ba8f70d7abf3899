// What the suites inside the extension host share: a tiny test runner (named cases, run in order,
// each result printed and written to a JSON file the outer (vitest) test reads), the signal files
// a suite and the outer test's browser driver take turns by, and the VS Code steps of several suites.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/extension/command-ids.js";
import { poll } from "../../src/lab/poll.js";
import type { RunningStack } from "../../src/lab/stack.js";
import type { LedgerEntry } from "../../src/shared/protocol.js";
import { writeSignal } from "./signal-file.js";

export const EXTENSION_ID = "restate-idempotency-lab.restate-idempotency-lab";
/** The walkthrough package.json contributes, as workbench.action.openWalkthrough names it. */
export const WALKTHROUGH = `${EXTENSION_ID}#learn`;
export const THEMES = { light: "Default Light Modern", dark: "Default Dark Modern", hc: "Default High Contrast" } as const;

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

export type Case = [name: string, run: () => Promise<void>];

export async function runCases(cases: Case[]): Promise<void> {
  const results: CaseResult[] = [];
  for (const [name, fn] of cases) {
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true, ms: Date.now() - started });
      console.log(`host: ok   ${name}`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.push({ name, ok: false, error, ms: Date.now() - started });
      console.log(`host: FAIL ${name}\n${error}`);
    }
  }
  const file = process.env.HOST_TEST_RESULTS;
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
  const failed = results.filter((r) => !r.ok);
  console.log(`host: ${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) throw new Error(`${failed.length} host test(s) failed: ${failed.map((f) => f.name).join(", ")}`);
}

export function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  return poll(check, { what, everyMs: 100, timeoutMs });
}

/** Alive and not a zombie (an exited child its parent has not reaped yet counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * The signal files, `<name>.json` in HOST_TEST_SIGNALS, by which this suite and the outer test's
 * browser driver take turns. `wait` gives up after `timeoutMs`: the driver's part takes minutes.
 */
export function driverSignals(timeoutMs = 300_000) {
  const file = (name: string) => join(process.env.HOST_TEST_SIGNALS!, `${name}.json`);
  return {
    send: (name: string, data: unknown = {}) => writeSignal(file(name), data),
    /** Waits for the driver's signal `name` and returns what it holds. */
    wait: async <T = unknown>(name: string): Promise<T> => {
      const text = await waitFor(`signal ${name}`, () => (existsSync(file(name)) && readFileSync(file(name), "utf8")) || undefined, timeoutMs);
      return JSON.parse(text) as T;
    },
    /** Whether the driver has sent `name` already. */
    has: (name: string) => existsSync(file(name)),
  };
}

export type DriverSignals = ReturnType<typeof driverSignals>;

/** Sets VS Code's colour theme; undefined puts the default back. */
export function setTheme(theme: keyof typeof THEMES | undefined): Thenable<void> {
  return vscode.workspace.getConfiguration("workbench").update("colorTheme", theme && THEMES[theme], vscode.ConfigurationTarget.Global);
}

/**
 * Switches to `theme` and waits for the driver's screenshots in it; returns what the driver sent
 * with them. `prefix` tells these signals from another group's in the same window.
 */
export async function shotInTheme<T = unknown>(signals: DriverSignals, theme: keyof typeof THEMES, prefix = ""): Promise<T> {
  await setTheme(theme);
  signals.send(`${prefix}theme-${theme}`);
  return signals.wait<T>(`${prefix}shot-${theme}`);
}

/** Closes the side bars: the editor, and the panel in it, get the window's width (the width the driver sets). */
export async function closeSideBars(): Promise<void> {
  await vscode.commands.executeCommand("workbench.action.closeSidebar");
  await vscode.commands.executeCommand("workbench.action.closeAuxiliaryBar");
}

/** Start Lab, in the light theme (a known one for the first screenshots); resolves once the lab is ready. */
export async function startLab(folder: vscode.Uri): Promise<RunningStack> {
  await setTheme("light");
  const stack = (await vscode.commands.executeCommand<RunningStack>(COMMANDS.start, { folder }))!;
  assert.ok(stack.urls, JSON.stringify(stack));
  return stack;
}

/**
 * The first case of the suites whose driver works in the panel: Start Lab, then the panel alone in
 * the window (the screenshots show it at the viewport's width); `started` gets the lab's stack.
 */
export function openPanelCase(folder: vscode.Uri, signals: DriverSignals, started: (stack: RunningStack) => void): Case {
  return [
    "Open Lab Panel on a running lab, in the light theme",
    async () => {
      started(await startLab(folder));
      assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
      await closeSideBars();
      signals.send("panel-open");
    },
  ];
}

/**
 * A case for a group that comes after others in the panel's window (some opened a file beside the
 * panel, or left a dark theme): the panel alone in the window again, in the light theme, so the
 * group's screenshots show it at the viewport's width; then `signal` tells its driver to go on.
 */
export function panelAloneAgainCase(forWhat: string, signals: DriverSignals, signal: string): Case {
  return [
    `The panel alone again, in the light theme, for ${forWhat}`,
    async () => {
      await setTheme("light");
      assert.equal(await vscode.commands.executeCommand(COMMANDS.openPanel), true);
      await vscode.commands.executeCommand("workbench.action.closeEditorsInOtherGroups");
      await closeSideBars();
      assert.equal(vscode.window.tabGroups.all.length, 1, "one editor group: the panel's");
      signals.send(signal);
    },
  ];
}

/** The last case of the suites that switch themes: the default theme back, then Stop Lab. */
export function stopLabCase(folder: vscode.Uri): Case {
  return [
    "Stop Lab",
    async () => {
      await setTheme(undefined);
      await vscode.commands.executeCommand(COMMANDS.stop, { folder });
    },
  ];
}

/** The gateway's ledger entries for `paymentId`, read from the running lab's gateway now. */
export async function gatewayLedger(stack: RunningStack, paymentId: string): Promise<LedgerEntry[]> {
  return (await (await fetch(`${stack.urls.gateway}/ledger?paymentId=${paymentId}`)).json()) as LedgerEntry[];
}
