// The panel's "The code" block: which handler each scenario shows, found in the template's own
// files, with its charge line inside ctx.run or not.
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findHandler, scenarioCode, scenarioHandlers } from "../../src/lab/replay/handler-code.js";
import { SCENARIOS, findScenario } from "../../src/lab/replay/scenarios.js";
import { scenarioCodeProblem } from "../../src/shared/code.js";

const TEMPLATE = join(__dirname, "..", "..", "lab-templates", "payment-service");
const scenario = (id: string) => {
  const s = findScenario(id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};

describe("scenarioCode on the lab template", () => {
  it("shows the anti-pattern's charge outside ctx.run, and PaymentService.create's inside it beside it", () => {
    const code = scenarioCode(TEMPLATE, scenario("anti-pattern-charge-outside-run"));
    expect(code.problem).toBeUndefined();
    expect(code.blocks.map((b) => [b.handler, b.role, b.file])).toEqual([
      ["chargeOutsideRun", "run", "src/anti-patterns.ts"],
      ["create", "fixed", "src/payment-service.ts"],
    ]);
    const [anti, fixed] = code.blocks;
    const antiLine = anti!.lines[anti!.charge!.line - anti!.startLine];
    expect(antiLine).toContain("gateway.charge(");
    expect(anti!.charge!.inRun).toBe(false);
    expect(anti!.lines[0]).toMatch(/^\s*chargeOutsideRun: async \(/);
    expect(anti!.lines.at(-1)).toMatch(/^\s*},$/);
    expect(fixed!.charge!.inRun).toBe(true);
    // The fix is shown down to the line after its charge, and says it goes on.
    expect(fixed!.startLine + fixed!.lines.length - 1).toBe(fixed!.charge!.line + 1);
    expect([anti!.truncated, fixed!.truncated]).toEqual([false, true]);
    expect(fixed!.lines[fixed!.charge!.line - fixed!.startLine]).toContain("gateway.charge(");
    // The line numbers are the file's own.
    const file = readFileSync(join(TEMPLATE, "src", "anti-patterns.ts"), "utf8").split("\n");
    expect(file[anti!.charge!.line - 1]).toBe(antiLine);
    expect(scenarioCodeProblem(code)).toBeNull();
  });

  it("finds every scenario's handlers in the template, each block valid for the protocol", () => {
    for (const s of SCENARIOS) {
      const code = scenarioCode(TEMPLATE, s);
      expect(code.problem, s.id).toBeUndefined();
      expect(code.blocks.length, s.id).toBeGreaterThan(0);
      expect(scenarioCodeProblem(code), s.id).toBeNull();
    }
  });

  it("marks a charge in a ctx.run callback as journaled (duplicates-in-a-row, the counter)", () => {
    expect(scenarioCode(TEMPLATE, scenario("duplicates-in-a-row")).blocks[0]?.charge?.inRun).toBe(true);
    expect(scenarioCode(TEMPLATE, scenario("anti-pattern-counter")).blocks[0]?.charge?.inRun).toBe(true);
  });

  it("shows a learner's edit: a charge moved into ctx.run reads as journaled", () => {
    const dir = mkdtempSync(join(tmpdir(), "code-"));
    cpSync(join(TEMPLATE, "src"), join(dir, "src"), { recursive: true });
    const path = join(dir, "src", "anti-patterns.ts");
    const edited = readFileSync(path, "utf8").replace(
      "const charge = await gateway.charge({ paymentId: ctx.key, ...request }); // not journaled!",
      'const charge = await ctx.run("charge", () => gateway.charge({ paymentId: ctx.key, ...request }, `charge-${ctx.key}`));',
    );
    writeFileSync(path, edited);
    const [block] = scenarioCode(dir, scenario("anti-pattern-charge-outside-run")).blocks;
    expect(block?.charge?.inRun).toBe(true);
  });

  it("says what is missing and never follows a link", () => {
    const dir = mkdtempSync(join(tmpdir(), "code-"));
    expect(scenarioCode(dir, scenario("duplicates-in-a-row"))).toEqual({
      scenario: "duplicates-in-a-row",
      blocks: [],
      problem: "src/payment-service.ts is not in the lab workspace",
    });
    mkdirSync(join(dir, "src"));
    symlinkSync(join(TEMPLATE, "src", "payment-service.ts"), join(dir, "src", "payment-service.ts"));
    const linked = scenarioCode(dir, scenario("duplicates-in-a-row"));
    expect(linked.blocks).toEqual([]);
    expect(linked.problem).toMatch(/symbolic link/);
    const other = mkdtempSync(join(tmpdir(), "code-"));
    symlinkSync(join(TEMPLATE, "src"), join(other, "src"));
    expect(scenarioCode(other, scenario("duplicates-in-a-row")).problem).toMatch(/symbolic link/);
  });

  it("ends a handler where its brackets close, skipping brackets in strings and comments", () => {
    const source = [
      "const x = {",
      "  h: async (ctx: C) => {",
      '    const s = "}{ ) (";',
      "    // a comment with a ( bracket",
      '    await ctx.run("step", () => other());',
      "    const c = await charge(1);",
      "  },",
      "  next: async () => {},",
      "};",
    ].join("\n");
    const block = findHandler(source, { file: "src/x.ts", service: "Fees", handler: "h", role: "run" });
    expect(block?.startLine).toBe(2);
    expect(block?.lines).toHaveLength(6);
    expect(block?.charge).toEqual({ line: 6, inRun: false });
    expect(findHandler(source, { file: "src/x.ts", service: "Fees", handler: "missing", role: "run" })).toBeNull();
  });

  it("names the handlers each scenario sends to, and the fix only beside an anti-pattern", () => {
    expect(scenarioHandlers(scenario("duplicates-in-a-row")).map((r) => r.role)).toEqual(["run"]);
    expect(scenarioHandlers(scenario("anti-pattern-rely-on-gateway")).map((r) => `${r.service}.${r.handler}:${r.role}`)).toEqual([
      "PaymentAntiPatterns.relyOnGatewayIdempotency:run",
      "PaymentService.create:fixed",
    ]);
  });
});
