// The panel's state transitions (src/webview/panel-state.ts): what each message of the extension and
// each action of the learner does to the panel, without a DOM.
import { describe, expect, it } from "vitest";
import type { LabStatus, RunSummary, ScenarioInfo, ToWebview } from "../../../src/shared/protocol.js";
import { initialState, persistedState, reduce, shownRecord, type PanelEvent, type PanelState } from "../../../src/webview/panel-state.js";
import { restoreState } from "../../../src/webview/persisted-state.js";
import { burst, record } from "./fixtures.js";

const scenarios: ScenarioInfo[] = [
  { id: "duplicates-in-a-row", title: "Duplicates in a row", lesson: "l", kind: "idempotent", defaults: { count: 5, concurrency: 1 }, conceptsSection: "keys", needsLocalService: false },
  { id: "concurrent-burst", title: "Concurrent burst", lesson: "l", kind: "idempotent", defaults: { count: 100, concurrency: 100 }, conceptsSection: "attach", needsLocalService: false },
];
const lab: LabStatus = { state: "ready", ingress: "http://127.0.0.1:8080", admin: "http://127.0.0.1:9070", gateway: "http://127.0.0.1:9081" };
const summary = (runId: string, finishedAt: string): RunSummary => ({ runId, scenario: "concurrent-burst", title: "Concurrent burst", verdict: "safe", requests: 3, charges: 1, finishedAt });
const history = [summary("old", "2026-01-01T10:00:00.000Z"), summary("older", "2026-01-01T09:00:00.000Z")];

const message = (m: ToWebview): PanelEvent => ({ type: "message", message: m });
const init = (over: Partial<Extract<ToWebview, { type: "init" }>> = {}) => message({ type: "init", scenarios, history, lab, ...over });

function after(state: PanelState, ...events: PanelEvent[]): PanelState {
  return events.reduce(reduce, state);
}

/** A fresh panel after the extension's init. */
function ready(raw: unknown = undefined): PanelState {
  return after(initialState(restoreState(raw)), init());
}

describe("panel state", () => {
  it("starts from the catalog's first scenario with its defaults once the extension answers", () => {
    const s = ready();
    expect(s).toMatchObject({ initialized: true, scenarioId: "duplicates-in-a-row", lab, running: false, currentRunId: null, view: "run" });
    expect(s.builder).toMatchObject({ count: "5", concurrency: "1" });
    expect(s.outbox).toEqual([]);
  });

  it("a run request sends the run and shows it running, clearing the last failure and notice", () => {
    const request = { scenario: "concurrent-burst", count: 100, concurrency: 100 };
    const before = { ...ready(), failure: { title: "The run failed", message: "x" }, notice: { title: "Could not export the run", message: "y" } };
    const s = after(before, { type: "run", request });
    expect(s.outbox).toEqual([{ type: "run", request }]);
    expect(s).toMatchObject({ running: true, progress: null, failure: null, notice: null });
  });

  it("does not run a request the protocol refuses (the channel drops it)", () => {
    const s = after(ready(), { type: "run", request: { scenario: "concurrent-burst", count: 0 } });
    expect(s.running).toBe(false);
  });

  it("shows the progress of the run", () => {
    const s = after(ready(), { type: "run", request: { scenario: "concurrent-burst" } }, message({ type: "progress", done: 40, total: 100 }));
    expect(s).toMatchObject({ running: true, progress: { done: 40, total: 100 } });
  });

  it("a run answer becomes the current run, and the history that follows it is sorted", () => {
    const run = record("new", burst(3));
    const s = after(
      ready(),
      { type: "run", request: { scenario: "concurrent-burst" } },
      message({ type: "run", run }),
      message({ type: "history", history: [...history, summary("new", "2026-01-01T11:00:00.000Z")] }),
    );
    expect(s).toMatchObject({ running: false, progress: null, currentRunId: "new", view: "run" });
    expect(shownRecord(s)).toBe(run);
    expect(s.history.map((h) => h.runId)).toEqual(["new", "old", "older"]);
  });

  it("a failed run shows its error in the builder and stops running", () => {
    const s = after(ready(), { type: "run", request: { scenario: "concurrent-burst" } }, message({ type: "runFailed", message: "The lab is not running", fix: "Start it", about: "run" }));
    expect(s).toMatchObject({ running: false, failure: { title: "The run failed", message: "The lab is not running", fix: "Start it" }, notice: null });
  });

  it("other failures show as a notice, titled by what failed", () => {
    const s = after(ready(), { type: "startLab" }, message({ type: "runFailed", message: "no workspace", about: "startLab" }));
    expect(s.outbox).toEqual([{ type: "startLab" }]);
    expect(s).toMatchObject({ failure: null, notice: { title: "Could not start the lab", message: "no workspace" } });
    expect(after(s, { type: "dismissNotice" }).notice).toBeNull();
  });

  it("opens a run of the history: busy until the answer, then shown; a run it cannot open is marked", () => {
    const opening = after(ready(), { type: "openRun", runId: "old" });
    expect(opening.outbox).toEqual([{ type: "openRun", runId: "old" }]);
    expect(opening).toMatchObject({ pendingOpen: "old", pendingOpenQuiet: false, currentRunId: null });
    const opened = after(opening, message({ type: "run", run: record("old", burst(2)) }));
    expect(opened).toMatchObject({ pendingOpen: null, currentRunId: "old" });
    const again = after({ ...opened, outbox: [] }, { type: "openRun", runId: "old" });
    expect(again.outbox).toEqual([]); // held: shown without asking
    const gone = after(opening, message({ type: "runFailed", message: "Run old is no longer in this workspace's history", about: "openRun" }));
    expect(gone).toMatchObject({ pendingOpen: null, unavailable: ["old"], notice: { title: "Could not open the run" } });
  });

  it("restores the persisted state: the builder and view as they were, the current run asked for quietly", () => {
    const raw = persistedState({ ...ready(), scenarioId: "concurrent-burst", builder: { ...ready().builder!, count: "7" }, currentRunId: "old", view: "compare", compareA: "older", compareB: "old" });
    const restored = initialState(restoreState(JSON.parse(JSON.stringify(raw))));
    expect(restored).toMatchObject({ initialized: false, scenarioId: "concurrent-burst", currentRunId: "old", view: "compare", compareA: "older", compareB: "old" });
    expect(restored.builder?.count).toBe("7");
    const s = after(restored, init());
    expect(s.builder?.count).toBe("7"); // the learner's values, not the scenario's defaults
    expect(s.outbox).toEqual([
      { type: "openRun", runId: "old" },
      { type: "openRun", runId: "older" },
    ]);
    expect(s).toMatchObject({ pendingOpen: "old", pendingOpenQuiet: true, compareFetches: ["older"] });
    const answered = after(s, message({ type: "run", run: record("old", burst(2)) }), message({ type: "run", run: record("older", burst(2)) }));
    expect(answered).toMatchObject({ currentRunId: "old", view: "compare", pendingOpen: null, compareFetches: [] });
    expect(answered.runs.has("older")).toBe(true);
  });

  it("a restored run that is gone is forgotten, quietly asked for only once", () => {
    const s = after(initialState(restoreState({ version: 1, currentRunId: "gone" })), init(), message({ type: "runFailed", message: "no longer in the history", about: "openRun" }));
    expect(s).toMatchObject({ currentRunId: null, unavailable: ["gone"] });
    expect(persistedState(s).currentRunId).toBeNull();
    expect(after({ ...s, outbox: [] }, init()).outbox).toEqual([]);
  });

  it("compares the run on screen with the latest other run, fetching what it does not hold", () => {
    const shown = after(ready(), { type: "openRun", runId: "older" }, message({ type: "run", run: record("older", burst(2)) }));
    const s = after({ ...shown, outbox: [] }, { type: "setView", view: "compare" });
    expect(s).toMatchObject({ view: "compare", compareA: "older", compareB: "old", compareFetches: ["old"] });
    expect(s.outbox).toEqual([{ type: "openRun", runId: "old" }]);
    const fetched = after(s, message({ type: "run", run: record("old", burst(2)) }));
    expect(fetched).toMatchObject({ view: "compare", currentRunId: "older", compareFetches: [] }); // a compare fetch does not replace the current run
  });

  it("inspects an invocation of the run on screen, and forgets the inspector when another run shows", () => {
    const shown = after(ready(), { type: "openRun", runId: "old" }, message({ type: "run", run: record("old", burst(2)) }));
    const s = after({ ...shown, outbox: [] }, { type: "inspect", invocationId: "inv_1" });
    expect(s.outbox).toEqual([{ type: "inspect", runId: "old", invocationId: "inv_1" }]);
    expect(s.journal).toEqual({ invocationId: "inv_1", entries: null });
    const entries = [{ index: 0, type: "Input", name: "", appendedAt: null }];
    const read = after(s, message({ type: "journal", runId: "old", invocationId: "inv_1", entries }));
    expect(read.journal).toEqual({ invocationId: "inv_1", entries });
    expect(after(s, message({ type: "runFailed", message: "no admin", about: "inspect" })).journal).toMatchObject({ error: "no admin" });
    expect(after(read, { type: "closeInspector" }).journal).toBeNull();
    expect(after(read, { type: "openRun", runId: "older" }, message({ type: "run", run: record("older", burst(1)) })).journal).toBeNull();
  });

  it("shows a run made elsewhere, and refreshes the run on screen in place", () => {
    const elsewhere = after(ready(), message({ type: "run", run: record("cli", burst(1)) }));
    expect(elsewhere).toMatchObject({ currentRunId: "cli", view: "run" });
    const newer = record("cli", burst(2));
    const refreshed = after(elsewhere, message({ type: "run", run: newer }));
    expect(shownRecord(refreshed)).toBe(newer);
  });
});
