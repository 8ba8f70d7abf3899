// Numbers and durations as the panel writes them (src/webview/format.ts).
import { describe, expect, it } from "vitest";
import { formatCount, formatMs, shortId } from "../../../src/webview/ui/format.js";

describe("formatting", () => {
  it("formats counts and durations without depending on the locale", () => {
    expect(formatCount(10_000)).toBe("10,000");
    expect(formatCount(999)).toBe("999");
    expect(formatMs(578)).toBe("578 ms");
    expect(formatMs(2210)).toBe("2.21 s");
  });

  it("shortens long ids to their start and end, and leaves short ones whole", () => {
    expect(shortId("inv_1gdJBtdVEcM942bjcDmb1c1khoaJe11Hbz")).toBe("inv_1gdJBt…1Hbz");
    expect(shortId("inv_1short")).toBe("inv_1short");
  });
});
