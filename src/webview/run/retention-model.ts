// The retention countdown's model: how long Restate kept the key (the run's retention event), when
// it expired (the idempotency-expires its replayed answers carried), how much time each request of
// that key had left, and when Restate's cleaner removed the entry (the run's wait events).
import type { AnswerKind, PlanEvent } from "../../shared/protocol.js";
import { formatMs } from "../ui/format.js";
import type { Result } from "./run-model.js";

export interface CountdownRow {
  index: number;
  label: string | null;
  sentMs: number;
  /** Time left until the expiry when it was sent: negative once past. */
  leftMs: number;
  answer: AnswerKind;
  /** Sent after the run saw the cleaner remove the entry. */
  afterRemoval: boolean;
  text: string;
}

export interface RetentionView {
  retention: { service: string; set: string; previous: string; restored: boolean } | null;
  expires: string;
  expiresMs: number;
  /** When the key's time began (the expiry less the retention), when the retention parses. */
  keptFromMs: number | null;
  removal: { atMs: number; reached: boolean; afterExpiryMs: number } | null;
  rows: CountdownRow[];
  domainMs: number;
  headline: string;
}

/** A duration as Restate writes it ("5s", "1d", "1h 30m", "500ms"), in milliseconds; null when it does not parse. */
export function parseDuration(text: string): number | null {
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    sec: 1000,
    m: 60_000,
    min: 60_000,
    h: 3_600_000,
    hr: 3_600_000,
    d: 86_400_000,
    day: 86_400_000,
    days: 86_400_000,
  };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)];
  if (
    parts.length === 0 ||
    parts
      .map((p) => p[0])
      .join("")
      .replace(/\s/g, "") !== text.replace(/\s/g, "")
  )
    return null;
  let total = 0;
  for (const [, n, unit] of parts) {
    const scale = units[unit!.toLowerCase()];
    if (scale === undefined) return null;
    total += Number(n) * scale;
  }
  return total;
}

/** The countdown, for a run that changed a retention or waited for an expiry; null for the others. */
export function retentionView(result: Result): RetentionView | null {
  const events = result.events ?? [];
  const retention = events.find((e): e is Extract<PlanEvent, { kind: "retention" }> => e.kind === "retention") ?? null;
  const waits = events.filter((e): e is Extract<PlanEvent, { kind: "wait" }> => e.kind === "wait");
  if (!retention && !waits.some((w) => w.until === "expiry")) return null;
  const start = Date.parse(result.startedAt);
  const details = [...result.requestsDetail].sort((a, b) => a.index - b.index);
  const carrier = details.find((d) => d.expires !== undefined);
  if (!carrier || !Number.isFinite(start)) return null;
  const expires = carrier.expires!;
  const expiresMs = Date.parse(expires) - start;
  if (!Number.isFinite(expiresMs)) return null;
  const kept = retention ? parseDuration(retention.set) : null;
  const removalWait = waits.find((w) => w.until === "removal");
  const removal = removalWait ? { atMs: removalWait.atMs, reached: removalWait.reached, afterExpiryMs: removalWait.atMs - expiresMs } : null;
  const sameKey = details.filter((d) => d.idempotencyKey === carrier.idempotencyKey && sameTarget(d.target, carrier.target));
  const rows = sameKey.map((d) => {
    const leftMs = expiresMs - d.sentAtMs;
    // The wait's time is whole milliseconds; the request after it may be stamped a fraction earlier.
    const afterRemoval = removal !== null && removal.reached && d.sentAtMs >= removal.atMs - 1;
    const when = leftMs >= 0 ? `${formatMs(leftMs)} before the expiry` : `${formatMs(-leftMs)} after the expiry`;
    return {
      index: d.index,
      label: d.label ?? null,
      sentMs: d.sentAtMs,
      leftMs,
      answer: d.answer,
      afterRemoval,
      text: `#${d.index}${d.label ? ` (${d.label})` : ""} sent at +${formatMs(d.sentAtMs)}, ${when}${afterRemoval ? ", after the cleaner removed the entry" : ""}: ${d.answer}${d.replayHeader ? " (idempotency-expires in the answer)" : ""}.`,
    };
  });
  const domainMs = Math.max(1, expiresMs, removal?.atMs ?? 0, ...details.map((d) => d.sentAtMs + Math.max(0, d.latencyMs)));
  const headline = retention
    ? `${retention.service} kept keys for ${retention.set} in this run (it was ${retention.previous}; ${retention.restored ? "put back after the run" : "putting it back failed"}). The key expired at +${formatMs(expiresMs)}.`
    : `The key expired at +${formatMs(expiresMs)}.`;
  return {
    retention: retention ? { service: retention.service, set: retention.set, previous: retention.previous, restored: retention.restored } : null,
    expires,
    expiresMs,
    keptFromMs: kept !== null ? expiresMs - kept : null,
    removal,
    rows,
    domainMs,
    headline,
  };
}

function sameTarget(a: Result["requestsDetail"][number]["target"], b: Result["requestsDetail"][number]["target"]): boolean {
  return a?.service === b?.service && a?.key === b?.key && a?.handler === b?.handler;
}
