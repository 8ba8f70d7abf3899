// Waiting for something another process does (a server gets healthy, a state file changes, a
// process exits): ask again every few milliseconds until it answers or a deadline passes.

export interface PollOptions<T> {
  /** What is awaited, for the timeout error: "timed out after 30 s waiting for <what>". */
  what: string;
  /** The pause between two checks. */
  everyMs: number;
  /** How long to keep asking; Infinity for as long as it takes. */
  timeoutMs: number;
  /** What to do when the time is up: return a value, or throw an error of its own. */
  onTimeout?: () => T;
}

/** Answers that mean "not yet". */
type NotYet = false | null | undefined;

/**
 * Calls `check` until it answers something other than false, null or undefined, and returns
 * that. An error thrown by `check` ends the wait with that error.
 */
export async function poll<T>(check: () => T | NotYet | Promise<T | NotYet>, options: PollOptions<T>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer !== false && answer !== null && answer !== undefined) return answer;
    if (Date.now() > deadline) {
      if (options.onTimeout) return options.onTimeout();
      throw new Error(`timed out after ${options.timeoutMs / 1000} s waiting for ${options.what}`);
    }
    await sleep(options.everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
