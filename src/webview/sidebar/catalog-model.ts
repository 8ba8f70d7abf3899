// What the scenario catalog lists: the scenarios under their group's heading, in the groups' order
// (SCENARIO_GROUPS), the custom request with the basics and the chaos run as the final exam; and which
// of them the learner already ran, as the history says.
import { CHAOS_SCENARIO_ID, CUSTOM_SCENARIO, SCENARIO_GROUPS } from "../../shared/protocol.js";
import type { RunSummary, ScenarioGroup, ScenarioInfo } from "../../shared/protocol.js";

export const GROUP_HEADINGS: Readonly<Record<ScenarioGroup, string>> = {
  basics: "Basics",
  failures: "Failures",
  "anti-patterns": "Anti-patterns",
  "keys-and-retention": "Keys and retention",
  "final-exam": "Final exam",
};

/** One item of the catalog: a scenario of the lab, the custom request or the chaos run. */
export type CatalogItem =
  { kind: "scenario"; scenario: ScenarioInfo; done: boolean } | { kind: "custom"; id: string; done: boolean } | { kind: "chaos"; id: string; done: boolean };

export interface CatalogGroup {
  group: ScenarioGroup;
  heading: string;
  items: CatalogItem[];
}

/** The ids of the scenarios the history holds a finished run of (a skipped or stopped run does not count). */
export function ranScenarios(history: readonly RunSummary[]): Set<string> {
  return new Set(history.filter((h) => h.verdict !== "skipped" && h.ended === undefined).map((h) => (h.kind === "chaos" ? CHAOS_SCENARIO_ID : h.scenario)));
}

/** The catalog's groups, each with its items in the order the extension sent them; a group with none is left out. `chaos`: the chaos run is offered. */
export function catalogGroups(scenarios: readonly ScenarioInfo[], history: readonly RunSummary[], chaos: boolean): CatalogGroup[] {
  const ran = ranScenarios(history);
  return SCENARIO_GROUPS.map((group) => {
    const items: CatalogItem[] = scenarios.filter((s) => s.group === group).map((s) => ({ kind: "scenario", scenario: s, done: ran.has(s.id) }));
    if (group === "basics") items.push({ kind: "custom", id: CUSTOM_SCENARIO.id, done: ran.has(CUSTOM_SCENARIO.id) });
    if (group === "final-exam" && chaos) items.push({ kind: "chaos", id: CHAOS_SCENARIO_ID, done: ran.has(CHAOS_SCENARIO_ID) });
    return { group, heading: GROUP_HEADINGS[group], items };
  }).filter((g) => g.items.length > 0);
}
