// What the outer (vitest) side of every host test shares: a scaffolded lab per test, and a
// suite run inside a real VS Code with its cases read back.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, inject } from "vitest";
import { packageRoot, workspacePaths } from "../../src/lab/paths.js";
import { scaffold } from "../../src/lab/scaffold.js";
import type { CaseResult } from "./harness.js";
import { runHostTests, type HostTestOptions } from "./runner/index.js";

export { findWebviewFrame } from "./runner/index.js";

export const root = packageRoot();

const labs: string[] = [];
afterAll(() => {
  // Each lab's Restate data is ~200 MB: never leave them in the temp folder.
  for (const workspace of labs.splice(0)) rmSync(join(workspace, ".."), { recursive: true, force: true });
});

export function newLab(withDependencies: boolean): string {
  const workspace = join(mkdtempSync(join(tmpdir(), "host-lab-")), "lab");
  labs.push(workspace);
  scaffold(workspace);
  if (withDependencies) symlinkSync(inject("labNodeModules"), workspacePaths(workspace).nodeModules, "dir");
  return workspace;
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
  });
  const cases = existsSync(results) ? (JSON.parse(readFileSync(results, "utf8")) as CaseResult[]) : [];
  return { code, cases, leftRunning };
}

export function report(cases: CaseResult[]): string {
  return cases.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}${c.error ? `\n${c.error}` : ""}`).join("\n");
}
