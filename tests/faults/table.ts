// The faults suite's report: one row per case, printed as a table when the file is done.
export interface Row {
  group: string;
  case: string;
  expected: string;
  observed: string;
  ok: boolean;
}

export class Table {
  readonly rows: Row[] = [];

  add(group: string, name: string, expected: unknown, observed: unknown): boolean {
    const ok = JSON.stringify(expected) === JSON.stringify(observed);
    this.rows.push({ group, case: name, expected: show(expected), observed: show(observed), ok });
    return ok;
  }

  print(): void {
    const header = ["", "group", "case", "expected", "observed"];
    const cells = this.rows.map((r) => [r.ok ? "ok" : "FAIL", r.group, r.case, r.expected, r.observed]);
    const widths = header.map((h, i) => Math.min(70, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
    const line = (c: string[]) =>
      c
        .map((x, i) => x.slice(0, widths[i]).padEnd(widths[i]!))
        .join("  ")
        .trimEnd();
    console.log(["", line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line), ""].join("\n"));
  }
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
