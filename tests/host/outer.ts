// What the outer (vitest) side of every host test shares: a scaffolded lab per test, a suite run
// inside a real VS Code with its cases read back and checked, and the signal files the driver and
// the suite take turns by.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, inject } from "vitest";
import { packageRoot, workspacePaths } from "../../src/lab/paths.js";
import { poll } from "../../src/lab/poll.js";
import { scaffold } from "../../src/lab/scaffold.js";
import { down } from "../../src/lab/stack.js";
import type { CaseResult } from "./harness.js";
import { runHostTests, type HostTestOptions } from "./runner/index.js";
import { writeSignal } from "./signal-file.js";

export { findWebviewFrame } from "./runner/index.js";

export const root = packageRoot();
/** Where the host tests' screenshots go (test-artifacts/ is not committed). */
export const shotsDir = join(root, "test-artifacts", "host");

const labs: string[] = [];
afterAll(() => {
  // Each lab's Restate data is ~200 MB: never leave them in the temp folder.
  for (const workspace of labs.splice(0)) rmSync(join(workspace, ".."), { recursive: true, force: true });
});

/**
 * The host tests' workbench settings. TypeScript runs its syntax server only: no test reads a
 * type, and the semantic server cost 5-6 CPU-s in each window that opened a .ts file (tsserver
 * 7.7 -> 2.1 CPU-s in the anti-pattern's window). Not the bench's (npm run bench): it measures
 * the panel in a workbench as a learner has it, with TypeScript's full server.
 */
const HOST_TEST_SETTINGS = { "typescript.tsserver.useSyntaxServer": "always" };

export function newLab(withDependencies: boolean): string {
  const workspace = join(mkdtempSync(join(tmpdir(), "host-lab-")), "lab");
  labs.push(workspace);
  scaffold(workspace);
  if (withDependencies) symlinkSync(inject("labNodeModules"), workspacePaths(workspace).nodeModules, "dir");
  return workspace;
}

/** Runs `body` on a new lab with its dependencies, then stops whatever lab is left running there, pass or fail. */
export async function withLab(body: (workspace: string) => Promise<void>): Promise<void> {
  const workspace = newLab(true);
  try {
    await body(workspace);
  } finally {
    await down(workspace);
  }
}

export async function runSuite(suite: string, workspace: string, options: Partial<HostTestOptions> = {}, dir = mkdtempSync(join(tmpdir(), "host-results-"))) {
  const results = join(dir, "results.json");
  const leftRunning = join(dir, "left-running.json");
  const code = await runHostTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, "out", "host", suite),
    workspaceFolder: workspace,
    env: { HOST_TEST_RESULTS: results, HOST_TEST_LEFT_RUNNING: leftRunning, HOST_TEST_SIGNALS: dir },
    timeoutMs: 8 * 60_000,
    ...options,
    settings: { ...HOST_TEST_SETTINGS, ...options.settings },
  });
  const cases = existsSync(results) ? (JSON.parse(readFileSync(results, "utf8")) as CaseResult[]) : [];
  return { code, cases, leftRunning };
}

export function report(cases: CaseResult[]): string {
  return cases.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}${c.error ? `\n${c.error}` : ""}`).join("\n");
}

/**
 * Prints the suite's cases, then expects none failed, `expected.cases` of them when given (a suite
 * that stops early reports fewer), and exit code 0.
 */
export function expectSuitePassed({ code, cases }: { code: number; cases: CaseResult[] }, expected: { cases?: number } = {}): void {
  console.log(report(cases));
  expect(
    cases.filter((c) => !c.ok),
    report(cases),
  ).toEqual([]);
  if (expected.cases !== undefined) expect(cases.length, "the cases the suite reported").toBe(expected.cases);
  expect(code).toBe(0);
}

/**
 * A new folder of signal files, `<name>.json`, passed to the suite as HOST_TEST_SIGNALS: the driver
 * and the suite inside VS Code take turns by them. A name is sent once: groups of checks in one
 * window use names of their own.
 */
export function signalDir(options: { timeoutMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "host-signals-"));
  const file = (name: string) => join(dir, `${name}.json`);
  const send = (name: string, data: unknown = {}) => writeSignal(file(name), data);
  return {
    dir,
    send,
    /** Waits for the suite's signal `name` and returns what it holds. */
    wait: async <T = unknown>(name: string): Promise<T> => {
      const text = await poll(() => (existsSync(file(name)) && readFileSync(file(name), "utf8")) || undefined, {
        what: `the ${name} signal`,
        everyMs: 200,
        timeoutMs: options.timeoutMs ?? 300_000,
      });
      return JSON.parse(text) as T;
    },
  };
}

export type SignalDir = ReturnType<typeof signalDir>;
