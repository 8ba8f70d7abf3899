// A tiny test runner inside the extension host: named cases, run in order, each result
// printed and written to a JSON file the outer (vitest) test reads.
import { readFileSync, writeFileSync } from "node:fs";
import { poll } from "../../src/lab/poll.js";

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

export async function runCases(cases: Array<[string, () => Promise<void>]>): Promise<void> {
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
