/** Marks a LabError, whichever copy of this module made it. */
const LAB_ERROR = Symbol.for("restate-idempotency-lab.LabError");

/** A problem the user can fix: what is wrong, and what to do about it. */
export class LabError extends Error {
  // The extension is two bundles (src/extension/features.ts is loaded on first use), each with its
  // own copy of this class: `instanceof` reads the mark, so either copy's error is a LabError to both.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [LAB_ERROR]?: unknown })[LAB_ERROR] === true;
  }
  readonly [LAB_ERROR] = true;
  override readonly name = "LabError";
  constructor(
    message: string,
    readonly fix: string,
    readonly code: LabErrorCode = "lab",
  ) {
    super(message);
  }
}

export type LabErrorCode =
  | "lab"
  | "not-a-lab"
  | "not-empty"
  | "not-writable"
  | "node-missing"
  | "node-too-old"
  | "restate-missing"
  | "npm-failed"
  | "start-failed"
  /** A start that gave up because the lab was stopped meanwhile (Stop Lab, `down`). */
  | "start-stopped"
  /** Refused because a replay is running in the lab. */
  | "replay-running"
  | "not-running"
  | "untrusted"
  | "unsafe-path"
  | "bad-state"
  | "not-confirmed";

export function describeError(err: unknown): { message: string; fix?: string } {
  if (err instanceof LabError) return { message: err.message, fix: err.fix };
  return { message: err instanceof Error ? err.message : String(err) };
}
