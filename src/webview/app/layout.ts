// The panel's shell: the sidebar (lab, scenarios, history) and the main column (the "Next run" card
// with the chosen scenario's run parameters, prediction, Run and Stop; the view tabs, notice, current
// run or comparison), with an empty host for each part that panel-view.ts fills. Its sheet, layout.css, is one of the shared ones main.ts imports first.
import { button, el } from "../ui/dom.js";
import type { MainView } from "./persisted-state.js";
import { tabList } from "../ui/tabs.js";

export interface PanelHosts {
  lab: HTMLElement;
  /** The collapsible scenario list; its summary names the chosen scenario. */
  catalogSection: HTMLDetailsElement;
  catalogChoice: HTMLElement;
  catalog: HTMLElement;
  /** The "Next run" card's title: the chosen scenario's. */
  nextRunTitle: HTMLElement;
  builder: HTMLElement;
  /** Run, Stop, the progress and the run's error: in the "Next run" card, at the top of the main column. */
  actions: HTMLElement;
  history: HTMLElement;
  /** Marks the chosen view's tab. */
  selectView: (view: MainView) => void;
  notice: HTMLElement;
  main: HTMLElement;
}

export function mountLayout(setView: (view: MainView) => void): PanelHosts {
  const catalogChoice = el("span", { class: "catalog-choice", testid: "catalog-choice" });
  const catalog = el("div", { class: "catalog-host" });
  const catalogSection = el("details", { class: "section catalog-section", testid: "catalog-section", attrs: { open: true } }, [
    el("summary", { class: "section-head catalog-summary", testid: "catalog-toggle" }, [
      el("h2", { text: "Scenarios", attrs: { id: "scenarios-heading" } }),
      catalogChoice,
    ]),
    catalog,
  ]);
  const main = el("div", { class: "main-host", attrs: { role: "tabpanel", id: "main-view" } });
  const tabs = tabList(
    "View",
    [
      { id: "run", label: "Current run", testid: "view-run" },
      { id: "compare", label: "Compare", testid: "view-compare" },
    ],
    main,
    (id) => setView(id as MainView),
  );
  const hosts: PanelHosts = {
    lab: el("div", { class: "lab-host" }),
    catalogSection,
    catalogChoice,
    catalog,
    nextRunTitle: el("span", { class: "next-run-title", testid: "next-run-title" }),
    builder: el("div", { class: "builder-host" }),
    actions: el("div", { class: "action-bar", testid: "action-bar", attrs: { role: "region", "aria-label": "Run the scenario" } }),
    history: el("div", { class: "history-host" }),
    selectView: (view) => tabs.select(view),
    main,
    notice: el("div", { class: "notice-host" }),
  };
  const app = document.getElementById("app") ?? document.body.appendChild(el("div", { attrs: { id: "app" } }));
  app.classList.add("app");
  app.replaceChildren(
    el("aside", { class: "sidebar", attrs: { "aria-label": "Lab controls" } }, [
      // The part that scrolls: a long scenario list never pushes the history out of view.
      el("div", { class: "sidebar-scroll" }, [el("section", { class: "section", attrs: { "aria-label": "Lab" } }, [hosts.lab]), catalogSection]),
      el("section", { class: "section history-section", attrs: { "aria-labelledby": "history-heading" } }, [
        el("div", { class: "section-head" }, [
          el("h2", { text: "History", attrs: { id: "history-heading" } }),
          el("div", { class: "section-actions" }, [button("Compare runs", () => setView("compare"), { class: "secondary small", testid: "compare-open" })]),
        ]),
        hosts.history,
      ]),
    ]),
    el("main", { class: "main", attrs: { "aria-label": "Results" } }, [
      // What Run will run, with its parameters and the prediction: in view before Run, without scrolling.
      el("section", { class: "next-run", testid: "next-run", attrs: { "aria-labelledby": "next-run-heading" } }, [
        el("div", { class: "next-run-head" }, [el("h2", { text: "Next run", attrs: { id: "next-run-heading" } }), hosts.nextRunTitle]),
        el("div", { class: "next-run-body" }, [hosts.builder, hosts.actions]),
      ]),
      tabs.element,
      hosts.notice,
      hosts.main,
    ]),
  );
  return hosts;
}
