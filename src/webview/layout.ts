// The panel's shell: the sidebar (lab, scenarios, builder, history) and the main column (view tabs,
// notice, current run or comparison), with an empty host for each part that panel-view.ts fills.
// Its sheet, layout.css, is one of the shared ones main.ts imports first.
import { button, el } from "./dom.js";
import type { MainView } from "./persisted-state.js";

export interface PanelHosts {
  lab: HTMLElement;
  catalog: HTMLElement;
  builder: HTMLElement;
  history: HTMLElement;
  viewRun: HTMLButtonElement;
  viewCompare: HTMLButtonElement;
  notice: HTMLElement;
  main: HTMLElement;
}

export function mountLayout(setView: (view: MainView) => void): PanelHosts {
  const hosts: PanelHosts = {
    lab: el("div", { class: "lab-host" }),
    catalog: el("div", { class: "catalog-host" }),
    builder: el("div", { class: "builder-host" }),
    history: el("div", { class: "history-host" }),
    viewRun: button("Current run", () => setView("run"), { class: "tab", testid: "view-run" }),
    viewCompare: button("Compare", () => setView("compare"), { class: "tab", testid: "view-compare" }),
    main: el("div", { class: "main-host" }),
    notice: el("div", { class: "notice-host" }),
  };
  const app = document.getElementById("app") ?? document.body.appendChild(el("div", { attrs: { id: "app" } }));
  app.classList.add("app");
  app.replaceChildren(
    el("aside", { class: "sidebar", attrs: { "aria-label": "Lab controls" } }, [
      el("section", { class: "section", attrs: { "aria-label": "Lab" } }, [hosts.lab]),
      el("section", { class: "section", attrs: { "aria-labelledby": "scenarios-heading" } }, [
        el("div", { class: "section-head" }, [el("h2", { text: "Scenarios", attrs: { id: "scenarios-heading" } })]),
        hosts.catalog,
      ]),
      hosts.builder,
      el("section", { class: "section", attrs: { "aria-labelledby": "history-heading" } }, [
        el("div", { class: "section-head" }, [
          el("h2", { text: "History", attrs: { id: "history-heading" } }),
          el("div", { class: "section-actions" }, [button("Compare runs", () => setView("compare"), { class: "secondary small", testid: "compare-open" })]),
        ]),
        hosts.history,
      ]),
    ]),
    el("main", { class: "main", attrs: { "aria-label": "Results" } }, [
      el("nav", { class: "tabs", attrs: { "aria-label": "View" } }, [hosts.viewRun, hosts.viewCompare]),
      hosts.notice,
      hosts.main,
    ]),
  );
  return hosts;
}
