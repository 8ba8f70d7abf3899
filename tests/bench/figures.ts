// The bench's figures: one row each (value, baseline, ratio, target), the statistics they are
// made of, and the table they are printed as.

type Cmp = "<=" | ">=";
export interface Row {
  section: string;
  name: string;
  value: number | null;
  unit: string;
  baseline?: { name: string; value: number | null };
  ratio?: number | null;
  /** "over baseline": the value minus the baseline's value. */
  target?: { what: "value" | "ratio" | "over baseline"; cmp: Cmp; limit: number };
  met?: boolean | null;
  note?: string;
  rounds?: number[];
}

/** A measured figure, with whether it meets its target. */
export function figure(row: Row): Row {
  if (!row.target) return row;
  const over = row.value !== null && row.baseline?.value !== null && row.baseline?.value !== undefined ? row.value - row.baseline.value : null;
  const v = row.target.what === "ratio" ? row.ratio : row.target.what === "over baseline" ? over : row.value;
  const met = v === null || v === undefined ? null : row.target.cmp === "<=" ? v <= row.target.limit : v >= row.target.limit;
  return { ...row, met };
}

/** A figure that could not be measured in this run, and why. */
export function notMeasured(section: string, name: string, why: string, target?: Row["target"]): Row {
  return { section, name, value: null, unit: "", note: `not measured: ${why}`, target, met: target ? null : undefined };
}

export function isNotMeasured(row: Row): boolean {
  return row.note?.startsWith("not measured") === true;
}

/** The row as one log line. */
export function describeRow(row: Row): string {
  if (isNotMeasured(row)) return `${row.section} / ${row.name}: ${row.note}`;
  const t = row.target ? ` (target ${row.target.what} ${row.target.cmp} ${row.target.limit}: ${row.met === null ? "n/a" : row.met ? "met" : "NOT met"})` : "";
  return `${row.section} / ${row.name}: ${fmt(row.value)} ${row.unit}${row.ratio !== undefined ? `, ratio ${fmt(row.ratio)}` : ""}${t}`;
}

export function table(rows: Row[]): string {
  const cells = rows.map((r) => [
    r.section,
    r.name,
    isNotMeasured(r) ? r.note! : `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value)}${r.unit ? ` ${r.unit}` : ""}` : "-",
    r.ratio === undefined ? "-" : fmt(r.ratio),
    r.target ? `${r.target.what} ${r.target.cmp} ${r.target.limit}` : "-",
    r.met === undefined ? "-" : r.met === null ? "n/a" : r.met ? "met" : "NOT MET",
  ]);
  const head = ["section", "figure", "value", "baseline (same run)", "ratio", "target", "met"];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

export const MB = 1024 * 1024;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function round(x: number, digits = 2): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return "-";
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(round(x, Math.abs(x) >= 10 ? 1 : 2));
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
