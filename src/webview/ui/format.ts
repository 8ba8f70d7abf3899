// How the panel writes numbers, durations, times and values: by hand, so the text does not depend
// on the webview's locale (the unit tests run in Node with another one).
import type { AnswerKind } from "../../shared/protocol.js";

// Counts read the same in the panel, the CLI and the notifications.
export { counted, formatCount } from "../../shared/wording.js";

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** "14:03:27" for today, "2026-11-27 14:03" otherwise (in the given time zone offset's local time). */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const sameDay = t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  const time = `${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}`;
  return sameDay ? time : `${t.getFullYear()}-${pad2(t.getMonth() + 1)}-${pad2(t.getDate())} ${time.slice(0, 5)}`;
}

/** Local time of day with milliseconds, "14:03:27.512". */
export function formatClock(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}.${String(t.getMilliseconds()).padStart(3, "0")}`;
}

/** "inv_1gdJBt…1Hbz": the start and the end of a long id (the panel shows the whole on hover). */
export function shortId(id: string): string {
  return id.length <= 16 ? id : `${id.slice(0, 10)}…${id.slice(-4)}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + "…";
}

export function answerLabel(kind: AnswerKind): string {
  return kind.replace(/-/g, " ");
}

/** A value as one line of text: strings as they are, everything else as compact JSON. */
export function oneLine(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function statusLabel(status: number | null): string {
  return status === null ? "no answer" : `status ${status}`;
}

export function formatAmount(amount: number, currency: string): string {
  // Amounts are integer minor units (cents for USD).
  const major = (amount / 100).toFixed(2);
  return `${major} ${currency}`;
}
