// The virtual table's window (src/webview/virtual-window.ts) and the request filter it shows.
import { describe, expect, it } from "vitest";
import { filterRequests } from "../../../src/webview/run/run-model.js";
import { virtualWindow } from "../../../src/webview/ui/virtual-window.js";
import { outcome } from "./fixtures.js";

describe("virtual window", () => {
  const p = { viewportHeight: 360, rowHeight: 24, total: 10_000, overscan: 8 };

  it("renders the rows in view plus the margin, with spacers for the rest", () => {
    const top = virtualWindow({ ...p, scrollTop: 0 });
    expect(top).toEqual({ start: 0, end: 15 + 8, padTop: 0, padBottom: (10_000 - 23) * 24 });
    const mid = virtualWindow({ ...p, scrollTop: 24 * 5000 + 10 });
    expect(mid.start).toBe(5000 - 8);
    expect(mid.end).toBe(5000 + 16 + 8);
    expect(mid.padTop + (mid.end - mid.start) * 24 + mid.padBottom).toBe(10_000 * 24);
    expect(mid.end - mid.start).toBeLessThanOrEqual(40);
  });

  it("clamps past the end and handles short and empty tables", () => {
    const end = virtualWindow({ ...p, scrollTop: 10_000_000 });
    expect(end.end).toBe(10_000);
    expect(end.padBottom).toBe(0);
    expect(end.end - end.start).toBeLessThanOrEqual(15 + 8 + 1);
    expect(virtualWindow({ ...p, total: 3, scrollTop: 0 })).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
    expect(virtualWindow({ ...p, total: 0, scrollTop: 50 })).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });

  it("filters requests by answer kind in index order", () => {
    const details = [outcome(2, { answer: "replayed" }), outcome(0, { answer: "executed" }), outcome(1, { answer: "attached" })];
    expect(filterRequests(details, "all").map((d) => d.index)).toEqual([0, 1, 2]);
    expect(filterRequests(details, "replayed").map((d) => d.index)).toEqual([2]);
  });
});
