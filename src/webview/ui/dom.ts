// Small DOM helpers. Everything is built with createElement and textContent: no innerHTML, no
// style attributes (the panel's Content-Security-Policy allows neither inline styles nor scripts).

export type Child = Node | string | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;

export interface ElOptions {
  class?: string;
  text?: string;
  testid?: string;
  attrs?: Record<string, AttrValue>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

function setAttrs(node: Element, attrs: Record<string, AttrValue>): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "style" || name.startsWith("on")) throw new Error(`refusing attribute ${name}: the CSP forbids inline styles and handlers`);
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
}

function append(node: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElOptions = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.testid) node.dataset.testid = options.testid;
  if (options.attrs) setAttrs(node, options.attrs);
  if (options.text !== undefined) node.textContent = options.text;
  if (options.on) {
    for (const [type, handler] of Object.entries(options.on)) node.addEventListener(type, handler as EventListener);
  }
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, AttrValue> = {},
  children: readonly Child[] = [],
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

export function button(text: string, onClick: () => void, options: ElOptions = {}): HTMLButtonElement {
  const b = el("button", { ...options, attrs: { type: "button", ...options.attrs }, text });
  b.addEventListener("click", onClick);
  return b;
}

/** Replaces a container's children, keeping the focus on the element with the same focus key. */
export function replaceChildren(container: Element, children: readonly Child[]): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? focusKey(active) : null;
  container.replaceChildren();
  append(container, children);
  if (key) {
    const again = container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"], [data-testid="${CSS.escape(key)}"], [id="${CSS.escape(key)}"]`);
    again?.focus({ preventScroll: true });
  }
}

function focusKey(node: HTMLElement): string | null {
  return node.dataset.focusKey ?? node.dataset.testid ?? (node.id || null);
}

let idCounter = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++idCounter}`;
}

/**
 * The host of a chart drawn to its width (an SVG has no layout of its own): drawn when it is first
 * laid out, and again when its width changes by 4 px or more, not on every sub-pixel resize.
 */
export class ChartHost {
  readonly host: HTMLElement;
  private readonly observer = new ResizeObserver(() => this.redraw());
  private width = 0;

  constructor(
    hostClass: string,
    private readonly draw: (width: number) => Element,
  ) {
    this.host = el("div", { class: hostClass });
    this.observer.observe(this.host);
  }

  dispose(): void {
    this.observer.disconnect();
  }

  private redraw(): void {
    const width = Math.floor(this.host.clientWidth);
    if (width <= 0 || Math.abs(width - this.width) < 4) return;
    this.width = width;
    this.host.replaceChildren(this.draw(width));
  }
}

/** A section with a heading (h2) and an optional set of buttons beside it. */
export function section(
  title: string,
  options: { testid?: string; class?: string; actions?: Child[]; headingId?: string } = {},
  children: readonly Child[] = [],
): HTMLElement {
  const headingId = options.headingId ?? uid("h");
  return el("section", { class: `section ${options.class ?? ""}`.trim(), testid: options.testid, attrs: { "aria-labelledby": headingId } }, [
    el("div", { class: "section-head" }, [
      el("h2", { text: title, attrs: { id: headingId } }),
      options.actions ? el("div", { class: "section-actions" }, options.actions) : null,
    ]),
    ...children,
  ]);
}
