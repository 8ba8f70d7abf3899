// A whole number typed in a form field, checked against the limits protocol.ts names: the
// request builder, the chaos form and the prediction fields read their numbers this way.
import { formatCount } from "./format.js";

type IntCheck = { ok: true; value: number } | { ok: false; error: string };

/** A whole number typed in a field, within [min, max]; the message names the same limits as protocol.ts. */
export function parseWholeNumber(text: string, min: number, max: number, what: string): IntCheck {
  const t = text.trim();
  const range = `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a whole number from ${formatCount(min)} to ${formatCount(max)}`;
  if (t === "") return { ok: false, error: `Enter ${what}: a whole number from ${formatCount(min)} to ${formatCount(max)}` };
  if (!/^\d+$/.test(t)) return { ok: false, error: range };
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n < min || n > max) return { ok: false, error: range };
  return { ok: true, value: n };
}
