/** A problem the user can fix: what is wrong, and what to do about it. */
export class LabError extends Error {
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
