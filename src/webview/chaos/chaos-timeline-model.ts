// The chaos timeline's model, without the DOM: the time domain, the fault lane's markers and a
// lane per drawn payment (its requests from send to answer, its ledger entries), broken payments first.
import type { ChaosRunRecord, FaultEvent } from "../../shared/protocol.js";
import { faultState, faultStateText, faultText, orderedPayments } from "./chaos-model.js";
import type { FaultState } from "./chaos-model.js";
import { formatMs } from "../ui/format.js";

/** Payment lanes drawn at most; the table below has every payment. */
export const MAX_PAYMENT_LANES = 24;

export interface FaultMarker {
  fault: FaultEvent;
  state: FaultState;
  /** Where it is drawn: when it was applied, else when it was planned. */
  atMs: number;
  /** A latency's span; 0 for a one-shot fault. */
  durationMs: number;
  title: string;
}

export type RequestOutcomeKind = "ok" | "refused" | "failed" | "none";

export interface PaymentLane {
  paymentId: string;
  broken: boolean;
  requests: Array<{ fromMs: number; toMs: number; outcome: RequestOutcomeKind; retried: boolean; title: string }>;
  ledger: Array<{ atMs: number; type: "charge" | "refund"; title: string }>;
}

export interface ChaosTimelineModel {
  domainMs: number;
  faults: FaultMarker[];
  lanes: PaymentLane[];
  /** Payments not drawn (more than MAX_PAYMENT_LANES). */
  hidden: number;
}

export function chaosTimeline(record: ChaosRunRecord): ChaosTimelineModel {
  const r = record.chaos;
  const start = Date.parse(r.startedAt);
  const faults = r.schedule.map((f) => ({
    fault: f,
    state: faultState(f),
    atMs: f.applied?.atMs ?? f.atMs,
    durationMs: f.durationMs,
    title: `Fault ${f.index + 1}: ${faultText(f)}, ${faultStateText(f)}`,
  }));
  const payments = orderedPayments(r);
  const lanes = payments.slice(0, MAX_PAYMENT_LANES).map((p): PaymentLane => {
    const requests = r.requests
      .filter((q) => q.paymentId === p.paymentId)
      .map((q) => {
        const outcome: RequestOutcomeKind = q.status === null ? "none" : q.status < 300 ? "ok" : q.status < 500 ? "refused" : "failed";
        const toMs = q.answeredAtMs ?? r.durationMs;
        return {
          fromMs: q.sentAtMs,
          toMs,
          outcome,
          retried: q.tries > 1,
          title: `#${q.index} ${q.handler}${q.idempotencyKey ? " with a key" : " without a key"}: sent ${formatMs(q.sentAtMs)}, ${q.status === null ? "no answer" : `${q.status} at ${formatMs(toMs)}`}${q.tries > 1 ? `, ${q.tries} tries` : ""}`,
        };
      });
    const ledger = record.evidence.ledger
      .filter((e) => e.paymentId === p.paymentId)
      // When the gateway got the request (as the history and Restate's attempts are placed); recorded later under latency.
      .map((e) => ({
        atMs: Date.parse(e.requestedAt ?? e.at) - start,
        type: e.type,
        title: `${e.id}: ${e.type} requested at ${formatMs(Date.parse(e.requestedAt ?? e.at) - start)}, recorded at ${formatMs(Date.parse(e.at) - start)}`,
      }));
    return { paymentId: p.paymentId, broken: p.broken.length > 0, requests, ledger };
  });
  const ends = [
    r.durationMs,
    ...faults.map((f) => f.atMs + f.durationMs),
    ...lanes.flatMap((l) => [...l.requests.map((q) => q.toMs), ...l.ledger.map((e) => e.atMs)]),
  ];
  return { domainMs: Math.max(1000, ...ends), faults, lanes, hidden: Math.max(0, payments.length - MAX_PAYMENT_LANES) };
}

/** Tick marks every 1, 2, 5, 10… seconds: about eight across. */
export function ticks(domainMs: number): number[] {
  const steps = [500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000];
  const step = steps.find((s) => domainMs / s <= 10) ?? 600_000;
  const out: number[] = [];
  for (let t = 0; t <= domainMs; t += step) out.push(t);
  return out;
}
