// The panel's state across reloads (src/webview/persisted-state.ts).
import { describe, expect, it } from "vitest";
import { defaultBuilderValues } from "../../../src/webview/builder/builder-model.js";
import { restoreState } from "../../../src/webview/app/persisted-state.js";

describe("persisted state", () => {
  it("restores only well-formed persisted state", () => {
    expect(restoreState(undefined)).toMatchObject({ scenarioId: null, builder: null, currentRunId: null, view: "run" });
    expect(restoreState({ version: 2, scenarioId: "x" }).scenarioId).toBeNull();
    const s = restoreState({
      version: 1,
      scenarioId: "custom",
      currentRunId: "r1",
      compareA: "r1",
      compareB: 7,
      view: "compare",
      builder: { count: "12", keyMode: "bogus", body: 5, crashAfterJournal: true },
    });
    expect(s).toMatchObject({ scenarioId: "custom", currentRunId: "r1", compareA: "r1", compareB: null, view: "compare" });
    expect(s.builder).toMatchObject({ count: "12", keyMode: "generate", crashAfterJournal: true, gatewayTimeoutAfterCharge: false });
    expect(s.builder!.body).toBe(defaultBuilderValues().body);
  });
});
