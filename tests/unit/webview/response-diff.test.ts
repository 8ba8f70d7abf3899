// Distinct responses and their diff (src/webview/response-diff.ts).
import { describe, expect, it } from "vitest";
import { canonicalize, canonicalJson, diffLines, groupResponses } from "../../../src/webview/run/response-diff.js";
import { outcome } from "./fixtures.js";

describe("responses and diff", () => {
  it("groups answers by status and canonical JSON, most common first", () => {
    const a = { paymentId: "p", amount: 1, nested: { y: 1, x: 2 } };
    const sameReordered = { nested: { x: 2, y: 1 }, amount: 1, paymentId: "p" };
    const details = [
      outcome(0, { response: a, answer: "executed" }),
      outcome(1, { response: sameReordered }),
      outcome(2, { status: 422, response: { message: "exists" }, answer: "failed" }),
      outcome(3, { response: sameReordered }),
      outcome(4, { status: null, response: null, answer: "timed-out", error: "the client gave up after 300 ms" }),
    ];
    const groups = groupResponses(details);
    expect(groups.map((g) => [g.status, g.count, g.firstIndex])).toEqual([
      [200, 3, 0],
      [422, 1, 2],
      [null, 1, 4],
    ]);
    expect(groups[0]!.answers).toEqual({ executed: 1, attached: 2 });
    expect(groups[0]!.pretty).toBe(canonicalJson(a, 2));
    expect(groups[0]!.pretty.split("\n")[1]).toBe('  "amount": 1,');
    expect(groups[2]!.error).toBe("the client gave up after 300 ms");
  });

  it("sorts keys at every level, arrays kept in order, and survives an answer nested 100,000 levels deep", () => {
    expect(canonicalJson({ b: [3, { z: 1, a: null }], a: "x" })).toBe('{"a":"x","b":[3,{"a":null,"z":1}]}');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { k: deep };
    // canonicalize itself never recurses; JSON.stringify would, so the text names the problem instead.
    expect(() => canonicalize(deep)).not.toThrow();
    expect(canonicalJson(deep)).toBe('"(nested too deeply to show)"');
  });

  it("diffs lines by longest common subsequence", () => {
    const a = ["{", '  "amount": 10000,', '  "currency": "USD",', '  "status": "charged"', "}"].join("\n");
    const b = ["{", '  "amount": 55000,', '  "currency": "EUR",', '  "status": "charged"', "}"].join("\n");
    expect(diffLines(a, b)).toEqual([
      { op: "same", text: "{" },
      { op: "removed", text: '  "amount": 10000,' },
      { op: "removed", text: '  "currency": "USD",' },
      { op: "added", text: '  "amount": 55000,' },
      { op: "added", text: '  "currency": "EUR",' },
      { op: "same", text: '  "status": "charged"' },
      { op: "same", text: "}" },
    ]);
    expect(diffLines("a\nb\nc", "a\nb\nc").every((d) => d.op === "same")).toBe(true);
    expect(diffLines("x\na\nb", "a\nb\ny")).toEqual([
      { op: "removed", text: "x" },
      { op: "same", text: "a" },
      { op: "same", text: "b" },
      { op: "added", text: "y" },
    ]);
  });
});
