// The scenario catalog in the sidebar: one button per scenario, and the custom request.
import "./sidebar-list.css";
import "./catalog.css";
import type { ScenarioInfo } from "../shared/protocol.js";
import { CUSTOM_SCENARIO_ID } from "./builder-model.js";
import { el } from "./dom.js";
import type { Child } from "./dom.js";

export function renderCatalog(scenarios: readonly ScenarioInfo[], selected: string, onSelect: (id: string) => void): HTMLElement {
  const item = (id: string, title: string, lesson: string, tags: Child[]) =>
    el("li", {}, [
      el(
        "button",
        {
          class: "scenario",
          testid: `scenario-${id}`,
          attrs: { type: "button", "aria-pressed": id === selected ? "true" : "false", "data-focus-key": `scenario-${id}` },
          on: { click: () => onSelect(id) },
        },
        [el("span", { class: "scenario-title" }, [el("span", { class: "scenario-name", text: title }), ...tags]), el("span", { class: "scenario-lesson", text: lesson, attrs: { title: lesson } })],
      ),
    ]);
  return el("ul", { class: "catalog", attrs: { "aria-label": "Scenarios" } }, [
    ...scenarios.map((s) =>
      item(s.id, s.title, s.lesson, [
        s.kind === "anti-pattern" ? el("span", { class: "tag tag-anti", text: "anti-pattern" }) : null,
        s.needsLocalService ? el("span", { class: "tag", text: "local only", attrs: { title: "Kills the lab's own service process: not possible against a remote Restate" } }) : null,
      ]),
    ),
    item(CUSTOM_SCENARIO_ID, "Custom request", "Your own payment id, key, body, timeout and faults against PaymentService.create.", [el("span", { class: "tag", text: "builder" })]),
  ]);
}
