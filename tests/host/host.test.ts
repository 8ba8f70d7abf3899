// Runs the extension-host suites in a real VS Code (the VS Code server with headless
// Chromium here; VS Code desktop through @vscode/test-electron where there is one).
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { packageRoot, workspacePaths } from "../../src/lab/paths.js";
import { findProcesses } from "../../src/lab/processes.js";
import { scaffold } from "../../src/lab/scaffold.js";
import { down } from "../../src/lab/stack.js";
import type { CaseResult } from "./harness.js";
// @ts-expect-error: a plain ESM script without types
import { runHostTests } from "../../scripts/host/run-host-tests.mjs";

const root = packageRoot();

function newLab(withDependencies: boolean): string {
  const workspace = join(mkdtempSync(join(tmpdir(), "host-lab-")), "lab");
  scaffold(workspace);
  if (withDependencies) symlinkSync(inject("labNodeModules"), workspacePaths(workspace).nodeModules, "dir");
  return workspace;
}

async function runSuite(suite: string, workspace: string, options: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "host-results-"));
  const results = join(dir, "results.json");
  const leftRunning = join(dir, "left-running.json");
  const code = (await runHostTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, "out", "host", suite),
    workspaceFolder: workspace,
    env: { HOST_TEST_RESULTS: results, HOST_TEST_LEFT_RUNNING: leftRunning },
    timeoutMs: 8 * 60_000,
    ...options,
  })) as number;
  const cases = existsSync(results) ? (JSON.parse(readFileSync(results, "utf8")) as CaseResult[]) : [];
  return { code, cases, leftRunning };
}

function report(cases: CaseResult[]): string {
  return cases.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}${c.error ? `\n${c.error}` : ""}`).join("\n");
}

describe("in a real VS Code", () => {
  it("commands, status bar, logs, replay, reset, existing Restate, and nothing left after the window goes", async () => {
    const workspace = newLab(true);
    try {
      const { code, cases, leftRunning } = await runSuite("suite.cjs", workspace);
      console.log(report(cases));
      expect(cases.length, "the suite reported its cases").toBeGreaterThan(10);
      expect(cases.filter((c) => !c.ok), report(cases)).toEqual([]);
      expect(code).toBe(0);

      // The last case left a lab running; the window is gone now, so the lab must be too.
      const pids = Object.values(JSON.parse(readFileSync(leftRunning, "utf8")) as Record<string, number>);
      expect(pids.length).toBeGreaterThanOrEqual(4);
      const deadline = Date.now() + 15_000;
      while (findProcesses([workspace]).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(findProcesses([workspace])).toEqual([]);
    } finally {
      await down(workspace);
    }
  });

  it("an untrusted workspace starts and installs nothing", async () => {
    const workspace = newLab(false);
    const { code, cases } = await runSuite("untrusted-suite.cjs", workspace, { disableWorkspaceTrust: false });
    console.log(report(cases));
    expect(cases.filter((c) => !c.ok), report(cases)).toEqual([]);
    expect(cases.length).toBe(3);
    expect(code).toBe(0);
  });
});
