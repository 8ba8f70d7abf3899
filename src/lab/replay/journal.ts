// An invocation's journal, read back through Restate's admin SQL API, for the panel's inspector.
// Restate 1.7's sys_journal has an entry_json column (the entry as JSON, payloads as arrays of
// bytes): from it come the entry's value, its completion id and a call's target. A Restate
// without that column still gives the index, type, name and time.
import type { JournalEntry } from "../../shared/protocol.js";
import { JOURNAL_VALUE_MAX } from "../../shared/protocol.js";
import type { RestateCredential } from "../origins.js";
import { query } from "../restate-admin.js";

type Details = Pick<JournalEntry, "value" | "completionId" | "target" | "stateKey">;

interface Row {
  index: number | string;
  entry_type: string;
  name: string | null;
  appended_at: string | null;
  entry_json?: string | null;
}

export async function journalOf(admin: string, invocationId: string, credential?: RestateCredential): Promise<JournalEntry[]> {
  // Ids go into SQL text: only Restate's own id alphabet is accepted.
  if (!/^inv_[A-Za-z0-9]+$/.test(invocationId)) throw new Error(`Not an invocation id: ${invocationId.slice(0, 60)}`);
  const sql = (columns: string) => `SELECT ${columns} FROM sys_journal WHERE id = '${invocationId}' ORDER BY index`;
  const rows = await query<Row>(admin, sql("index, entry_type, name, appended_at, entry_json"), { credential }).catch((err: unknown) => {
    // An older Restate has no entry_json: read what it has.
    if (!/entry_json/i.test(String(err))) throw err;
    return query<Row>(admin, sql("index, entry_type, name, appended_at"), { credential });
  });
  return rows.map((r) => ({
    index: Number(r.index),
    type: r.entry_type,
    name: r.name ?? "",
    appendedAt: r.appended_at ?? null,
    ...entryDetails(r.entry_json),
  }));
}

/** What an entry's JSON says beyond its type and name: its value (cut short), its completion id, a call's target, a state key. */
export function entryDetails(entryJson: string | null | undefined): Details {
  if (!entryJson) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(entryJson);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  const out: Details = {};
  const completion = find(parsed, (o) => Number.isSafeInteger(o.completion_id) && (o.completion_id as number) >= 0);
  if (completion) out.completionId = completion.completion_id as number;
  const call = find(parsed, (o) => typeof o.service_name === "string" && typeof o.handler_name === "string");
  if (call) out.target = `${call.service_name as string}${typeof call.key === "string" && call.key ? `/${call.key}` : ""}/${call.handler_name as string}`;
  // A state (or durable promise) command's key: a string ({"Command":{"SetState":{"key":"payment",…}}}).
  const kind = Object.keys((Object.values(parsed as object)[0] as object | null) ?? {})[0] ?? "";
  const state = /State|Promise/.test(kind) ? find(parsed, (o) => typeof o.key === "string" && o.key.length <= 300) : null;
  if (state) out.stateKey = state.key as string;
  const value = valueOf(parsed);
  if (value !== null) out.value = value.length <= JOURNAL_VALUE_MAX ? value : `${value.slice(0, JOURNAL_VALUE_MAX - 1)}…`;
  return out;
}

/** A result's value (or "failed: message"), else the first payload the entry carries; null when it has none. */
function valueOf(parsed: unknown): string | null {
  const result = find(parsed, (o) => "Success" in o || "Failure" in o);
  if (result) {
    if ("Success" in result) return bytesText(result.Success) ?? (result.Success === null ? "" : JSON.stringify(result.Success));
    const failure = result.Failure as { message?: unknown } | null;
    return `failed: ${typeof failure?.message === "string" ? failure.message : JSON.stringify(failure)}`;
  }
  let text: string | null = null;
  const walk = (v: unknown): void => {
    if (text !== null) return;
    const bytes = bytesText(v);
    if (bytes !== null) text = bytes;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  walk(parsed);
  return text;
}

/** A payload Restate shows as an array of bytes, as UTF-8 text; null for anything else. */
function bytesText(v: unknown): string | null {
  if (!Array.isArray(v) || v.length === 0 || !v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) return null;
  return Buffer.from(v as number[]).toString("utf8");
}

/** The first object (depth first) that `test` accepts. */
function find(v: unknown, test: (o: Record<string, unknown>) => boolean): Record<string, unknown> | null {
  if (typeof v !== "object" || v === null) return null;
  if (!Array.isArray(v) && test(v as Record<string, unknown>)) return v as Record<string, unknown>;
  for (const child of Object.values(v)) {
    const hit = find(child, test);
    if (hit) return hit;
  }
  return null;
}
