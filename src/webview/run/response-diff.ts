// The run's distinct responses (grouped by status and canonical JSON) and a line diff of two of them.
import type { AnswerKind, RequestOutcome } from "../../shared/protocol.js";

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) out[key] = canonicalize((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(canonicalize(value === undefined ? null : value), null, indent) ?? "null";
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
  for (const d of details) {
    const json = canonicalJson(d.response);
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
