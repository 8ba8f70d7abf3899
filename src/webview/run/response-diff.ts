// The run's distinct responses (grouped by status and canonical JSON) and a line diff of two of them.
import type { AnswerKind, RequestOutcome } from "../../shared/protocol.js";

/**
 * JSON with object keys sorted at every level: equal values give equal text. Iterative, so no
 * answer nests deep enough to overflow the stack (records are also refused past 64 levels).
 */
export function canonicalize(value: unknown): unknown {
  const root: { value: unknown } = { value };
  const work: Array<{ from: unknown; put: (v: unknown) => void }> = [{ from: value, put: (v) => (root.value = v) }];
  for (let item = work.pop(); item; item = work.pop()) {
    const { from, put } = item;
    if (Array.isArray(from)) {
      const out: unknown[] = new Array(from.length);
      put(out);
      from.forEach((v, i) => work.push({ from: v, put: (c) => (out[i] = c) }));
    } else if (from !== null && typeof from === "object") {
      const out: Record<string, unknown> = {};
      put(out);
      const o = from as Record<string, unknown>;
      // Keys are set in sorted order now; their values are filled in as the work reaches them.
      for (const key of Object.keys(o).sort()) out[key] = null;
      for (const key of Object.keys(out)) work.push({ from: o[key], put: (c) => (out[key] = c) });
    } else put(from);
  }
  return root.value;
}

/** The canonical JSON text; a value too deep for JSON.stringify is named, not thrown. */
export function canonicalJson(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(canonicalize(value === undefined ? null : value), null, indent) ?? "null";
  } catch (err) {
    if (err instanceof RangeError) return '"(nested too deeply to show)"';
    throw err;
  }
}

export interface ResponseGroup {
  key: string;
  status: number | null;
  count: number;
  firstIndex: number;
  pretty: string;
  answers: Partial<Record<AnswerKind, number>>;
  /** An error of the group's requests, for answers without a status. */
  error: string | null;
}

/** Distinct answers (status + canonical response), most common first. */
export function groupResponses(details: readonly RequestOutcome[]): ResponseGroup[] {
  const groups = new Map<string, ResponseGroup>();
  // Most answers of a run are the same text: each distinct text is put in canonical form once
  // (JSON.stringify is native and quick; canonicalJson sorts keys in script).
  const canonicalOf = new Map<string, string>();
  for (const d of details) {
    const text = JSON.stringify(d.response) ?? "undefined";
    let json = canonicalOf.get(text);
    if (json === undefined) canonicalOf.set(text, (json = canonicalJson(d.response)));
    const key = `${d.status ?? "none"} ${json}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, status: d.status, count: 0, firstIndex: d.index, pretty: canonicalJson(d.response, 2), answers: {}, error: d.error ?? null };
      groups.set(key, g);
    }
    g.count++;
    g.firstIndex = Math.min(g.firstIndex, d.index);
    g.answers[d.answer] = (g.answers[d.answer] ?? 0) + 1;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.firstIndex - b.firstIndex);
}

export interface DiffLine {
  op: "same" | "removed" | "added";
  text: string;
}

/** A line diff of two texts by longest common subsequence. */
export function diffLines(a: string, b: string, maxCells = 4_000_000): DiffLine[] {
  const x = a.split("\n");
  const y = b.split("\n");
  if (x.length * y.length > maxCells) {
    return [...x.map((text) => ({ op: "removed" as const, text })), ...y.map((text) => ({ op: "added" as const, text }))];
  }
  const n = x.length;
  const m = y.length;
  // lcs[i][j]: LCS length of x[i..] and y[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: "same", text: x[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) out.push({ op: "removed", text: x[i++]! });
    else out.push({ op: "added", text: y[j++]! });
  }
  while (i < n) out.push({ op: "removed", text: x[i++]! });
  while (j < m) out.push({ op: "added", text: y[j++]! });
  return out;
}
