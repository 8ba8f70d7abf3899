// Long ids (Restate's invocation ids) as the panel shows them: shortened, the whole id on hover and
// in the accessible name, with a copy button beside. The copy goes through the extension (panel-view.ts
// delegates the clicks on [data-copy]), which puts it on VS Code's clipboard.
import "./id-ref.css";
import { button, el, svg } from "./dom.js";
import { shortId } from "./format.js";

/** A copy button for `text`; `what` names it ("invocation id inv_…"). */
export function copyButton(text: string, what: string, focusKey: string): HTMLButtonElement {
  const b = button("", () => {}, {
    class: "icon-button copy-button",
    attrs: { "data-copy": text, "aria-label": `Copy ${what}`, title: `Copy ${what}`, "data-focus-key": focusKey },
  });
  b.append(
    svg("svg", { viewBox: "0 0 16 16", "aria-hidden": "true", focusable: "false" }, [
      svg("rect", { x: 5.5, y: 5.5, width: 8, height: 8, rx: 1 }),
      svg("path", { d: "M3.5 10.5h-1v-8h8v1" }),
    ]),
  );
  return b;
}

/** An invocation id as a link that opens the inspector, and its copy button. */
export function invocationRef(id: string, focusKey: string, inspect: (invocationId: string) => void): HTMLElement {
  return el("span", { class: "id-ref" }, [
    button(shortId(id), () => inspect(id), {
      class: "link-button mono",
      attrs: { title: `${id}: inspect its sys_invocation row and journal`, "aria-label": `Inspect invocation ${id}`, "data-focus-key": focusKey },
    }),
    copyButton(id, `invocation id ${id}`, `${focusKey}-copy`),
  ]);
}
