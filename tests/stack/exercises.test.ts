// The lab template's exercises, as CI sees them: every starter in exercises/ fails its tests
// (for the reason the exercise is about: an assertion naming a broken invariant, not a crash
// or a time-out), and every solution in solutions/ passes the same tests. Both runs use the
// template's own vitest config for the exercises, against real Restate servers.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/lab/paths.js";

const template = join(packageRoot(), "lab-templates", "payment-service");
const EXERCISES = ["01-order-creation", "02-refunds", "03-email-dedup", "04-custom-strategies", "05-concurrent-handlers"];
const scratch = mkdtempSync(join(tmpdir(), "lab-exercises-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface JsonReport {
  numTotalTests: number;
  numFailedTests: number;
  testResults: Array<{
    name: string;
    status: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

/** Runs the template's exercise tests with LAB_EXERCISES_DIR=dir; returns the exit code and vitest's JSON report. */
async function runExerciseTests(dir: "exercises" | "solutions"): Promise<{ code: number | null; report: JsonReport; output: string }> {
  const outputFile = join(scratch, `${dir}.json`);
  // A clean environment for the nested vitest: none of this run's own VITEST_* variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
  const args = [
    join(packageRoot(), "node_modules", "vitest", "vitest.mjs"),
    "run",
    "--root",
    template,
    "--config",
    join(template, "vitest.exercises.config.ts"),
    "--reporter=json",
    `--outputFile=${outputFile}`,
  ];
  const child = spawn(process.execPath, args, {
    cwd: packageRoot(),
    env: { ...env, LAB_EXERCISES_DIR: dir, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 280_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(outputFile, "utf8")) as JsonReport;
  } catch (err) {
    throw new Error(`vitest wrote no JSON report (exit ${code}): ${(err as Error).message}\n${output.slice(-4000)}`, { cause: err });
  }
  return { code, report, output };
}

const fileOf = (name: string) => basename(name).replace(/\.test\.ts$/, "");

describe("the lab template's exercises", () => {
  it("every starter in exercises/ fails its tests, each time on a broken invariant", async () => {
    const { code, report, output } = await runExerciseTests("exercises");
    expect(code, output.slice(-4000)).not.toBe(0);
    expect(report.testResults.map((r) => fileOf(r.name)).sort()).toEqual(EXERCISES);
    for (const file of report.testResults) {
      const failed = file.assertionResults.filter((a) => a.status === "failed");
      expect(failed.length, `the starter of ${fileOf(file.name)} passes all its tests`).toBeGreaterThan(0);
      for (const test of failed) {
        const message = test.failureMessages.join("\n");
        // An assertion about the exercise, not a stack that did not start or a test that hung.
        expect(message, `${test.fullName} failed for another reason than an invariant:\n${message}`).toMatch(/^AssertionError: /);
        expect(message, `${test.fullName} failed for another reason than an invariant:\n${message}`).not.toMatch(/timed out/i);
      }
    }
  }, 300_000);

  it("every solution in solutions/ passes the same tests", async () => {
    const { code, report, output } = await runExerciseTests("solutions");
    const failures = report.testResults
      .flatMap((f) => f.assertionResults)
      .filter((a) => a.status !== "passed")
      .map((a) => `${a.fullName}: ${a.status}\n${a.failureMessages.join("\n")}`);
    expect(failures, failures.join("\n\n")).toEqual([]);
    expect(code, output.slice(-4000)).toBe(0);
    expect(report.testResults.map((r) => fileOf(r.name)).sort()).toEqual(EXERCISES);
    expect(report.numTotalTests).toBeGreaterThanOrEqual(30);
  }, 300_000);
});
