// A virtualized table: a scroll container of fixed height with fixed-height rows, rendering only
// the rows in view (plus a margin) between two spacers. A 10,000-row table keeps a few dozen rows
// in the DOM. Built from divs with ARIA table roles, so every row is exactly ROW_HEIGHT tall.
import "./virtual-table.css";
import { el, replaceChildren } from "./dom.js";
import { overflowHint, watchOverflow } from "./overflow.js";
import type { Child } from "./dom.js";
import { virtualWindow } from "./virtual-window.js";
import type { VirtualWindow } from "./virtual-window.js";

/** Must match --row-height in base.css. */
export const ROW_HEIGHT = 24;
const OVERSCAN = 8;

export interface Column<T> {
  label: string;
  /** A class for the column's cells, e.g. for right alignment. */
  class?: string;
  render: (row: T, position: number) => Child;
}

export interface VirtualTableOptions<T> {
  columns: Column<T>[];
  rows: readonly T[];
  /** The grid-template-columns class of the table (e.g. cols-requests in requests.css). */
  layout: string;
  label: string;
  testid?: string;
  /** Visible rows before scrolling; the viewport shrinks for shorter tables. */
  visibleRows?: number;
  /** Marks a row (e.g. the selected one) with a class. */
  rowClass?: (row: T) => string | null;
  emptyText?: string;
}

export class VirtualTable<T> {
  readonly element: HTMLElement;
  private readonly scroller: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly topSpacer: HTMLDivElement;
  private readonly bottomSpacer: HTMLDivElement;
  private readonly viewportRows: number;
  private rows: readonly T[];
  private window: VirtualWindow | null = null;
  private frame = 0;

  constructor(private readonly options: VirtualTableOptions<T>) {
    this.rows = options.rows;
    this.viewportRows = options.visibleRows ?? 15;
    const header = el(
      "div",
      { class: `vrow vhead ${options.layout}`, attrs: { role: "row", "aria-rowindex": 1 } },
      options.columns.map((c) => el("div", { class: `vcell ${c.class ?? ""}`, text: c.label, attrs: { role: "columnheader", title: c.label } })),
    );
    this.topSpacer = el("div", { class: "vspacer", attrs: { "aria-hidden": "true" } });
    this.bottomSpacer = el("div", { class: "vspacer", attrs: { "aria-hidden": "true" } });
    this.body = el("div", { class: "vbody", attrs: { role: "rowgroup" } });
    this.scroller = el(
      "div",
      {
        class: "vscroll",
        testid: options.testid,
        attrs: { role: "table", "aria-label": options.label, tabindex: 0 },
        on: { scroll: () => this.schedule() },
      },
      [el("div", { attrs: { role: "rowgroup" } }, [header]), this.topSpacer, this.body, this.bottomSpacer],
    );
    const hint = overflowHint();
    watchOverflow(this.scroller, hint);
    this.element = el("div", { class: "vtable" }, [this.scroller, hint]);
    this.sizeViewport();
    this.render(true);
  }

  setRows(rows: readonly T[]): void {
    this.rows = rows;
    this.sizeViewport();
    this.render(true);
  }

  /** Re-renders the rows in view (e.g. after the selection changed). */
  refresh(): void {
    this.render(true);
  }

  scrollToRow(position: number): void {
    const top = position * ROW_HEIGHT;
    const viewport = this.viewportHeight();
    if (top < this.scroller.scrollTop || top + ROW_HEIGHT > this.scroller.scrollTop + viewport) {
      this.scroller.scrollTop = Math.max(0, top - viewport / 2);
    }
    this.render(true);
  }

  /** Rows currently in the DOM (for measurements and tests). */
  get renderedRows(): number {
    return this.body.childElementCount;
  }

  private sizeViewport(): void {
    // The scroller's height: the header plus up to viewportRows rows (CSS sets no height of its own).
    const visible = Math.max(1, Math.min(this.viewportRows, this.rows.length));
    this.scroller.style.height = `${ROW_HEIGHT * (visible + 1) + 2}px`;
    this.scroller.setAttribute("aria-rowcount", String(this.rows.length + 1));
  }

  private viewportHeight(): number {
    const h = this.scroller.clientHeight;
    return (h > 0 ? h : ROW_HEIGHT * (this.viewportRows + 1)) - ROW_HEIGHT;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(false);
    });
  }

  private render(force: boolean): void {
    const w = virtualWindow({
      scrollTop: this.scroller.scrollTop,
      viewportHeight: this.viewportHeight(),
      rowHeight: ROW_HEIGHT,
      total: this.rows.length,
      overscan: OVERSCAN,
    });
    if (!force && this.window && w.start === this.window.start && w.end === this.window.end) return;
    this.window = w;
    this.topSpacer.style.height = `${w.padTop}px`;
    this.bottomSpacer.style.height = `${w.padBottom}px`;
    const rows: HTMLElement[] = [];
    for (let i = w.start; i < w.end; i++) {
      const row = this.rows[i]!;
      const extra = this.options.rowClass?.(row) ?? "";
      rows.push(
        el(
          "div",
          { class: `vrow ${this.options.layout} ${extra}`.trim(), attrs: { role: "row", "aria-rowindex": i + 2 } },
          this.options.columns.map((c) => {
            const content = c.render(row, i);
            // Text a narrow column cuts with an ellipsis is whole on hover.
            return el("div", { class: `vcell ${c.class ?? ""}`.trim(), attrs: { role: "cell", title: typeof content === "string" ? content : undefined } }, [
              content,
            ]);
          }),
        ),
      );
    }
    if (rows.length === 0) rows.push(el("div", { class: "vempty", text: this.options.emptyText ?? "Nothing to show." }));
    replaceChildren(this.body, rows);
  }
}
