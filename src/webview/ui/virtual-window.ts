// Which rows of a long table are in view: virtual-table.ts renders only those, between two spacers.

export interface VirtualWindow {
  /** First rendered row (inclusive) and last (exclusive). */
  start: number;
  end: number;
  padTop: number;
  padBottom: number;
}

export function virtualWindow(p: { scrollTop: number; viewportHeight: number; rowHeight: number; total: number; overscan?: number }): VirtualWindow {
  const overscan = p.overscan ?? 8;
  const total = Math.max(0, p.total);
  const maxScroll = Math.max(0, total * p.rowHeight - p.viewportHeight);
  const scrollTop = Math.min(Math.max(0, p.scrollTop), maxScroll);
  const start = Math.max(0, Math.floor(scrollTop / p.rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + p.viewportHeight) / p.rowHeight) + overscan);
  return { start, end: Math.max(start, end), padTop: start * p.rowHeight, padBottom: (total - Math.max(start, end)) * p.rowHeight };
}
