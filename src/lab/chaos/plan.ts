// A chaos run's plan, all from one seed: the fault schedule and the workload (which payments,
// which duplicates, keyed or not, when). The same seed gives the same plan, so a run that found
// a violation can be run again, fault for fault.
import type { FaultEvent, FaultKind } from "../../shared/chaos-result.js";

export interface ChaosOptions {
  seed: number;
  payments: number;
  /** Requests per payment (the first is a keyed create; the rest duplicates, keyed or not, and maybe a refund). */
  duplicates: number;
  durationS: number;
  /** Service kills and restate-server restarts need the lab's own processes. */
  processFaults: boolean;
}

export const CHAOS_DEFAULTS = { payments: 20, duplicates: 4, durationS: 20 } as const;
export const CHAOS_LIMITS = { payments: 500, duplicates: 20, durationS: 600 } as const;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The faults, spread over the run: about one every two seconds, each kind at most as often as
 * the lab can take it (a killed service needs a second or two to come back; restate-server is
 * restarted once, mid-run). Nothing is scheduled in the last fifth, so the run can settle.
 */
export function schedule(o: ChaosOptions): FaultEvent[] {
  const next = random(o.seed ^ 0x5eed);
  const span = o.durationS * 1000 * 0.8;
  const kinds: FaultKind[] = ["gateway-latency", "lost-answer", "lost-answer", "failing-calls", ...(o.processFaults ? (["service-kill"] as const) : [])];
  const events: Array<Omit<FaultEvent, "index" | "applied">> = [];
  const count = Math.max(2, Math.round(span / 2000));
  let lastKill = -Infinity;
  for (let i = 0; i < count; i++) {
    const atMs = Math.round(500 + next() * (span - 500));
    let kind = kinds[Math.floor(next() * kinds.length)]!;
    if (kind === "service-kill" && atMs - lastKill < 4000) kind = "lost-answer";
    if (kind === "service-kill") lastKill = atMs;
    const amount = kind === "gateway-latency" ? 300 + Math.round(next() * 1200) : kind === "failing-calls" ? 1 + Math.floor(next() * 3) : 1;
    events.push({ kind, atMs, durationMs: kind === "gateway-latency" ? 1000 + Math.round(next() * 2000) : 0, amount });
  }
  if (o.processFaults && o.durationS >= 10) events.push({ kind: "restate-kill", atMs: Math.round(span * (0.35 + next() * 0.3)), durationMs: 0, amount: 1 });
  return events.sort((a, b) => a.atMs - b.atMs).map((e, index) => ({ ...e, index, applied: null }));
}

export interface PlannedRequest {
  index: number;
  payment: number;
  handler: "create" | "refund";
  keyed: boolean;
  atMs: number;
  body: unknown;
}

/**
 * Per payment: a keyed create, then duplicates of it (keyed with the same key, or keyless, as a
 * client that lost its key would send) close together, so some overlap and some come after; a
 * third of the payments also get a refund, sent twice with one refund id.
 */
export function workload(o: ChaosOptions): PlannedRequest[] {
  const next = random(o.seed ^ 0x10ad);
  const span = o.durationS * 1000 * 0.7;
  const planned: Omit<PlannedRequest, "index">[] = [];
  for (let p = 0; p < o.payments; p++) {
    const start = Math.round(next() * span);
    const amount = 100 * (1 + Math.floor(next() * 200));
    const create = { amount, currency: "EUR" };
    planned.push({ payment: p, handler: "create", keyed: true, atMs: start, body: create });
    const refunds = next() < 1 / 3 ? 2 : 0;
    for (let d = 1; d < o.duplicates - refunds; d++) {
      planned.push({ payment: p, handler: "create", keyed: next() < 0.6, atMs: start + Math.round(next() * 1500), body: create });
    }
    for (let r = 0; r < refunds; r++) {
      planned.push({
        payment: p,
        handler: "refund",
        keyed: true,
        atMs: start + 2500 + Math.round(next() * 1000),
        body: { refundId: `refund-${p}`, amount: Math.round(amount / 2) },
      });
    }
  }
  return planned.sort((a, b) => a.atMs - b.atMs || a.payment - b.payment).map((r, index) => ({ ...r, index }));
}

/** The schedule, one line a fault, as the CLI prints it before the run. */
export function describeSchedule(events: FaultEvent[]): string[] {
  return events.map((e) => {
    const at = `${(e.atMs / 1000).toFixed(1).padStart(5)} s`;
    switch (e.kind) {
      case "gateway-latency":
        return `${at}  gateway latency ${e.amount} ms for ${(e.durationMs / 1000).toFixed(1)} s`;
      case "lost-answer":
        return `${at}  the gateway charges, then loses its answer`;
      case "failing-calls":
        return `${at}  the gateway fails the next ${e.amount} call${e.amount === 1 ? "" : "s"} (503)`;
      case "service-kill":
        return `${at}  the service is killed (SIGKILL)`;
      case "restate-kill":
        return `${at}  restate-server is killed (SIGKILL) and started again`;
    }
  });
}
