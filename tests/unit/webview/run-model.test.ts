// The run view's summary, verdict and answer counts (src/webview/run-model.ts).
import { describe, expect, it } from "vitest";
import { ANSWER_KINDS, STOPPED_BY_LEARNER } from "../../../src/shared/protocol.js";
import { answerCounts, summaryCards, verdictView } from "../../../src/webview/run/run-model.js";
import { burst, record } from "./fixtures.js";

describe("summary and verdict", () => {
  it("shows the counts as cards, the charges in red when there are more than payments", () => {
    const cards = summaryCards(record("r", burst(10_000), { requests: 10_000, charges: 2 }).result);
    expect(cards.find((c) => c.testid === "summary-requests")).toMatchObject({ value: "10,000", raw: 10_000 });
    expect(cards.map((c) => c.testid)).toEqual([
      "summary-requests",
      "summary-responses",
      "summary-invocations",
      "summary-attempts",
      "summary-charges",
      "summary-refunds",
      "summary-duration",
    ]);
    expect(cards.find((c) => c.testid === "summary-charges")).toMatchObject({ value: "2", tone: "bad" });
    expect(summaryCards(record("r", burst(2)).result).find((c) => c.testid === "summary-charges")?.tone).toBe("good");
  });

  it("compares the verdict with the expected one", () => {
    expect(verdictView({ verdict: "safe", expectedVerdict: "safe", kind: "idempotent" })).toMatchObject({ word: "safe", asExpected: true });
    expect(verdictView({ verdict: "unsafe", expectedVerdict: "unsafe", kind: "anti-pattern" }).comparison).toMatch(/anti-pattern showed its flaw/);
    expect(verdictView({ verdict: "unexpected", expectedVerdict: "safe", kind: "idempotent" })).toMatchObject({ word: "unexpected", asExpected: false });
    expect(verdictView({ verdict: "skipped", expectedVerdict: "safe", kind: "idempotent" }).comparison).toMatch(/^Skipped/);
  });

  it("counts answers for every kind", () => {
    const counts = answerCounts(burst(10));
    expect(Object.keys(counts)).toEqual([...ANSWER_KINDS]);
    expect(counts).toMatchObject({ executed: 1, attached: 4, replayed: 5, failed: 0 });
  });
});

describe("a run stopped before its end", () => {
  const stopped = (reason: string) =>
    verdictView({ verdict: "unexpected", expectedVerdict: "safe", kind: "idempotent", incomplete: { reason, planned: 10_000, sent: 4_567, answered: 4_560 } });

  it("says how far it got, with thousands separators, and gives no pass or fail", () => {
    const v = stopped(STOPPED_BY_LEARNER);
    expect(v.word).toBe("stopped");
    expect(v.asExpected).toBe(false);
    expect(v.comparison).toMatch(/^Stopped before the end \(4,567 of 10,000 requests sent, 4,560 answered\)\. No verdict/);
    expect(v.comparison).not.toMatch(/safe|unsafe|expects/);
  });

  it("names why when the lab, not the learner, ended it", () => {
    expect(stopped("the lab stopped during the run").comparison).toMatch(/answered\): the lab stopped during the run\. No verdict/);
  });
});
