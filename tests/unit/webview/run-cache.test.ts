// The panel's cache of run records (src/webview/run-cache.ts).
import { describe, expect, it } from "vitest";
import { RunCache } from "../../../src/webview/run-cache.js";
import { record } from "./fixtures.js";

describe("run cache", () => {
  it("keeps a small cache of run records without evicting the ones on screen", () => {
    const cache = new RunCache(2);
    cache.put(record("a", []));
    cache.put(record("b", []));
    cache.put(record("c", []), ["a"]);
    expect(cache.has("a")).toBe(true);
    expect(cache.has("b")).toBe(false);
    expect(cache.has("c")).toBe(true);
    expect(cache.size).toBe(2);
  });
});
