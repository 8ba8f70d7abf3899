// The code message and the openSource request: each checked before either side acts on it.
import { describe, expect, it } from "vitest";
import { parseToExtension, parseToWebview } from "../../src/shared/protocol.js";

const block = {
  file: "src/anti-patterns.ts",
  service: "PaymentAntiPatterns",
  handler: "chargeOutsideRun",
  role: "run",
  startLine: 25,
  lines: ["chargeOutsideRun: async () => {", "  await gateway.charge({});", "},"],
  charge: { line: 26, inRun: false },
  truncated: false,
};
const code = (over: Record<string, unknown> = {}, blockOver: Record<string, unknown> = {}) => ({
  type: "code",
  code: { scenario: "anti-pattern-charge-outside-run", blocks: [{ ...block, ...blockOver }], ...over },
});

describe("the code message", () => {
  it("passes a well-formed scenario code", () => {
    expect(parseToWebview(code()).ok).toBe(true);
    expect(parseToWebview(code({ blocks: [], problem: "src/fees.ts is not in the lab workspace" })).ok).toBe(true);
  });

  it.each([
    ["a file outside src/", {}, { file: "../../etc/passwd" }, /lab source file/],
    ["a charge line outside the lines", {}, { charge: { line: 40, inRun: false } }, /charge line outside/],
    ["too many lines", {}, { lines: Array.from({ length: 151 }, () => "x") }, /1 to 150 lines/],
    ["a line too long", {}, { lines: ["x".repeat(401)] }, /at most 400 characters/],
    ["no role", {}, { role: "other" }, /no role/],
    ["too many blocks", { blocks: [block, block, block, block] }, {}, /at most 3 blocks/],
    ["a bad scenario id", { scenario: "../x" }, {}, /no scenario id/],
  ])("refuses %s", (_what, over, blockOver, error) => {
    const parsed = parseToWebview(code(over, blockOver));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe("the openSource request", () => {
  it("passes a lab source file and a line", () => {
    expect(parseToExtension({ type: "openSource", requestId: "w-1", file: "src/payment-service.ts", line: 33 })).toEqual({
      ok: true,
      message: { type: "openSource", requestId: "w-1", file: "src/payment-service.ts", line: 33 },
    });
  });

  it.each([
    [{ file: "/etc/passwd", line: 1 }, /lab source file/],
    [{ file: "src/../../x.ts", line: 1 }, /lab source file/],
    [{ file: "package.json", line: 1 }, /lab source file/],
    [{ file: "src/payment-service.ts", line: 0 }, /needs a line/],
    [{ file: "src/payment-service.ts", line: 1.5 }, /needs a line/],
    [{ file: "src/payment-service.ts", line: 3, extra: 1 }, /unknown fields: extra/],
  ])("refuses %o", (fields, error) => {
    const parsed = parseToExtension({ type: "openSource", requestId: "w-1", ...fields });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});
