// The framed panels under the requests table (a request in full, the invocation inspector) and the
// facts list they show.
import "./detail-panel.css";
import { el } from "./dom.js";
import type { Child } from "./dom.js";

export function definitionList(items: [string, Child][]): HTMLElement {
  return el(
    "dl",
    { class: "facts" },
    items.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, [v])]),
  );
}
