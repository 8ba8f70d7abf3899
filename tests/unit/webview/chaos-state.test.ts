// The chaos run's transitions of the panel's state (panel-state.ts with chaos-state.ts): the form,
// the run and its progress, Stop, the record's arrival, a payment's history opened, a failure, the
// history's chaos runs kept out of Compare.
import { describe, expect, it } from "vitest";
import type { RunSummary, ToWebview, WebviewRequest } from "../../../src/shared/protocol.js";
import { comparable, initialState, persistedState, reduce, shownRecord, type PanelEvent, type PanelState } from "../../../src/webview/app/panel-state.js";
import { restoreState } from "../../../src/webview/app/persisted-state.js";
import { chaosRecord, chaosSettings, chaosSummary } from "./chaos-fixtures.js";
import { burst, burstSummary, readyLab, record } from "./fixtures.js";

const message = (m: ToWebview): PanelEvent => ({ type: "message", message: m });
const request = { seed: 7, payments: 6, duplicates: 3, durationS: 10, target: "PaymentService" };

function ready(raw: unknown = undefined, history: RunSummary[] = []): PanelState {
  return [message({ type: "init", scenarios: [], history, lab: readyLab, settings: { predictBeforeRun: true }, chaos: chaosSettings })].reduce(
    reduce,
    initialState(restoreState(raw), "w"),
  );
}
const after = (s: PanelState, ...events: PanelEvent[]) => events.reduce(reduce, s);
const sent = (s: PanelState) => s.outbox.filter((m): m is WebviewRequest => "requestId" in m);

describe("the chaos run in the panel's state", () => {
  it("fills the form from the engine's defaults once the extension says them, with an empty seed (a new one)", () => {
    expect(ready().chaosValues).toEqual({ seed: "", payments: "20", duplicates: "4", durationS: "20", target: "PaymentService" });
  });

  it("keeps the form across a reload, and a restored target the engine no longer offers falls back to the first", () => {
    const edited = after(
      ready(),
      { type: "selectScenario", scenarioId: "chaos" },
      { type: "editChaos", values: { seed: "7", payments: "6", duplicates: "3", durationS: "10", target: "PaymentAntiPatterns/chargeOutsideRun" } },
    );
    const again = ready(JSON.parse(JSON.stringify(persistedState(edited))));
    expect(again).toMatchObject({ scenarioId: "chaos", chaosValues: { seed: "7", target: "PaymentAntiPatterns/chargeOutsideRun" } });
    const gone = ready({ ...persistedState(edited), chaos: { ...edited.chaosValues, target: "PaymentAntiPatterns/removed" } });
    expect(gone.chaosValues?.target).toBe("PaymentService");
  });

  it("a chaos run sends the request with a new requestId and shows it running; its progress and Stop go as a run's do", () => {
    const s = after({ ...ready(), failure: { title: "The run failed", message: "x" } }, { type: "runChaos", request });
    expect(sent(s)).toEqual([{ type: "chaos", requestId: "w-1", request }]);
    expect(s).toMatchObject({ running: "w-1", progress: null, failure: null });
    const progressed = after({ ...s, outbox: [] }, message({ type: "progress", requestId: "w-1", done: 5, total: 18 }));
    expect(progressed.progress).toEqual({ done: 5, total: 18 });
    expect(after(progressed, { type: "stop" }).outbox).toEqual([{ type: "stop" }]);
  });

  it("the record that answers it becomes the current run; a payment's history opens and closes, and a new run on screen starts closed", () => {
    const run = chaosRecord("c1", "anti");
    const shown = after(ready(), { type: "runChaos", request }, message({ type: "run", requestId: "w-1", run }));
    expect(shown).toMatchObject({ running: null, progress: null, currentRunId: "c1", view: "run", openPayment: null });
    expect(shownRecord(shown)).toBe(run);
    const paymentId = run.chaos.violations[0]!.paymentId;
    const opened = after(shown, { type: "openPayment", paymentId });
    expect(opened.openPayment).toBe(paymentId);
    expect(after(opened, { type: "openPayment", paymentId: null }).openPayment).toBeNull();
    const other = after(opened, { type: "runChaos", request }, message({ type: "run", requestId: "w-2", run: chaosRecord("c2") }));
    expect(other).toMatchObject({ currentRunId: "c2", openPayment: null });
  });

  it("a refused request (the engine's limits) shows in the form's error box under the chaos run's title", () => {
    const s = after(
      ready(),
      { type: "runChaos", request: { ...request, payments: 600 } },
      message({ type: "failed", requestId: "w-1", message: "payments must be a whole number from 1 to 500, got 600" }),
    );
    expect(s).toMatchObject({ running: null, failure: { title: "The chaos run failed", message: expect.stringMatching(/from 1 to 500/) } });
  });

  it("does not send a chaos request the protocol refuses", () => {
    const s = after(ready(), { type: "runChaos", request: { ...request, target: "no such/target/x" } });
    expect(s.running).toBeNull();
    expect(s.requests).toEqual([]);
  });

  it("reopens a chaos run from the history; Compare offers only scenario runs", () => {
    const history = [chaosSummary("c1", "2026-01-01T11:00:00.000Z"), burstSummary("a"), burstSummary("b")];
    const s = ready(undefined, history);
    const opening = after(s, { type: "openRun", runId: "c1" });
    expect(sent(opening)).toEqual([{ type: "openRun", requestId: "w-1", runId: "c1" }]);
    const opened = after(opening, message({ type: "run", requestId: "w-1", run: chaosRecord("c1") }));
    expect(opened.currentRunId).toBe("c1");
    expect(comparable(history).map((h) => h.runId)).toEqual(["a", "b"]);
    const compare = after({ ...opened, outbox: [] }, { type: "setView", view: "compare" });
    expect([compare.compareA, compare.compareB].sort()).toEqual(["a", "b"]);
    expect(after(compare, message({ type: "run", requestId: "w-2", run: record("a", burst(1)) })).view).toBe("compare");
  });
});
