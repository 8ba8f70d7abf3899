// The timeline's model (src/webview/timeline-model.ts): rows, buckets, ledger markers, ticks, geometry.
import { describe, expect, it } from "vitest";
import { buildTimeline, dominantKind, ledgerMarkers, niceTicks, timelineGeometry } from "../../../src/webview/run/timeline-model.js";
import { burst, record } from "./fixtures.js";

describe("timeline", () => {
  it("draws one row per request up to 200 requests", () => {
    const t = buildTimeline(record("r", burst(150)).result);
    expect(t.aggregated).toBe(false);
    expect(t.rows).toHaveLength(150);
    expect(t.rows[0]).toMatchObject({ first: 0, last: 0, kind: "executed", startMs: 0, endMs: 500 });
  });

  it("aggregates 10,000 requests into at most 100 rows covering every request once", () => {
    const details = burst(10_000);
    const t = buildTimeline(record("r", details).result);
    expect(t.aggregated).toBe(true);
    expect(t.rows.length).toBeLessThanOrEqual(100);
    expect(t.bucketSize).toBe(100);
    const total = t.rows.reduce((n, r) => n + Object.values(r.counts).reduce((a, b) => a + (b ?? 0), 0), 0);
    expect(total).toBe(10_000);
    expect(t.rows[0]).toMatchObject({ first: 0, last: 99, kind: "attached" });
    expect(t.rows[0]!.counts).toEqual({ executed: 1, attached: 99 });
    expect(t.rows[0]!.title).toContain("1 executed, 99 attached");
    expect(t.rows.at(-1)).toMatchObject({ first: 9_900, last: 9_999, kind: "replayed" });
    // A bar runs from the earliest send to the latest answer of its bucket.
    const bucket = details.slice(100, 200);
    expect(t.rows[1]!.startMs).toBe(Math.min(...bucket.map((d) => d.sentAtMs)));
    expect(t.rows[1]!.endMs).toBe(Math.max(...bucket.map((d) => d.sentAtMs + d.latencyMs)));
    expect(t.counts).toMatchObject({ executed: 1, attached: 4_999, replayed: 5_000 });
    expect(t.ariaLabel).toMatch(
      /^Timeline of 10,000 requests over .*in 100 groups of 100: 1 executed, 4,999 attached, 5,000 replayed\. Ledger: 1 charge, 0 refunds/,
    );
  });

  it("aggregates just above the threshold into fewer than 100 rows", () => {
    const t = buildTimeline(record("r", burst(201)).result);
    expect(t.aggregated).toBe(true);
    expect(t.rows.length).toBeLessThanOrEqual(100);
    expect(t.rows.reduce((n, r) => n + (r.last - r.first + 1), 0)).toBe(201);
  });

  it("puts the payment's ledger entries at their time since the run's start, and only that payment's", () => {
    const r = record("r", burst(3)).result;
    expect(ledgerMarkers(r)).toEqual([{ id: "ch_000002", type: "charge", atMs: 250, label: "charge ch_000002" }]);
    const late = buildTimeline({ ...r, ledger: [{ ...r.ledger[0]!, at: "2026-01-01T10:00:01.500Z" }] });
    expect(late.domainMs).toBe(1500); // the domain reaches the marker
  });

  it("picks the dominant kind, ties to the first in ANSWER_KINDS", () => {
    expect(dominantKind({ attached: 3, replayed: 5 })).toBe("replayed");
    expect(dominantKind({ failed: 2, executed: 2 })).toBe("executed");
  });

  it("makes round ticks and a geometry that keeps bars inside the plot", () => {
    expect(niceTicks(578)).toEqual([0, 200, 400]);
    expect(niceTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0)).toEqual([0]);
    const t = buildTimeline(record("r", burst(10_000)).result);
    const g = timelineGeometry(t, 800);
    expect(g.x(0)).toBe(g.plotLeft);
    expect(g.x(t.domainMs)).toBeCloseTo(g.plotRight);
    expect(g.x(t.domainMs * 10)).toBeCloseTo(g.plotRight);
    expect(g.height).toBeLessThan(420);
  });
});
