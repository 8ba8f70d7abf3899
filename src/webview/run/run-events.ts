// The run's events (crash, kill or cancel, retention, waits) and an expiry its answers carried, as
// marks on the attempts timeline and lines in the inspector: a label for the chart, a sentence for
// the list, each from the event's own fields.
import type { PlanEvent } from "../../shared/protocol.js";
import { formatMs } from "../ui/format.js";
import type { Lane } from "./lanes-model.js";
import type { Result } from "./run-model.js";

export interface EventMark {
  atMs: number;
  /** Waits span a time: from atMs - spanMs to atMs. */
  spanMs: number;
  label: string;
  text: string;
  kind: PlanEvent["kind"] | "expires";
}

export function eventMark(e: PlanEvent): EventMark {
  switch (e.kind) {
    case "retention":
      return {
        kind: e.kind,
        atMs: e.atMs,
        spanMs: 0,
        label: `retention ${e.set}`,
        text: `${e.service}'s idempotency retention set to ${e.set} for the run (it was ${e.previous}; ${e.restored ? "put back after the run" : "putting it back failed"}).`,
      };
    case "crash":
      return {
        kind: e.kind,
        atMs: e.atMs,
        spanMs: 0,
        label: "service killed",
        text: `The lab killed its service process (SIGKILL) once the journal showed ctx.run "${e.run}" ${e.state}; the supervisor started it again.`,
      };
    case "stop":
      return {
        kind: e.kind,
        atMs: e.atMs,
        spanMs: 0,
        label: `${e.how} ${e.status}`,
        text: `A ${e.how} of ${e.invocationId} through the admin API, answered ${e.status}${e.newInvocationId ? ` (new invocation ${e.newInvocationId})` : ""}.`,
      };
    case "wait": {
      const what =
        e.until === "expiry"
          ? "idempotency-expires to pass"
          : e.until === "removal"
            ? "Restate's cleaner to remove the entry"
            : e.until === "paused"
              ? "Restate to pause the invocation"
              : "the gateway to record the receipt";
      const label = e.until === "expiry" ? "expired" : e.until === "removal" ? "entry removed" : e.until === "paused" ? "paused" : "receipt";
      return {
        kind: e.kind,
        atMs: e.atMs,
        spanMs: Math.max(0, e.waitedMs),
        label: e.reached ? label : `no ${label}`,
        text: `Waited ${formatMs(e.waitedMs)} for ${what}: ${e.reached ? "it came" : "it did not come in time"}.`,
      };
    }
  }
}

export function expiryMark(e: { iso: string; ms: number }): EventMark {
  return {
    kind: "expires",
    atMs: e.ms,
    spanMs: 0,
    label: "idempotency-expires",
    text: `A replayed answer said the key expires at ${e.iso} (+${formatMs(e.ms)}).`,
  };
}

/** The run's events that concern one invocation: those naming it, and the crashes during its attempts. */
export function eventsOf(result: Result, lane: Pick<Lane, "invocationId" | "attempts">): EventMark[] {
  return (result.events ?? [])
    .filter((e) =>
      e.kind === "stop" || e.kind === "wait"
        ? e.invocationId === lane.invocationId
        : e.kind === "crash" && lane.attempts.some((a) => e.atMs >= a.fromMs - 50 && e.atMs <= a.endMs + 50),
    )
    .map(eventMark);
}
