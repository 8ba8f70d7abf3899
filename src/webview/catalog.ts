// The scenario catalog in the sidebar: one button per scenario, and the custom request. A scenario
// that needs the lab's own processes (its service, its restate-server) says so, and why.
import "./sidebar-list.css";
import "./catalog.css";
import type { ScenarioInfo } from "../shared/protocol.js";
import { CUSTOM_SCENARIO_ID } from "./builder-model.js";
import { el } from "./dom.js";
import type { Child } from "./dom.js";

export function renderCatalog(scenarios: readonly ScenarioInfo[], selected: string, onSelect: (id: string) => void): HTMLElement {
  const item = (id: string, title: string, lesson: string, tags: Child[], needs: string[] = []) =>
    el("li", {}, [
      el(
        "button",
        {
          class: "scenario",
          testid: `scenario-${id}`,
          attrs: { type: "button", "aria-pressed": id === selected ? "true" : "false", "data-focus-key": `scenario-${id}` },
          on: { click: () => onSelect(id) },
        },
        [
          el("span", { class: "scenario-title" }, [el("span", { class: "scenario-name", text: title }), ...tags]),
          el("span", { class: "scenario-lesson", text: lesson, attrs: { title: lesson } }),
          ...needs.map((n) => el("span", { class: "scenario-needs", text: n, testid: `needs-${id}` })),
        ],
      ),
    ]);
  return el("ul", { class: "catalog", attrs: { "aria-label": "Scenarios" } }, [
    ...scenarios.map((s) =>
      item(s.id, s.title, s.lesson, [
        s.kind === "anti-pattern" ? el("span", { class: "tag tag-anti", text: "anti-pattern" }) : null,
        s.needsLocalService ? el("span", { class: "tag tag-needs", text: "lab's service", attrs: { "aria-hidden": "true" } }) : null,
        s.needsLabRestate !== undefined ? el("span", { class: "tag tag-needs", text: "lab's Restate", attrs: { "aria-hidden": "true" } }) : null,
      ], needsOf(s)),
    ),
    item(CUSTOM_SCENARIO_ID, "Custom request", "Your own payment id, key, body, timeout and faults against PaymentService.create.", [el("span", { class: "tag", text: "builder" })]),
  ]);
}

/** What a scenario needs of the lab's own processes, in sentences (shown whole for the chosen one). */
function needsOf(s: ScenarioInfo): string[] {
  return [
    s.needsLocalService ? "Needs the lab's own service process: the run kills it mid-handler, which a Restate elsewhere cannot do." : null,
    s.needsLabRestate !== undefined ? `${s.needsLabRestate.charAt(0).toUpperCase()}${s.needsLabRestate.slice(1)}.` : null,
  ].filter((n) => n !== null);
}
