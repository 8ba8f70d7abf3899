// A chaos run's one path in the engine: the form's ranges are checkChaosOptions's own (one
// constant of minimums, one of limits), and its Markdown export reads the run's figures.
import { describe, expect, it } from "vitest";
import { checkChaosOptions, CHAOS_TARGETS } from "../../src/lab/chaos/chaos.js";
import { chaosMarkdown } from "../../src/lab/chaos/markdown.js";
import { CHAOS_DEFAULTS } from "../../src/lab/chaos/plan.js";
import { describeChaos } from "../../src/lab/chaos/report.js";
import { stepText, violationChains } from "../../src/shared/chaos-chain.js";
import { chaosSettings, exportChaos } from "../../src/lab/chaos/record.js";
import { chaosRecord } from "./webview/chaos-fixtures.js";

describe("the chaos form's settings", () => {
  it("are the engine's: each range's ends are what checkChaosOptions takes, one past them it refuses", () => {
    const s = chaosSettings();
    expect(s.targets).toEqual([...CHAOS_TARGETS]);
    for (const k of ["payments", "duplicates", "durationS"] as const) {
      expect(s[k].default).toBe(CHAOS_DEFAULTS[k]);
      expect(() => checkChaosOptions({ [k]: s[k].min })).not.toThrow();
      expect(() => checkChaosOptions({ [k]: s[k].max })).not.toThrow();
      expect(() => checkChaosOptions({ [k]: s[k].min - 1 })).toThrow();
      expect(() => checkChaosOptions({ [k]: s[k].max + 1 })).toThrow();
    }
  });
});

describe("a chaos run's exports", () => {
  it("Markdown: the plan, the verdict, the checker, every fault and payment, and each violation's history", () => {
    const r = chaosRecord("c1", "anti");
    const md = chaosMarkdown(r.chaos, r.evidence.ledger, r.evidence.attempts);
    expect(md).toMatch(/^# Chaos run against PaymentAntiPatterns\/chargeOutsideRun\n/);
    expect(md).toContain("Seed 7 (the same seed replays the same schedule and workload), 6 payments, 3 requests each, 10 s");
    expect(md).toContain("**Verdict: unsafe** (as an anti-pattern should be).");
    expect(md).toContain("| charged exactly once | FAIL | every payment that was answered is charged once in the ledger, and none twice | 2 |");
    expect(md.match(/^\| \d+ \| \d+\.\d\d s \| /gm)).toHaveLength(r.chaos.schedule.length);
    for (const p of r.chaos.payments) expect(md).toContain(`| ${p.paymentId} | ${p.requests.length} | ${p.charges} |`);
    const v = r.chaos.violations[0]!;
    expect(md).toContain(`## Violation: charged exactly once, payment ${v.paymentId}`);
    for (const e of v.history.ledger) expect(md).toContain(`- ledger: ${e.id} charge`);
    expect(exportChaos(r, "markdown")).toBe(md);
  });

  it("Markdown and the CLI's text tell each violating payment's causal chain, step by step", () => {
    const r = chaosRecord("c1", "anti");
    const md = chaosMarkdown(r.chaos, r.evidence.ledger, r.evidence.attempts);
    const text = describeChaos(r.chaos, r.evidence.ledger, r.evidence.attempts);
    for (const chain of violationChains(r.chaos, r.evidence.ledger, r.evidence.attempts)) {
      expect(md).toContain(`## Causal chain: payment ${chain.paymentId}`);
      expect(text).toContain(`  Causal chain, payment ${chain.paymentId} (charged exactly once):`);
      chain.steps.forEach((step, i) => {
        expect(md).toContain(`${i + 1}. ${i === 0 ? "" : "→ "}${stepText(step)}`);
        expect(text).toContain(`    ${i === 0 ? "  " : "→ "}${stepText(step)}`);
      });
    }
    expect(text).toContain("ch_000007 charged 25.00 EUR by attempt 1 of inv_17Xc…McnY");
    // A safe run has no chain to tell.
    expect(describeChaos(chaosRecord("c2").chaos)).not.toContain("Causal chain");
  });

  it("JSON: the result and the evidence, as kept", () => {
    const r = chaosRecord("c1");
    expect(JSON.parse(exportChaos(r, "json"))).toEqual({ chaos: r.chaos, evidence: r.evidence });
  });
});
