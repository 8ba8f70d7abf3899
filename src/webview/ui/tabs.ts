// A tab list with VS Code's keyboard behaviour: one tab stop, Left/Right/Home/End move between tabs
// and choose them, the chosen one marked aria-selected.
import { el } from "./dom.js";

export interface TabSpec {
  id: string;
  label: string;
  testid: string;
}

export interface TabList {
  element: HTMLElement;
  select(id: string): void;
}

/** `panel`: the element the tabs control (it needs an id), labelled by the chosen tab. */
export function tabList(label: string, specs: readonly TabSpec[], panel: HTMLElement, onSelect: (id: string) => void): TabList {
  const tabs = specs.map((s) =>
    el("button", {
      class: "tab",
      text: s.label,
      testid: s.testid,
      attrs: { type: "button", role: "tab", id: `tab-${s.id}`, "aria-selected": "false", "aria-controls": panel.id, tabindex: -1, "data-tab": s.id },
      on: { click: () => onSelect(s.id) },
    }),
  );
  const element = el("div", { class: "tabs", attrs: { role: "tablist", "aria-label": label } }, tabs);
  element.addEventListener("keydown", (e) => {
    const at = tabs.findIndex((t) => t === document.activeElement);
    if (at < 0) return;
    const to =
      e.key === "ArrowRight"
        ? (at + 1) % tabs.length
        : e.key === "ArrowLeft"
          ? (at - 1 + tabs.length) % tabs.length
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? tabs.length - 1
              : -1;
    if (to < 0) return;
    e.preventDefault();
    tabs[to]!.focus();
    onSelect(specs[to]!.id);
  });
  return {
    element,
    select(id) {
      for (const t of tabs) {
        const chosen = t.dataset.tab === id;
        t.setAttribute("aria-selected", String(chosen));
        t.tabIndex = chosen ? 0 : -1;
        if (chosen) panel.setAttribute("aria-labelledby", t.id);
      }
    },
  };
}
