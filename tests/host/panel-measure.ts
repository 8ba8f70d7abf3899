// What the outer host tests read and measure inside the lab panel's webview: elements' data
// attributes, whether an element is in view without scrolling, the focused element's ring and
// accessible name, and the contrast of text on its (composited) background, computed from the
// colours the theme gave the webview.
import type { Frame } from "playwright-core";

// The page's globals, as the functions evaluated in the webview see them: this project's type check
// has no DOM library, and these declarations stay inside this module.
declare const document: any;
declare const window: any;
declare function getComputedStyle(e: any): any;
type Element = any;
type HTMLElement = any;
type HTMLInputElement = any;

/** Scrolls the webview's page to `y`. */
export function scrollTo(frame: Frame, y: number): Promise<void> {
  return frame.evaluate((top) => window.scrollTo(0, top), y);
}

/** Each matching element's data attributes and its text. */
export function datasets(frame: Frame, selector: string): Promise<Array<Record<string, string | undefined> & { text: string }>> {
  return frame.locator(selector).evaluateAll((els: HTMLElement[]) =>
    els.map((e) => ({
      ...(e.dataset as Record<string, string | undefined>),
      text: (e.textContent ?? "").replace(/\s+/g, " ").trim(),
    })),
  );
}

/** Where an element is, against the webview's viewport (and the page's scroll position). */
export interface InView {
  found: boolean;
  inView: boolean;
  scrollY: number;
  rect: { top: number; bottom: number; left: number; right: number };
  viewport: { width: number; height: number };
}

export function inView(frame: Frame, selector: string): Promise<InView> {
  return frame.evaluate((sel) => {
    const e = document.querySelector(sel);
    const viewport = { width: window.innerWidth, height: window.innerHeight };
    if (!e) return { found: false, inView: false, scrollY: window.scrollY, rect: { top: 0, bottom: 0, left: 0, right: 0 }, viewport };
    const r = e.getBoundingClientRect();
    // Not covered by another element either (the action bar, a sticky header).
    const hit = document.elementFromPoint(Math.min(viewport.width - 1, r.left + Math.min(8, r.width / 2)), Math.min(viewport.height - 1, r.top + r.height / 2));
    const visible =
      r.width > 0 &&
      r.height > 0 &&
      r.top >= 0 &&
      r.left >= 0 &&
      r.bottom <= viewport.height &&
      r.right <= viewport.width &&
      hit !== null &&
      (e === hit || e.contains(hit) || hit.contains(e));
    return { found: true, inView: visible, scrollY: window.scrollY, rect: { top: r.top, bottom: r.bottom, left: r.left, right: r.right }, viewport };
  }, selector);
}

/** The focused element: a key to name it, whether a focus ring is drawn, and its accessible name (approximated). */
export function focused(frame: Frame): Promise<{ key: string; ring: boolean; name: string; testid: string; scenario: string; checked: string }> {
  return frame.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    if (!a || a === document.body) return { key: "body", ring: false, name: "", testid: "", scenario: "", checked: "" };
    const style = getComputedStyle(a);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || (style.boxShadow !== "none" && style.boxShadow !== "");
    const byIds = (ids: string | null) =>
      (ids ?? "")
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" ")
        .trim();
    const labels = (a as HTMLInputElement).labels;
    const name =
      a.getAttribute("aria-label") ||
      byIds(a.getAttribute("aria-labelledby")) ||
      (labels && labels.length > 0 ? labels[0]!.textContent : "") ||
      a.textContent ||
      a.getAttribute("title") ||
      "";
    const testid = a.dataset.testid ?? "";
    return {
      key: testid || `${a.tagName.toLowerCase()}${a.getAttribute("role") ? `[role=${a.getAttribute("role")}]` : ""}`,
      ring,
      name: name.replace(/\s+/g, " ").trim(),
      testid,
      scenario: a.dataset.scenario ?? "",
      checked: a.getAttribute("aria-checked") ?? "",
    };
  });
}

/** The lowest contrast ratio (WCAG) of the matching elements' text on their backgrounds, with what it was measured on. */
export function lowestContrast(frame: Frame, selector: string): Promise<{ count: number; lowest: number; where: string }> {
  return frame.evaluate((sel) => {
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA => {
      const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)$/.exec(c);
      if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
      const rgb = /^rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:[,/] ?([\d.]+))?\)$/.exec(c);
      if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
      throw new Error(`unreadable colour ${c}`);
    };
    const over = (top: RGBA, below: RGBA): RGBA => [0, 1, 2].map((i) => top[i]! * top[3] + below[i]! * (1 - top[3])).concat(1) as RGBA;
    const background = (e: Element): RGBA => {
      const layers: RGBA[] = [];
      for (let n: Element | null = e; n; n = n.parentElement) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      return layers.reverse().reduce((acc, layer) => over(layer, acc), [255, 255, 255, 1] as RGBA);
    };
    const luminance = (c: RGBA) => {
      const [r, g, b] = [c[0], c[1], c[2]].map((v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    let lowest = Infinity;
    let where = "";
    const els = [...document.querySelectorAll(sel)];
    for (const e of els) {
      const bg = background(e);
      const fg = over(parse(getComputedStyle(e).color), bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      const ratio = (l1! + 0.05) / (l2! + 0.05);
      if (ratio < lowest) {
        lowest = ratio;
        where = `"${(e.textContent ?? "").trim().slice(0, 30)}" ${getComputedStyle(e).color} on ${bg.map((v) => Math.round(v)).join(",")}`;
      }
    }
    return { count: els.length, lowest, where };
  }, selector);
}

/** A virtual table: whether it is wider than its box, whether it says so, and how its invocation ids show. */
export function tableState(
  frame: Frame,
  testid: string,
): Promise<{ found: boolean; overflows: boolean; hintShown: boolean; ids: Array<{ text: string; title: string; copy: string }> }> {
  return frame.evaluate((id) => {
    const scroller = document.querySelector(`[data-testid="${id}"]`);
    if (!scroller) return { found: false, overflows: false, hintShown: false, ids: [] };
    const hint = scroller.parentElement.querySelector('[data-testid="overflow-hint"]');
    const ids = [...scroller.querySelectorAll(".id-ref")].map((r: Element) => ({
      text: r.querySelector(".link-button")?.textContent ?? "",
      title: r.querySelector(".link-button")?.getAttribute("title") ?? "",
      copy: r.querySelector("[data-copy]")?.getAttribute("data-copy") ?? "",
    }));
    return { found: true, overflows: scroller.scrollWidth > scroller.clientWidth + 1, hintShown: hint !== null && !hint.hidden, ids };
  }, testid);
}
