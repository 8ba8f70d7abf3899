// Prints one plain closing line ("vitest: N passed, N failed, N skipped") that CI reads, and
// before it where the time went: each project's files, their summed durations and the slowest.
// With VITEST_SUMMARY_FILE set the closing line also goes to that file (scripts/test.mjs adds
// up its lanes from there), followed by each failed test's name and the first lines of its error,
// so the tail of a CI log says what failed even when the log above it is cut.
import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  private started = performance.now();

  onInit(): void {
    this.started = performance.now();
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const failures: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") count.passed++;
        else if (result.state === "failed") {
          count.failed++;
          failures.push(failure(`${module.relativeModuleId} > ${test.fullName}`, result.errors?.[0]));
        } else count.skipped++;
      }
      // A file that failed to load has no tests but is a failure.
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) {
        count.failed++;
        failures.push(failure(module.relativeModuleId, module.errors()[0]));
      }
    }
    count.failed += unhandledErrors.length;
    for (const err of unhandledErrors) failures.push(failure("unhandled error", err as { message?: string }));
    process.stdout.write(timeTable(testModules, performance.now() - this.started));
    const line = `vitest: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.VITEST_SUMMARY_FILE) writeFileSync(process.env.VITEST_SUMMARY_FILE, [line, ...failures].join("\n") + "\n");
  }
}

/** "FAIL <file> > <test>" and the first lines of its error, indented. */
function failure(name: string, error: { message?: string } | undefined): string {
  const lines = (error?.message ?? "").split("\n").filter((l) => l.trim() !== "");
  const head = lines.slice(0, 12).map((l) => `    ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`);
  if (lines.length > head.length) head.push(`    … (${lines.length - head.length} more lines)`);
  return [`FAIL ${name}`, ...head].join("\n");
}

/** Per project: files, the sum of their durations (files of a project may overlap) and the slowest file. */
function timeTable(testModules: ReadonlyArray<TestModule>, wallMs: number): string {
  const projects = new Map<string, { files: number; ms: number; slowest: { file: string; ms: number } }>();
  for (const module of testModules) {
    const name = module.project.name || "(root)";
    const ms = module.diagnostic().duration;
    const entry = projects.get(name) ?? { files: 0, ms: 0, slowest: { file: "", ms: -1 } };
    entry.files++;
    entry.ms += ms;
    if (ms > entry.slowest.ms) entry.slowest = { file: module.relativeModuleId, ms };
    projects.set(name, entry);
  }
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
  const rows = [...projects].sort((a, b) => b[1].ms - a[1].ms);
  const lines = rows.map(
    ([name, p]) => `  ${name.padEnd(10)} ${String(p.files).padStart(3)} files ${s(p.ms)}   slowest ${p.slowest.file} ${s(p.slowest.ms).trim()}`,
  );
  return `\ntime per project (file durations summed), wall ${s(wallMs).trim()}:\n${lines.join("\n")}\n`;
}
