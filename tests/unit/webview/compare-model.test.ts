// History order and the comparison of two runs (src/webview/compare-model.ts).
import { describe, expect, it } from "vitest";
import { compareRuns, sortHistory } from "../../../src/webview/compare-model.js";
import { sanitizeHistory } from "../../../src/webview/incoming.js";
import { burst, record } from "./fixtures.js";

describe("history and comparison", () => {
  it("sorts history most recent first and drops malformed entries", () => {
    const h = sanitizeHistory([
      { runId: "a", scenario: "s", title: "A", verdict: "safe", requests: 1, charges: 1, finishedAt: "2026-01-01T10:00:00Z" },
      { runId: "b", scenario: "s", title: "B", verdict: "safe", requests: 1, charges: 1, finishedAt: "2026-01-01T12:00:00Z" },
      { runId: 3, title: "bad" },
      null,
    ]);
    expect(h.map((x) => x.runId)).toEqual(["b", "a"]);
    expect(sortHistory(h)).toEqual(h);
  });

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
    expect(row("the customer is charged once (gateway ledger)")).toMatchObject({ okA: true, okB: false, differs: true });
    expect(row("no request failed")).toMatchObject({ okA: true, okB: null, b: "—", differs: true });
    expect(row("the order is counted once")).toMatchObject({ okA: null, okB: true });
    expect(compareRuns(a, a).filter((r) => r.differs)).toEqual([]);
  });
});
