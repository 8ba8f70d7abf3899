// The comparison of two runs (src/webview/compare-model.ts).
import { describe, expect, it } from "vitest";
import { compareRuns } from "../../../src/webview/compare/compare-model.js";
import { burst, record } from "./fixtures.js";

describe("comparison", () => {
  it("compares two runs' metrics and invariants, marking what differs", () => {
    const a = record("a", burst(100));
    const b = record("b", burst(1), {
      charges: 2,
      verdict: "unsafe",
      invariants: [
        { name: "the customer is charged once (gateway ledger)", expected: 1, observed: 2, ok: false, role: "safety" },
        { name: "the order is counted once", expected: 1, observed: 1, ok: true, role: "safety" },
      ],
    });
    const rows = compareRuns(a, b);
    const row = (label: string) => rows.find((r) => r.label === label)!;
    expect(row("Charges")).toMatchObject({ a: "1", b: "2", differs: true });
    expect(row("Verdict")).toMatchObject({ a: "safe", b: "unsafe", differs: true });
    expect(row("Distinct responses").differs).toBe(false);
    expect(row("Finished").differs).toBe(false);
    // Short, like the history's: a time of day, or a date and a time.
    expect(row("Finished").a).toMatch(/^(\d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2} \d{2}:\d{2})$/);
    expect(row("the customer is charged once (gateway ledger)")).toMatchObject({ okA: true, okB: false, differs: true });
    expect(row("no request failed")).toMatchObject({ okA: true, okB: null, b: "—", differs: true });
    expect(row("the order is counted once")).toMatchObject({ okA: null, okB: true });
    expect(compareRuns(a, a).filter((r) => r.differs)).toEqual([]);
  });
});
