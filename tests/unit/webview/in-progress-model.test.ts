// What the main column says while a run is in progress (src/webview/app/in-progress-model.ts).
import { describe, expect, it } from "vitest";
import { inProgressView } from "../../../src/webview/app/in-progress-model.js";

describe("a run in progress", () => {
  it("says how many requests were answered of how many, with thousands separators", () => {
    const v = inProgressView({ done: 4_567, total: 10_000 });
    expect(v.title).toBe("A run is in progress");
    expect(v.progress).toBe("4,567 of 10,000 answered");
  });

  it("says it is starting before the first answer, and never more answered than planned", () => {
    expect(inProgressView(null).progress).toMatch(/^Starting/);
    expect(inProgressView({ done: 0, total: 0 }).progress).toMatch(/^Starting/);
    expect(inProgressView({ done: 12, total: 10 }).progress).toBe("10 of 10 answered");
  });

  it("tells what Stop does", () => {
    expect(inProgressView(null).hint).toMatch(/Stop ends it early.*partial run, with no verdict/);
  });
});
