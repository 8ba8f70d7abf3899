// Tables wider than the panel say so: a scroller gets a line under it while its content is wider
// than its box (the columns past the edge are a scroll away, not silently cut off), and a plain
// table's wrapper becomes a named, focusable region, so the arrow keys scroll it too.
import "./overflow.css";
import { el } from "./dom.js";

const HINT = "Wider than the panel: scroll sideways for more columns (Shift+wheel, or the arrow keys once the table has the focus).";

/** Shows `hint` while `scroller` overflows sideways. */
export function watchOverflow(scroller: HTMLElement, hint: HTMLElement): void {
  const check = () => {
    const overflows = scroller.scrollWidth > scroller.clientWidth + 1;
    hint.hidden = !overflows;
    scroller.classList.toggle("overflows", overflows);
  };
  new ResizeObserver(check).observe(scroller);
}

/** The line under a table that overflows; hidden until it does. */
export function overflowHint(): HTMLElement {
  return el("p", { class: "overflow-hint", text: HINT, testid: "overflow-hint", attrs: { hidden: true } });
}

/** A plain table in a scrolling wrapper, with the hint. */
export function scrollingTable(label: string, table: HTMLElement): HTMLElement {
  const wrap = el("div", { class: "table-wrap", attrs: { role: "region", "aria-label": label, tabindex: 0 } }, [table]);
  const hint = overflowHint();
  watchOverflow(wrap, hint);
  return el("div", { class: "table-box" }, [wrap, hint]);
}
