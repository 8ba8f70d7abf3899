// The panel's cache of run records (src/webview/run-cache.ts).
import { describe, expect, it } from "vitest";
import { RunCache } from "../../../src/webview/app/run-cache.js";
import { record } from "./fixtures.js";

describe("run cache", () => {
  it("keeps a small cache of run records without evicting the ones on screen", () => {
    const cache = new RunCache(2).put(record("a", [])).put(record("b", [])).put(record("c", []), ["a"]);
    expect(cache.has("a")).toBe(true);
    expect(cache.has("b")).toBe(false);
    expect(cache.has("c")).toBe(true);
    expect(cache.size).toBe(2);
  });

  it("evicts the least recently used first, and never changes a cache it returned", () => {
    const ab = new RunCache(2).put(record("a", [])).put(record("b", []));
    const touched = ab.touch("a").put(record("c", []));
    expect([touched.has("a"), touched.has("b"), touched.has("c")]).toEqual([true, false, true]);
    expect([ab.has("a"), ab.has("b"), ab.has("c")]).toEqual([true, true, false]);
    const newer = record("a", []);
    expect(ab.put(newer).get("a")).toBe(newer);
  });
});
