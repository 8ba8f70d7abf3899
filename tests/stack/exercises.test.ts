// The lab template's exercises, as CI sees them: every starter in exercises/ fails its tests
// (for the reason the exercise is about: an assertion naming a broken invariant, not a crash
// or a time-out), every solution in solutions/ passes the same tests, and every wrong solution
// in wrong-solutions/ (answers a learner could plausibly write, listed in solutions/README.md)
// fails the test named for it. All runs use the template's own vitest config for the
// exercises, against real Restate servers.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/lab/paths.js";

const template = join(packageRoot(), "lab-templates", "payment-service");
const EXERCISES = ["01-order-creation", "02-refunds", "03-email-dedup", "04-custom-strategies", "05-concurrent-handlers", "06-retry-contract"];

/**
 * Wrong solutions, as files `wrong-solutions/<exercise id>.<what is wrong>.ts`, served in place of
 * their exercise's solution (exercises/serve.ts, LAB_TRY_FILES): the test each must fail, and
 * what its failure must say.
 */
const WRONG_SOLUTIONS: Array<{ file: string; test: string; says: RegExp }> = [
  {
    file: "01-order-creation.key-without-journal.ts",
    test: "charges once when the service dies after the charge and the gateway has forgotten its key",
    says: /charged [2-9]\d* times after the service died|answered nothing within/,
  },
  { file: "01-order-creation.journal-without-key.ts", test: "charges once when the gateway takes the money and its answer is lost", says: /charged 2 times/ },
  {
    file: "02-refunds.no-gateway-key.ts",
    test: "pays a refund out once when the service dies while the gateway is working on it",
    says: /paid out 2 times after a crash/,
  },
  { file: "02-refunds.key-by-amount.ts", test: "pays two refunds with two refundIds, even of the same amount", says: /refund r2 was swallowed/ },
  {
    file: "03-email-dedup.provider-key-only.ts",
    test: "sends one email when orderPlaced comes again after the provider has forgotten its key",
    says: /confirmation email 2 times/,
  },
  {
    file: "03-email-dedup.one-key-per-order.ts",
    test: "sends the confirmation and the shipping notice: two emails, each once",
    says: /shipping notice was swallowed/,
  },
  {
    file: "04-custom-strategies.description-not-in-fingerprint.ts",
    test: "answers 422 when a key is reused with another description: every field is part of the request",
    says: /another description was answered 200 instead of 422/,
  },
  {
    file: "04-custom-strategies.expiry-clears-any-entry.ts",
    test: "lets an expiry remove only the entry it was scheduled for",
    says: /removed the second one/,
  },
  {
    file: "05-concurrent-handlers.shared-cart-key.ts",
    test: "answers 422 to a pay for another amount that comes while expressPay is charging",
    says: /answered 200 and 502/,
  },
  {
    file: "05-concurrent-handlers.exclusive-with-record.ts",
    test: "charges once when pay comes while expressPay is charging, and answers pay with expressPay's payment",
    says: /charged 2 times/,
  },
  {
    file: "06-retry-contract.new-key-per-attempt.ts",
    test: "tries again after an answer lost on the way back, with the same key: one invocation, one charge, its answer",
    says: /another idempotency key than the first/,
  },
  {
    file: "06-retry-contract.status-only.ts",
    test: "stops at once at a 5xx that Restate marks as the invocation's own answer",
    says: /sent [2-9]\d* requests for an answer Restate marked as final/,
  },
];
const wrongDir = join(packageRoot(), "tests", "stack", "wrong-solutions");
/** A bound for one nested vitest run (six test files, one after another on a small machine), not a measure. */
const RUN_LIMIT_MS = 900_000;
const scratch = mkdtempSync(join(tmpdir(), "lab-exercises-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface JsonReport {
  numTotalTests: number;
  numFailedTests: number;
  testResults: Array<{
    name: string;
    status: string;
    assertionResults: Array<{ title: string; fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

/**
 * Runs the template's exercise tests with LAB_EXERCISES_DIR=dir (and LAB_TRY_FILES=tried, only
 * the test files of those exercises, when given; only the tests titled `onlyTests`, when given);
 * returns the exit code and vitest's JSON report.
 */
async function runExerciseTests(
  dir: "exercises" | "solutions",
  tried: string[] = [],
  onlyTests: string[] = [],
): Promise<{ code: number | null; report: JsonReport; output: string }> {
  const outputFile = join(scratch, `${dir}-${tried.length > 0 ? basename(tried[0]!, ".ts") : "all"}.json`);
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
    // One file at a time in each of the two nested runs that go at once (below): two exercise
    // files at a time in all. Three at once beside the VS Code tests, at load ~24, left a
    // solution's create unanswered within its 10 s; four, in a run that also had the faults
    // tests and the VS Code server's build beside it, timed a wrong solution's test out at 30 s.
    "--maxWorkers=1",
    // Only the exercises tried: a filter is part of a test file's name.
    ...tried.map((file) => `test/exercises/${exerciseOf(file)}.test.ts`),
    // Only these tests, by their whole title (vitest matches the pattern against "describe > title").
    ...(onlyTests.length > 0 ? ["-t", `(${onlyTests.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: packageRoot(),
    env: { ...env, LAB_EXERCISES_DIR: dir, LAB_TRY_FILES: tried.map((f) => join(wrongDir, f)).join(","), NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
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
const exerciseOf = (wrongFile: string) => wrongFile.split(".")[0]!;

/** The wrong solutions in rounds of at most one per exercise: one round is one vitest run. */
function rounds(): string[][] {
  const out: string[][] = [];
  for (const { file } of WRONG_SOLUTIONS) {
    const round = out.find((r) => !r.some((f) => exerciseOf(f) === exerciseOf(file)));
    if (round) round.push(file);
    else out.push([file]);
  }
  return out;
}

// The nested runs mostly wait on their servers: two at once (the starters beside the solutions,
// then the two rounds of wrong solutions), so that one's start and end overlap the other's work.
describe("the lab template's exercises", () => {
  it.concurrent(
    "every starter in exercises/ fails its tests, each time on a broken invariant",
    async () => {
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
    },
    RUN_LIMIT_MS + 20_000,
  );

  it.concurrent(
    "every solution in solutions/ passes the same tests",
    async () => {
      const { code, report, output } = await runExerciseTests("solutions");
      const failures = report.testResults
        .flatMap((f) => f.assertionResults)
        .filter((a) => a.status !== "passed")
        .map((a) => `${a.fullName}: ${a.status}\n${a.failureMessages.join("\n")}`);
      expect(failures, failures.join("\n\n")).toEqual([]);
      expect(code, output.slice(-4000)).toBe(0);
      expect(report.testResults.map((r) => fileOf(r.name)).sort()).toEqual(EXERCISES);
      expect(report.numTotalTests).toBeGreaterThanOrEqual(30);
    },
    RUN_LIMIT_MS + 20_000,
  );

  it("lists every wrong solution in wrong-solutions/ and in solutions/README.md, two for each exercise", () => {
    expect(readdirSync(wrongDir).sort()).toEqual(WRONG_SOLUTIONS.map((w) => w.file).sort());
    for (const id of EXERCISES) expect(WRONG_SOLUTIONS.filter((w) => exerciseOf(w.file) === id).length, id).toBe(2);
    const readme = readFileSync(join(template, "solutions", "README.md"), "utf8");
    for (const { file, test } of WRONG_SOLUTIONS) {
      expect(readme, `solutions/README.md does not name ${file}`).toContain(file);
      expect(readme, `solutions/README.md does not name the test that fails ${file}`).toContain(test);
    }
  });

  it.concurrent.each(rounds().map((round, i) => [i + 1, round] as const))(
    "wrong solutions, round %i: each fails the test named for it, on an assertion that says why",
    async (_round, round) => {
      // Only the test each wrong solution must fail: the others' outcomes are not what this judges.
      const named = round.map((file) => WRONG_SOLUTIONS.find((w) => w.file === file)!.test);
      const { report, output } = await runExerciseTests("solutions", round, named);
      for (const file of round) {
        const wrong = WRONG_SOLUTIONS.find((w) => w.file === file)!;
        const results = report.testResults.find((r) => fileOf(r.name) === exerciseOf(file));
        expect(results, `no test results for ${file}:\n${output.slice(-4000)}`).toBeDefined();
        const test = results!.assertionResults.find((a) => a.title === wrong.test);
        expect(test, `${exerciseOf(file)} has no test "${wrong.test}"`).toBeDefined();
        const message = test!.failureMessages.join("\n");
        expect(test!.status, `the wrong solution ${file} passes "${wrong.test}"`).toBe("failed");
        expect(message, `${file} failed "${wrong.test}" for another reason than an invariant:\n${message}`).toMatch(/^AssertionError: /);
        expect(message, `${file} failed "${wrong.test}" with another message than expected:\n${message}`).toMatch(wrong.says);
      }
    },
    RUN_LIMIT_MS + 20_000,
  );
});
