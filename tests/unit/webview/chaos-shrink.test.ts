// The panel's shrink of a chaos run: the state's transitions (the request, its progress counted in
// runs, Stop, the answer, a failure) and what the chaos result says of it (chaos-shrink-model.ts).
import { describe, expect, it } from "vitest";
import type { ShrinkSummary, ToWebview, WebviewRequest } from "../../../src/shared/protocol.js";
import { initialState, reduce, type PanelEvent, type PanelState } from "../../../src/webview/app/panel-state.js";
import { restoreState } from "../../../src/webview/app/persisted-state.js";
import { shrinkDisplay, shrinkingText, shrunkHeadline, shrunkNotes } from "../../../src/webview/chaos/chaos-shrink-model.js";
import { chaosRecord, chaosSettings } from "./chaos-fixtures.js";
import { readyLab } from "./fixtures.js";

const message = (m: ToWebview): PanelEvent => ({ type: "message", message: m });
const after = (s: PanelState, ...events: PanelEvent[]) => events.reduce(reduce, s);
const sent = (s: PanelState) => s.outbox.filter((m): m is WebviewRequest => "requestId" in m);
const anti = chaosRecord("c1", "anti");
const safe = chaosRecord("c2", "safe");

function shown(): PanelState {
  const init = message({ type: "init", scenarios: [], history: [], lab: readyLab, settings: { predictBeforeRun: true }, chaos: chaosSettings });
  return after(initialState(restoreState(undefined), "w"), init, { type: "openRun", runId: "c1" }, message({ type: "run", requestId: "w-1", run: anti }));
}

function summary(change: Partial<ShrinkSummary> = {}): ShrinkSummary {
  return {
    seed: anti.chaos.seed,
    target: anti.chaos.target,
    payments: 2,
    duplicates: anti.chaos.options.duplicates,
    durationS: anti.chaos.options.durationS,
    faults: [1, 4],
    invariants: ["charged exactly once"],
    runs: 5,
    budget: 8,
    cutShort: false,
    command: `idempotency-lab chaos /lab --seed ${anti.chaos.seed} --payments 2`,
    result: anti.chaos,
    ...change,
  };
}

describe("the shrink in the panel's state", () => {
  it("sends the shown run's id, runs as the panel's one run with progress in runs, and keeps the chaos result on screen", () => {
    const s = after(shown(), { type: "shrink", runId: "c1" });
    expect(sent(s).at(-1)).toEqual({ type: "shrink", requestId: "w-2", runId: "c1" });
    expect(s).toMatchObject({ running: "w-2", shrink: { runId: "c1", requestId: "w-2", summary: null } });
    expect(shrinkDisplay(anti, s)).toEqual({ state: "shrinking", progress: null });
    const progressed = after(s, message({ type: "progress", requestId: "w-2", done: 2, total: 8 }));
    expect(progressed.progress).toEqual({ done: 2, total: 8 });
    expect(shrinkingText(progressed.progress)).toBe("Shrinking: run 3 of at most 8…");
    expect(after(progressed, { type: "stop" }).outbox.at(-1)).toEqual({ type: "stop" });
    // A second one while it runs sends nothing.
    expect(sent(after({ ...progressed, outbox: [] }, { type: "shrink", runId: "c1" }))).toEqual([]);
  });

  it("its answer ends the run and is shown for that run only", () => {
    const s = after(shown(), { type: "shrink", runId: "c1" }, message({ type: "shrunk", requestId: "w-2", runId: "c1", shrink: summary() }));
    expect(s).toMatchObject({ running: null, progress: null });
    expect(shrinkDisplay(anti, s)).toEqual({ state: "done", summary: summary() });
    expect(shrinkDisplay({ ...anti, runId: "c9" }, s)).toEqual({ state: "offer", canStart: true });
    // A stale answer changes nothing.
    const stale = after(shown(), message({ type: "shrunk", requestId: "w-7", runId: "c1", shrink: summary() }));
    expect(stale.shrink).toBeNull();
  });

  it("a failure ends it and says why above the run", () => {
    const s = after(shown(), { type: "shrink", runId: "c1" }, message({ type: "failed", requestId: "w-2", message: "Run c1 broke no invariant" }));
    expect(s).toMatchObject({ running: null, shrink: null, notice: { title: "Could not find a smaller failing run", message: "Run c1 broke no invariant" } });
  });

  it("is offered only for a finished run that broke an invariant, and not while another run is in progress", () => {
    expect(shrinkDisplay(anti, { running: null, progress: null, shrink: null })).toEqual({ state: "offer", canStart: true });
    expect(shrinkDisplay(anti, { running: "w-9", progress: null, shrink: null })).toEqual({ state: "offer", canStart: false });
    expect(shrinkDisplay(safe, { running: null, progress: null, shrink: null })).toBeNull();
    expect(shrinkDisplay({ ...anti, chaos: { ...anti.chaos, stopped: true } }, { running: null, progress: null, shrink: null })).toBeNull();
  });
});

describe("what the shrink's card says", () => {
  it("names the smallest run and the runs tried", () => {
    expect(shrunkHeadline(summary())).toBe(`Smallest failing run: seed ${anti.chaos.seed}, 2 payments, faults #1, #4 (5 runs tried)`);
    expect(shrunkHeadline(summary({ payments: 1, faults: [], runs: 1 }))).toBe(
      `Smallest failing run: seed ${anti.chaos.seed}, 1 payment, no fault (1 run tried)`,
    );
  });

  it("says honestly when the budget cut the search short, when Stop did, and when nothing smaller failed", () => {
    expect(shrunkNotes(summary({ cutShort: true, runs: 8 }), anti).join(" ")).toMatch(
      /stopped at its budget of 8 runs.*a larger budget may find a smaller run/,
    );
    expect(shrunkNotes(summary({ cutShort: true, runs: 3 }), anti).join(" ")).toMatch(/was stopped after 3 runs.*a larger budget may find a smaller run/);
    expect(shrunkNotes(summary(), anti).join(" ")).not.toMatch(/larger budget/);
    const itself = summary({ payments: anti.chaos.options.payments, faults: anti.chaos.schedule.map((f) => f.index) });
    expect(shrunkNotes(itself, anti)[0]).toMatch(/No smaller run broke it/);
  });
});
