// The scenario catalog in the sidebar: one radio per scenario, the custom request and the chaos run, in a radio
// group (one tab stop; the arrow keys, Home and End choose), under the headings of their groups
// (catalog-model.ts), each marked done once the learner ran it. A scenario that needs the lab's own
// processes (its service, its restate-server) says so, and why.
import "./sidebar-list.css";
import "./catalog.css";
import type { RunSummary, ScenarioInfo } from "../../shared/protocol.js";
import { el } from "../ui/dom.js";
import type { Child } from "../ui/dom.js";
import { catalogGroups } from "./catalog-model.js";
import type { CatalogItem } from "./catalog-model.js";

/** `chaos`: the extension offers the chaos run (it said what the engine takes); `history` marks the scenarios already run. */
export function renderCatalog(
  scenarios: readonly ScenarioInfo[],
  selected: string,
  onSelect: (id: string) => void,
  chaos = false,
  history: readonly RunSummary[] = [],
): HTMLElement {
  const item = (id: string, title: string, lesson: string, done: boolean, tags: Child[], needs: string[] = []) =>
    el("li", { attrs: { role: "none" } }, [
      el(
        "button",
        {
          class: "scenario",
          testid: `scenario-${id}`,
          attrs: {
            type: "button",
            role: "radio",
            "aria-checked": id === selected ? "true" : "false",
            tabindex: id === selected ? 0 : -1,
            "data-focus-key": `scenario-${id}`,
            "data-scenario": id,
          },
          on: { click: () => onSelect(id) },
        },
        [
          el("span", { class: "scenario-title" }, [
            el("span", { class: "scenario-name", text: title }),
            done ? el("span", { class: "scenario-done", text: "✓", testid: `done-${id}`, attrs: { role: "img", "aria-label": "already run" } }) : null,
            ...tags,
          ]),
          el("span", { class: "scenario-lesson", text: lesson, attrs: { title: lesson } }),
          ...needs.map((n) => el("span", { class: "scenario-needs", text: n, testid: `needs-${id}` })),
        ],
      ),
    ]);
  const entry = (c: CatalogItem) => {
    if (c.kind === "custom")
      return item(c.id, "Custom request", "Your own payment id, key, body, timeout and faults against PaymentService.create.", c.done, [
        el("span", { class: "tag", text: "builder" }),
      ]);
    if (c.kind === "chaos")
      return item(c.id, "Chaos run", "The final exam: many payments and duplicates under seeded random faults, judged by a checker from the ledger.", c.done, [
        el("span", { class: "tag", text: "final exam" }),
      ]);
    const s = c.scenario;
    return item(
      s.id,
      s.title,
      s.lesson,
      c.done,
      [
        s.kind === "anti-pattern" ? el("span", { class: "tag tag-anti", text: "anti-pattern" }) : null,
        s.needsLocalService ? el("span", { class: "tag tag-needs", text: "lab's service", attrs: { "aria-hidden": "true" } }) : null,
        s.needsLabRestate !== undefined ? el("span", { class: "tag tag-needs", text: "lab's Restate", attrs: { "aria-hidden": "true" } }) : null,
      ],
      needsOf(s),
    );
  };
  // One radio group for the whole catalog (the arrows go from group to group); each group is a list under its heading.
  const list = el(
    "div",
    { class: "catalog", attrs: { role: "radiogroup", "aria-labelledby": "scenarios-heading" } },
    catalogGroups(scenarios, history, chaos).map((g) => {
      const headingId = `catalog-group-${g.group}`;
      return el("div", { class: "catalog-group", testid: `catalog-group-${g.group}` }, [
        el("h3", { class: "catalog-group-heading", text: g.heading, attrs: { id: headingId } }),
        el("ul", { class: "catalog-list", attrs: { role: "none" } }, g.items.map(entry)),
      ]);
    }),
  );
  list.addEventListener("keydown", (e) => {
    const radios = [...list.querySelectorAll<HTMLElement>('[role="radio"]')];
    const at = radios.findIndex((r) => r === document.activeElement);
    if (at < 0) return;
    const step = e.key === "ArrowDown" || e.key === "ArrowRight" ? 1 : e.key === "ArrowUp" || e.key === "ArrowLeft" ? -1 : 0;
    const to = step !== 0 ? (at + step + radios.length) % radios.length : e.key === "Home" ? 0 : e.key === "End" ? radios.length - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    radios[to]!.focus();
    // A radio group chooses what has the focus; the redraw keeps the focus on it (data-focus-key).
    onSelect(radios[to]!.dataset.scenario!);
  });
  return list;
}

/** What a scenario needs of the lab's own processes, in sentences (shown whole for the chosen one). */
function needsOf(s: ScenarioInfo): string[] {
  return [
    s.needsLocalService ? "Needs the lab's own service process: the run kills it mid-handler, which a Restate elsewhere cannot do." : null,
    s.needsLabRestate !== undefined ? `${s.needsLabRestate.charAt(0).toUpperCase()}${s.needsLabRestate.slice(1)}.` : null,
  ].filter((n) => n !== null);
}
