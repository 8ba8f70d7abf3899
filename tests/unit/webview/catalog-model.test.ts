// The scenario catalog's groups and done marks (src/webview/sidebar/catalog-model.ts).
import { describe, expect, it } from "vitest";
import { catalogGroups, ranScenarios } from "../../../src/webview/sidebar/catalog-model.js";
import { SCENARIOS, scenarioInfo } from "../../../src/lab/replay/scenarios.js";
import type { RunSummary, ScenarioInfo } from "../../../src/shared/protocol.js";

const info = (id: string, group: ScenarioInfo["group"]): ScenarioInfo => ({
  id,
  title: id,
  lesson: "l",
  kind: group === "anti-patterns" ? "anti-pattern" : "idempotent",
  group,
  defaults: { count: 1, concurrency: 1 },
  conceptsSection: "c",
  needsLocalService: false,
});
const ran = (scenario: string, verdict: RunSummary["verdict"] = "safe", kind?: "chaos"): RunSummary => ({
  runId: `r-${scenario}-${verdict}`,
  ...(kind ? { kind } : {}),
  scenario,
  title: scenario,
  verdict,
  requests: 1,
  charges: 1,
  finishedAt: "2026-01-01T10:00:00.000Z",
});
const ids = (g: ReturnType<typeof catalogGroups>[number]) => g.items.map((i) => (i.kind === "scenario" ? i.scenario.id : i.id));

describe("the scenario catalog's groups", () => {
  it("lists the lab's scenarios under the five headings in order, the custom request with the basics and the chaos run as the final exam", () => {
    const groups = catalogGroups(SCENARIOS.map(scenarioInfo), [], true);
    expect(groups.map((g) => g.heading)).toEqual(["Basics", "Failures", "Anti-patterns", "Keys and retention", "Final exam"]);
    expect(groups.flatMap(ids).sort()).toEqual([...SCENARIOS.map((s) => s.id), "custom", "chaos"].sort());
    expect(ids(groups[0]!).at(-1)).toBe("custom");
    expect(ids(groups[4]!)).toEqual(["chaos"]);
    expect(ids(groups[2]!).every((id) => id.startsWith("anti-pattern-"))).toBe(true);
  });

  it("keeps the order the extension sent within a group, and leaves out the final exam when the chaos run is not offered", () => {
    const groups = catalogGroups([info("b", "failures"), info("a", "basics"), info("c", "failures")], [], false);
    expect(groups.map((g) => g.group)).toEqual(["basics", "failures"]);
    expect(groups.map(ids)).toEqual([
      ["a", "custom"],
      ["b", "c"],
    ]);
  });

  it("does not mark done a scenario whose only run was stopped or cut short", () => {
    const stopped = { ...ran("a", "unexpected"), ended: "stopped" as const };
    const cut = { ...ran("b", "unexpected"), ended: "cut short" as const };
    expect([...ranScenarios([stopped, cut, ran("c")])]).toEqual(["c"]);
  });

  it("marks done the scenarios the history holds a finished run of, the chaos run by its kind, and not a skipped run", () => {
    expect([...ranScenarios([ran("a"), ran("b", "skipped"), ran("whatever", "unsafe", "chaos"), ran("custom", "unexpected")])].sort()).toEqual([
      "a",
      "chaos",
      "custom",
    ]);
    const groups = catalogGroups([info("a", "basics"), info("b", "failures")], [ran("a"), ran("b", "skipped"), ran("x", "safe", "chaos")], true);
    const done = groups.flatMap((g) => g.items.map((i) => [i.kind === "scenario" ? i.scenario.id : i.id, i.done]));
    expect(done).toEqual([
      ["a", true],
      ["custom", false],
      ["b", false],
      ["chaos", true],
    ]);
  });
});
