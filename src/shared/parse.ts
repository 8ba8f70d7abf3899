// What every parser of the panel's messages shares: the outcome's shape and a few checks.

/** A refused message says why, and which request it answered when it named one (so that request fails). */
export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string; requestId?: string };

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const isInt = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

export function ok<T>(value: unknown): Parsed<T> {
  return { ok: true, message: value as T };
}

export function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** The JSON parser's message for a text, or null when it parses. */
export function jsonError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
