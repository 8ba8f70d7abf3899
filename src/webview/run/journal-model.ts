// The inspector's journal table as data: per entry, which attempt appended it, what it means in
// plain words (from its type, its name and, for an unnamed ctx.run, its value), its value cut
// short, its time from the run's start, and its marks; and a legend for exactly the marks used.
import type { JournalEntry } from "../../shared/protocol.js";
import { formatMs, shortId, truncate } from "../ui/format.js";
import type { Lane } from "./lanes-model.js";

/** How many characters of a value the table shows (the whole one is in its title). */
export const VALUE_SHOWN = 60;

export type JournalMark = "failed-on" | "ledger";

export interface JournalRow {
  index: number;
  attempt: number | null;
  type: string;
  name: string;
  meaning: string;
  /** The value as the table shows it (ids shortened, cut to VALUE_SHOWN), and whole; null when Restate shows none. */
  value: { shown: string; whole: string } | null;
  /** "+1.23 s" from the run's start; null without a time. */
  at: string | null;
  /** The attempt that failed on this entry. */
  failedBy: number | null;
  /** The ledger entries this entry holds. */
  ledgerIds: string[];
  marks: JournalMark[];
}

export const MARKS: Record<JournalMark, { glyph: string; text: string }> = {
  "failed-on": { glyph: "✗", text: "an attempt failed on this entry (its row is tinted red)" },
  ledger: { glyph: "◆", text: "this entry holds a ledger entry of the mock gateway (its id follows)" },
};

/** The rows of the table, in journal order. */
export function journalRows(entries: JournalEntry[], lane: Lane | undefined, runStartedAt: string): JournalRow[] {
  const attempts = lane?.attempts ?? [];
  const start = Date.parse(runStartedAt);
  const failedOn = new Map(attempts.filter((a) => a.error?.command).map((a) => [a.error!.command!.index, a.number]));
  return entries.map((e) => {
    const attempt = attempts.find((a) => a.entries !== null && e.index >= a.entries.first && e.index <= a.entries.last)?.number ?? null;
    const failedBy = failedOn.get(e.index) ?? null;
    const ledgerIds = (lane?.marks ?? []).filter((m) => m.traceIndex === e.index).map((m) => m.id);
    const at = e.appendedAt === null ? NaN : Date.parse(e.appendedAt) - start;
    const marks: JournalMark[] = [];
    if (failedBy !== null) marks.push("failed-on");
    if (ledgerIds.length > 0) marks.push("ledger");
    return {
      index: e.index,
      attempt,
      type: e.type,
      name: e.name,
      meaning: meaningOf(e, entries),
      value: e.value === undefined ? null : { shown: truncate(shortIds(oneLineOf(e.value)), VALUE_SHOWN), whole: e.value },
      at: Number.isFinite(at) ? `${at < 0 ? "−" : "+"}${formatMs(Math.abs(at))}` : null,
      failedBy,
      ledgerIds,
      marks,
    };
  });
}

/** The legend: one line per mark the rows use, in a fixed order. */
export function legendOf(rows: JournalRow[]): Array<{ mark: JournalMark; glyph: string; text: string }> {
  const used = new Set(rows.flatMap((r) => r.marks));
  return (Object.keys(MARKS) as JournalMark[]).filter((m) => used.has(m)).map((m) => ({ mark: m, ...MARKS[m] }));
}

/** An entry in plain words. */
export function meaningOf(e: JournalEntry, entries: JournalEntry[] = []): string {
  const [kind = "", what = e.type] = /^(Command|Notification|Event): (.*)$/.exec(e.type)?.slice(1) ?? [];
  const named = e.name || e.stateKey ? ` '${e.name || e.stateKey}'` : "";
  if (what === "Run") {
    // A Run notification names no step: its command (same completion id) does.
    const command =
      kind === "Notification" ? entries.find((c) => c.type === "Command: Run" && c.completionId !== undefined && c.completionId === e.completionId) : e;
    const result =
      kind === "Notification" ? e : entries.find((n) => n.type === "Notification: Run" && n.completionId !== undefined && n.completionId === e.completionId);
    const step = runName(command?.name ?? e.name, result?.value);
    if (kind === "Command") return `${step} started`;
    return result?.value?.startsWith("failed: ") ? `${step} failure stored` : `${step} result stored`;
  }
  const target = e.target ? ` to ${e.target}` : "";
  switch (what) {
    case "Input":
      return "input received (the request)";
    case "Output":
      return e.value?.startsWith("failed: ") ? "output written: a failure" : "output written (the answer)";
    case "GetState":
    case "GetLazyState":
    case "GetEagerState":
      return kind === "Notification" ? `state${named} value arrived` : `state${named} read`;
    case "GetStateKeys":
    case "GetLazyStateKeys":
    case "GetEagerStateKeys":
      return "state keys read";
    case "SetState":
      return `state${named} written`;
    case "ClearState":
      return `state${named} cleared`;
    case "ClearAllState":
      return "all state cleared";
    case "Call":
      return kind === "Notification" ? "call's result stored" : `call${target}`;
    case "CallInvocationId":
      return "called invocation's id stored";
    case "OneWayCall":
      return `one-way send${target}`;
    case "Sleep":
      return kind === "Notification" ? "sleep over" : `ctx.sleep${named} started`;
    case "GetPromise":
      return `durable promise${named} awaited`;
    case "PeekPromise":
      return `durable promise${named} peeked`;
    case "CompletePromise":
      return `durable promise${named} completed`;
    case "CompleteAwakeable":
      return "awakeable completed";
    case "SendSignal":
    case "Signal":
      return kind === "Notification" ? "signal arrived (an awakeable's answer or a cancel)" : "signal sent";
    case "AttachInvocation":
      return "attached to an invocation";
    case "GetInvocationOutput":
      return "an invocation's output read";
    default:
      return `${kind ? `${kind.toLowerCase()}: ` : ""}${what}${named}`;
  }
}

/** ctx.date's methods are ctx.run steps with no name whose result is the time; other unnamed steps say so. */
function runName(name: string, value: string | undefined): string {
  if (name) return `ctx.run '${name}'`;
  return value !== undefined && isTime(value) ? "ctx.date" : "ctx.run (unnamed)";
}

function isTime(value: string): boolean {
  const v = value.replace(/^"|"$/g, "");
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) || /^1\d{12}$/.test(v);
}

function oneLineOf(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Invocation ids inside a text, shortened as the rest of the panel shows them (the whole text goes in a title). */
export function shortIds(text: string): string {
  return text.replace(/inv_[A-Za-z0-9]{10,}/g, (id) => shortId(id));
}
