// The panel's state transitions (src/webview/panel-state.ts): what each message of the extension and
// each action of the learner does to the panel, without a DOM.
import { describe, expect, it } from "vitest";
import { runSummaryProblem, type RunRecord, type WebviewRequest, type RunSummary, type ScenarioInfo, type ToWebview } from "../../../src/shared/protocol.js";
import { initialState, persistedState, reduce, shownRecord, sortHistory, type PanelEvent, type PanelState } from "../../../src/webview/app/panel-state.js";
import { restoreState } from "../../../src/webview/app/persisted-state.js";
import { burst, burstSummary, readyLab, record } from "./fixtures.js";
import { chargeOutsideRun } from "./lesson-fixtures.js";
import { chaosSettings } from "./chaos-fixtures.js";

const scenarios: ScenarioInfo[] = [
  {
    id: "duplicates-in-a-row",
    title: "Duplicates in a row",
    lesson: "l",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 5, concurrency: 1 },
    conceptsSection: "keys",
    needsLocalService: false,
  },
  {
    id: "concurrent-burst",
    title: "Concurrent burst",
    lesson: "l",
    kind: "idempotent",
    group: "basics",
    defaults: { count: 100, concurrency: 100 },
    conceptsSection: "attach",
    needsLocalService: false,
  },
];
const history = [burstSummary("old", "2026-01-01T10:00:00.000Z"), burstSummary("older", "2026-01-01T09:00:00.000Z")];
const burstRequest = { scenario: "concurrent-burst", count: 100, concurrency: 100 };

const message = (m: ToWebview): PanelEvent => ({ type: "message", message: m });
const init = (predictBeforeRun = true) => message({ type: "init", scenarios, history, lab: readyLab, settings: { predictBeforeRun }, chaos: chaosSettings });

function after(state: PanelState, ...events: PanelEvent[]): PanelState {
  return events.reduce(reduce, state);
}

/** A fresh panel after the extension's init. */
function ready(raw: unknown = undefined): PanelState {
  return after(initialState(restoreState(raw), "w"), init());
}

/** The requests a state sends, and an empty outbox (what main.ts does after each event). */
function sent(s: PanelState): [WebviewRequest[], PanelState] {
  return [s.outbox.filter((m): m is WebviewRequest => "requestId" in m), { ...s, outbox: [] }];
}

/** The one request of a type that a state sends. */
function request<T extends WebviewRequest["type"]>(s: PanelState, type: T): Extract<WebviewRequest, { type: T }> {
  const found = s.outbox.filter((m) => m.type === type);
  expect(found, `one ${type} request`).toHaveLength(1);
  return found[0] as Extract<WebviewRequest, { type: T }>;
}

describe("panel state", () => {
  it("starts from the catalog's first scenario with its defaults once the extension answers", () => {
    const s = ready();
    expect(s).toMatchObject({ initialized: true, scenarioId: "duplicates-in-a-row", lab: readyLab, running: null, currentRunId: null, view: "run" });
    expect(s.builder).toMatchObject({ count: "5", concurrency: "1" });
    expect(s.outbox).toEqual([]);
  });

  it("a run request sends the run with a new requestId and shows it running, clearing the last failure and notice", () => {
    const before = { ...ready(), failure: { title: "The run failed", message: "x" }, notice: { title: "Could not export the run", message: "y" } };
    const s = after(before, { type: "run", request: burstRequest });
    const run = request(s, "run");
    expect(run).toEqual({ type: "run", requestId: "w-1", request: burstRequest });
    expect(s).toMatchObject({ running: "w-1", progress: null, failure: null, notice: null });
    expect(request(after(s, { type: "startLab" }), "startLab").requestId).toBe("w-2");
  });

  it("a copy asks the extension to put the id on the clipboard; its failure shows in the notice", () => {
    const s = after(ready(), { type: "copy", text: "inv_1gdJBtdVEcM942bjcDmb1c1khoaJe11Hbz" });
    expect(request(s, "copy")).toEqual({ type: "copy", requestId: "w-1", text: "inv_1gdJBtdVEcM942bjcDmb1c1khoaJe11Hbz" });
    const failed = after(s, message({ type: "failed", requestId: "w-1", message: "no clipboard" }));
    expect(failed.notice).toEqual({ title: "Could not copy", message: "no clipboard" });
  });

  it("keeps each scenario's code as last sent, and a click on a line asks the extension to open the file; its failure shows in the notice", () => {
    const code = { scenario: "duplicates-in-a-row", blocks: [] };
    const newer = { ...code, problem: "src/payment-service.ts is not in the lab workspace" };
    const s = after(ready(), message({ type: "code", code }), message({ type: "code", code: newer }));
    expect(s.code).toEqual({ "duplicates-in-a-row": newer });
    const opened = after(s, { type: "openSource", file: "src/payment-service.ts", line: 33 });
    expect(request(opened, "openSource")).toEqual({ type: "openSource", requestId: "w-1", file: "src/payment-service.ts", line: 33 });
    const failed = after(opened, message({ type: "failed", requestId: "w-1", message: "gone" }));
    expect(failed.notice).toEqual({ title: "Could not open the source file", message: "gone" });
  });

  it("does not run a request the protocol refuses (the channel drops it)", () => {
    const s = after(ready(), { type: "run", request: { scenario: "concurrent-burst", count: 0 } });
    expect(s.running).toBeNull();
    expect(s.requests).toEqual([]);
  });

  it("shows the progress of the run, and only of that run", () => {
    const s = after(ready(), { type: "run", request: burstRequest });
    const progressed = after(s, message({ type: "progress", requestId: "w-1", done: 40, total: 100 }));
    expect(progressed).toMatchObject({ running: "w-1", progress: { done: 40, total: 100 } });
    expect(after(progressed, message({ type: "progress", requestId: "w-9", done: 1, total: 2 })).progress).toEqual({ done: 40, total: 100 });
  });

  it("a run answer becomes the current run, and the history that follows it is sorted", () => {
    const run = record("new", burst(3));
    const s = after(
      ready(),
      { type: "run", request: burstRequest },
      message({ type: "run", requestId: "w-1", run }),
      message({ type: "history", history: [...history, burstSummary("new", "2026-01-01T11:00:00.000Z")] }),
    );
    expect(s).toMatchObject({ running: null, progress: null, currentRunId: "new", view: "run", requests: [] });
    expect(shownRecord(s)).toBe(run);
    expect(s.history.map((h) => h.runId)).toEqual(["new", "old", "older"]);
  });

  it("sorts history most recent first; the extension drops malformed entries before (with the protocol's check)", () => {
    const h = sortHistory(
      [
        { runId: "a", scenario: "s", title: "A", verdict: "safe", requests: 1, charges: 1, finishedAt: "2026-01-01T10:00:00Z" },
        { runId: "b", scenario: "s", title: "B", verdict: "safe", requests: 1, charges: 1, finishedAt: "2026-01-01T12:00:00Z" },
        { runId: 3, title: "bad" },
        null,
      ].filter((entry): entry is RunSummary => runSummaryProblem(entry) === null),
    );
    expect(h.map((x) => x.runId)).toEqual(["b", "a"]);
    expect(sortHistory(h)).toEqual(h);
  });

  it("a refused answer fails its request, with the protocol's reason", () => {
    const opening = after(ready(), { type: "openRun", runId: "old" });
    const refused = after(opening, { type: "refused", requestId: "w-1", error: "run: its result has no ledger list" });
    expect(refused).toMatchObject({
      pendingOpen: null,
      unavailable: ["old"],
      notice: {
        title: "Could not open the run",
        // The extension sends a history file as it is: the webview's check names the file's problem, and what to do.
        message: "Run old in the lab's history cannot be shown: its result has no ledger list",
        fix: expect.stringMatching(/\.lab\/history .*run the scenario again/),
      },
    });
    // Any other refused answer says the extension's answer could not be read.
    const running = after(ready(), { type: "run", request: burstRequest });
    expect(after(running, { type: "refused", requestId: "w-1", error: "run: needs a runId" }).failure?.message).toBe(
      "the extension's answer could not be read (run: needs a runId)",
    );
  });

  it("a failure with the run's requestId shows in the builder and stops running; other requests are untouched", () => {
    const s = after(ready(), { type: "run", request: burstRequest }, { type: "startLab" });
    const failed = after(s, message({ type: "failed", requestId: "w-1", message: "The lab is not running", fix: "Start it" }));
    expect(failed).toMatchObject({ running: null, failure: { title: "The run failed", message: "The lab is not running", fix: "Start it" }, notice: null });
    expect(failed.requests.map((r) => r.requestId)).toEqual(["w-2"]);
  });

  it("a failure with another request's requestId is shown for that request only", () => {
    const s = after(ready(), { type: "run", request: burstRequest }, { type: "startLab" });
    const failed = after(s, message({ type: "failed", requestId: "w-2", message: "no workspace" }));
    expect(failed).toMatchObject({ running: "w-1", failure: null, notice: { title: "Could not start the lab", message: "no workspace" } });
    expect(after(failed, { type: "dismissNotice" }).notice).toBeNull();
  });

  it("ignores a stale failure: a requestId the panel does not wait for", () => {
    const s = after(ready(), { type: "run", request: burstRequest });
    expect(after(s, message({ type: "failed", requestId: "w-0", message: "old news" }))).toEqual(s);
    const answered = after(s, message({ type: "run", requestId: "w-1", run: record("new", burst(1)) }));
    expect(after(answered, message({ type: "failed", requestId: "w-1", message: "late" }))).toEqual(answered);
  });

  it("follows a run the extension started itself (a CodeLens): running from its first progress, its failure as a notice before that", () => {
    const started = after(ready(), message({ type: "runStarted", requestId: "ext-1" }));
    expect(started.running).toBeNull();
    const running = after(started, message({ type: "progress", requestId: "ext-1", done: 1, total: 5 }));
    expect(running).toMatchObject({ running: "ext-1", progress: { done: 1, total: 5 } });
    expect(after(running, message({ type: "failed", requestId: "ext-1", message: "crashed" }))).toMatchObject({
      running: null,
      failure: { message: "crashed" },
    });
    expect(after(started, message({ type: "failed", requestId: "ext-1", message: "Start the lab" }))).toMatchObject({
      running: null,
      failure: null,
      notice: { title: "The run failed" },
    });
    const done = after(running, message({ type: "run", requestId: "ext-1", run: record("lens", burst(5)) }));
    expect(done).toMatchObject({ running: null, currentRunId: "lens" });
  });

  it("shows a run made elsewhere (the Replay command), and refreshes the run on screen in place", () => {
    const elsewhere = after(ready(), message({ type: "run", requestId: "ext-1", run: record("cli", burst(1)) }));
    expect(elsewhere).toMatchObject({ currentRunId: "cli", view: "run" });
    const newer = record("cli", burst(2));
    expect(shownRecord(after(elsewhere, message({ type: "run", requestId: "ext-2", run: newer })))).toBe(newer);
  });

  it("opens a run of the history: busy until the answer, then shown; a run it cannot open is marked", () => {
    const opening = after(ready(), { type: "openRun", runId: "old" });
    expect(request(opening, "openRun")).toEqual({ type: "openRun", requestId: "w-1", runId: "old" });
    expect(opening).toMatchObject({ pendingOpen: "old", pendingOpenQuiet: false, currentRunId: null });
    const opened = after(opening, message({ type: "run", requestId: "w-1", run: record("old", burst(2)) }));
    expect(opened).toMatchObject({ pendingOpen: null, currentRunId: "old" });
    const [again] = sent(after({ ...opened, outbox: [] }, { type: "openRun", runId: "old" }));
    expect(again).toEqual([]); // held: shown without asking
    const gone = after(opening, message({ type: "failed", requestId: "w-1", message: "Run old is no longer in this workspace's history" }));
    expect(gone).toMatchObject({ pendingOpen: null, unavailable: ["old"], notice: { title: "Could not open the run" } });
  });

  it("keeps only the last run the learner opened, and knows which open failed", () => {
    const both = after(ready(), { type: "openRun", runId: "old" }, { type: "openRun", runId: "older" });
    const first = after(both, message({ type: "run", requestId: "w-1", run: record("old", burst(1)) }));
    expect(first).toMatchObject({ currentRunId: null, pendingOpen: "older" });
    expect(first.runs.has("old")).toBe(true);
    const firstFailed = after(both, message({ type: "failed", requestId: "w-1", message: "gone" }));
    expect(firstFailed).toMatchObject({ pendingOpen: "older", unavailable: ["old"], notice: null });
  });

  it("restores the persisted state: the builder and view as they were, the current run asked for quietly", () => {
    const raw = persistedState({
      ...ready(),
      scenarioId: "concurrent-burst",
      builder: { ...ready().builder!, count: "7" },
      currentRunId: "old",
      view: "compare",
      compareA: "older",
      compareB: "old",
    });
    const restored = initialState(restoreState(JSON.parse(JSON.stringify(raw))), "w");
    expect(restored).toMatchObject({
      initialized: false,
      scenarioId: "concurrent-burst",
      currentRunId: "old",
      view: "compare",
      compareA: "older",
      compareB: "old",
    });
    expect(restored.builder?.count).toBe("7");
    const s = after(restored, init());
    expect(s.builder?.count).toBe("7"); // the learner's values, not the scenario's defaults
    expect(s.outbox).toEqual([
      { type: "openRun", requestId: "w-1", runId: "old" },
      { type: "openRun", requestId: "w-2", runId: "older" },
    ]);
    expect(s).toMatchObject({ pendingOpen: "old", pendingOpenQuiet: true });
    const answered = after(
      s,
      message({ type: "run", requestId: "w-1", run: record("old", burst(2)) }),
      message({ type: "run", requestId: "w-2", run: record("older", burst(2)) }),
    );
    expect(answered).toMatchObject({ currentRunId: "old", view: "compare", pendingOpen: null, requests: [] });
    expect(answered.runs.has("older")).toBe(true);
  });

  it("a run the extension shows (Open Panel on a replay notification) while the rebuilt webview still restores its old run stays on screen", () => {
    // The hidden panel's webview is rebuilt: its restore asks for the old run, and the new run comes right after init.
    const s = after(initialState(restoreState({ version: 1, currentRunId: "old" }), "w"), init());
    expect(s).toMatchObject({ pendingOpen: "old", pendingOpenQuiet: true });
    const shown = after(s, message({ type: "run", requestId: "ext-1", run: record("new", burst(3)) }));
    expect(shown).toMatchObject({ currentRunId: "new", view: "run", pendingOpen: null });
    // The restore's answer comes last: kept, not shown.
    const answered = after(shown, message({ type: "run", requestId: "w-1", run: record("old", burst(2)) }));
    expect(answered).toMatchObject({ currentRunId: "new", pendingOpen: null, requests: [] });
    expect(answered.runs.has("old")).toBe(true);
  });

  it("a restored run that is gone is forgotten, quietly asked for only once", () => {
    const s = after(
      initialState(restoreState({ version: 1, currentRunId: "gone" }), "w"),
      init(),
      message({ type: "failed", requestId: "w-1", message: "no longer in the history" }),
    );
    expect(s).toMatchObject({ currentRunId: null, unavailable: ["gone"] });
    expect(persistedState(s).currentRunId).toBeNull();
    expect(after({ ...s, outbox: [] }, init()).outbox).toEqual([]);
  });

  it("compares the run on screen with the latest other run, fetching what it does not hold", () => {
    const shown = after(ready(), { type: "openRun", runId: "older" }, message({ type: "run", requestId: "w-1", run: record("older", burst(2)) }));
    const s = after({ ...shown, outbox: [] }, { type: "setView", view: "compare" });
    expect(s).toMatchObject({ view: "compare", compareA: "older", compareB: "old" });
    expect(s.outbox).toEqual([{ type: "openRun", requestId: "w-2", runId: "old" }]);
    const fetched = after(s, message({ type: "run", requestId: "w-2", run: record("old", burst(2)) }));
    expect(fetched).toMatchObject({ view: "compare", currentRunId: "older", requests: [] }); // a compare fetch does not replace the current run
    const failed = after(s, message({ type: "failed", requestId: "w-2", message: "gone" }));
    expect(failed).toMatchObject({ unavailable: ["old"], notice: { title: "Could not open a run to compare" } });
    expect(after({ ...failed, outbox: [] }, { type: "pickCompare", a: "older", b: "old" }).outbox).toEqual([]); // not asked again
  });

  it("inspects an invocation of the run on screen, and forgets the inspector when another run shows", () => {
    const shown = after(ready(), { type: "openRun", runId: "old" }, message({ type: "run", requestId: "w-1", run: record("old", burst(2)) }));
    const s = after({ ...shown, outbox: [] }, { type: "inspect", invocationId: "inv_1" });
    expect(s.outbox).toEqual([{ type: "inspect", requestId: "w-2", runId: "old", invocationId: "inv_1" }]);
    expect(s.journal).toEqual({ requestId: "w-2", invocationId: "inv_1", entries: null });
    const entries = [{ index: 0, type: "Input", name: "", appendedAt: null }];
    const read = after(s, message({ type: "journal", requestId: "w-2", runId: "old", invocationId: "inv_1", entries }));
    expect(read.journal).toEqual({ requestId: "w-2", invocationId: "inv_1", entries });
    expect(after(s, message({ type: "failed", requestId: "w-2", message: "no admin" })).journal).toMatchObject({ error: "no admin" });
    expect(after(read, { type: "closeInspector" }).journal).toBeNull();
    expect(after(read, { type: "openRun", runId: "older" }, message({ type: "run", requestId: "w-3", run: record("older", burst(1)) })).journal).toBeNull();
    // A second inspect replaces the first: the first one's journal and failure no longer show.
    const second = after(s, { type: "inspect", invocationId: "inv_2" });
    expect(after(second, message({ type: "journal", requestId: "w-2", runId: "old", invocationId: "inv_1", entries })).journal).toMatchObject({
      invocationId: "inv_2",
      entries: null,
    });
    expect(after(second, message({ type: "failed", requestId: "w-2", message: "late" }))).toMatchObject({
      journal: { invocationId: "inv_2", entries: null },
      notice: null,
    });
  });

  it("takes the panel's settings from init and from a settings message", () => {
    expect(ready().settings).toEqual({ predictBeforeRun: true });
    const off = after(initialState(restoreState(undefined), "w"), init(false));
    expect(off.settings).toEqual({ predictBeforeRun: false });
    expect(after(off, message({ type: "settings", settings: { predictBeforeRun: true } })).settings).toEqual({ predictBeforeRun: true });
  });

  it("sends the learner's prediction with the run, then asks anew for the next one", () => {
    const predicted = after(ready(), { type: "editPrediction", draft: { invocations: "1", charges: " 2 ", answer: "executed" } });
    const s = after(predicted, { type: "run", request: { scenario: "anti-pattern-charge-outside-run" } });
    expect(request(s, "run")).toEqual({
      type: "run",
      requestId: "w-1",
      request: { scenario: "anti-pattern-charge-outside-run" },
      prediction: { invocations: 1, charges: 2, answer: "executed" },
    });
    expect(s).toMatchObject({ running: "w-1", prediction: { invocations: "", charges: "", answer: "" } });
    // A partial prediction goes as it is; none at all, no prediction field.
    const partial = after(ready(), { type: "editPrediction", draft: { invocations: "", charges: "1", answer: "" } }, { type: "run", request: burstRequest });
    expect(request(partial, "run").prediction).toEqual({ charges: 1 });
    expect(request(after(ready(), { type: "run", request: burstRequest }), "run")).not.toHaveProperty("prediction");
  });

  it("does not send a prediction when the setting is off, and keeps the run from going with a malformed one", () => {
    const off = after(
      initialState(restoreState(undefined), "w"),
      init(false),
      { type: "editPrediction", draft: { invocations: "1", charges: "", answer: "" } },
      { type: "run", request: burstRequest },
    );
    expect(request(off, "run")).not.toHaveProperty("prediction");
    const bad = after(ready(), { type: "editPrediction", draft: { invocations: "one", charges: "", answer: "" } }, { type: "run", request: burstRequest });
    expect(bad.outbox).toEqual([]);
    expect(bad).toMatchObject({
      running: null,
      failure: { title: "The prediction is not complete", message: expect.stringMatching(/number of invocations must be a whole number/) },
    });
  });

  it("shows a scored run's prediction with the record the extension sends back", () => {
    const run = {
      ...chargeOutsideRun(),
      prediction: { charges: 1 },
      score: { parts: [{ part: "charges" as const, predicted: 1, observed: 2, correct: false }], correct: 0, of: 1 },
    };
    const s = after(
      ready(),
      { type: "editPrediction", draft: { invocations: "", charges: "1", answer: "" } },
      { type: "run", request: { scenario: "anti-pattern-charge-outside-run" } },
      message({ type: "run", requestId: "w-1", run }),
    );
    expect((shownRecord(s) as RunRecord | undefined)?.score).toMatchObject({ correct: 0, of: 1 });
  });
});
