// The chaos run in the panel without the DOM: the form's values and their check against the
// engine's limits, the verdict in words, the faults in words, and one payment's history merged
// in time order from the run's requests, faults, Restate's attempts and the ledger.
import { faultsAround, MAX_CHAOS_SEED } from "../../shared/protocol.js";
import type {
  ChaosRequest,
  ChaosResult,
  ChaosRunRecord,
  ChaosRunRequest,
  ChaosSettings,
  FaultEvent,
  InvocationAttempts,
  LedgerEntry,
} from "../../shared/protocol.js";
import { naturalCompare } from "../../shared/chaos-chain.js";
import { parseWholeNumber } from "../ui/whole-number.js";
import { formatMs } from "../ui/format.js";

export interface ChaosValues {
  /** Empty: a new random seed. */
  seed: string;
  payments: string;
  duplicates: string;
  durationS: string;
  target: string;
}

export type ChaosField = "seed" | "payments" | "duplicates" | "durationS" | "target";

export interface ChaosCheck {
  request: ChaosRunRequest | null;
  errors: Partial<Record<ChaosField, string>>;
}

export function defaultChaosValues(settings: ChaosSettings): ChaosValues {
  return {
    seed: "",
    payments: String(settings.payments.default),
    duplicates: String(settings.duplicates.default),
    durationS: String(settings.durationS.default),
    target: settings.targets[0]!,
  };
}

export function validateChaos(values: ChaosValues, settings: ChaosSettings): ChaosCheck {
  const errors: ChaosCheck["errors"] = {};
  let seed: number | null = null;
  if (values.seed.trim() !== "") {
    const s = parseWholeNumber(values.seed, 0, MAX_CHAOS_SEED, "the seed");
    if (s.ok) seed = s.value;
    else errors.seed = `${s.error}, or leave it empty for a new one`;
  }
  const whole = (field: "payments" | "duplicates" | "durationS", what: string) => {
    const r = settings[field];
    const n = parseWholeNumber(values[field], r.min, r.max, what);
    if (!n.ok) errors[field] = n.error;
    return n.ok ? n.value : 0;
  };
  const payments = whole("payments", "the payments");
  const duplicates = whole("duplicates", "the requests per payment");
  const durationS = whole("durationS", "the duration");
  if (!settings.targets.includes(values.target)) errors.target = `Pick one of: ${settings.targets.join(", ")}`;
  if (Object.keys(errors).length > 0) return { request: null, errors };
  return { request: { seed, payments, duplicates, durationS, target: values.target }, errors };
}

export const isAntiPattern = (target: string) => target.startsWith("PaymentAntiPatterns/");

/** "PaymentService", "chargeOutsideRun (anti-pattern)". */
export function targetLabel(target: string): string {
  return isAntiPattern(target) ? `${target.slice("PaymentAntiPatterns/".length)} (anti-pattern)` : target;
}

export function chaosVerdictText(r: Pick<ChaosResult, "verdict" | "expectedVerdict" | "stopped">): { asExpected: boolean; text: string } {
  const asExpected = r.verdict === r.expectedVerdict;
  const text = !asExpected
    ? `Not what a correct lab shows: expected ${r.expectedVerdict}.`
    : r.verdict === "safe"
      ? "As expected: every invariant held under the faults."
      : "As expected: the checker caught the anti-pattern's flaw.";
  return { asExpected, text: r.stopped ? `${text} Stopped before the end of the schedule: only what was sent is judged.` : text };
}

/** A fault in words: what it was, e.g. "gateway latency 900 ms for 2.1 s". */
export function faultText(f: FaultEvent): string {
  switch (f.kind) {
    case "gateway-latency":
      return `gateway latency ${f.amount} ms for ${formatMs(f.durationMs)}`;
    case "lost-answer":
      return f.amount > 1 ? `the gateway charges, then loses ${f.amount} answers` : "the gateway charges, then loses its answer";
    case "failing-calls":
      return `the gateway fails the next ${f.amount === 1 ? "call" : `${f.amount} calls`} (503)`;
    case "service-kill":
      return "the service is killed (SIGKILL)";
    case "restate-kill":
      return "restate-server is killed and started again";
  }
}

export type FaultState = "applied" | "failed" | "not-reached";

export function faultState(f: FaultEvent): FaultState {
  return f.applied === null ? "not-reached" : f.applied.ok ? "applied" : "failed";
}

export function faultStateText(f: FaultEvent): string {
  return f.applied === null
    ? "not reached (the run ended first)"
    : f.applied.ok
      ? `applied at ${formatMs(f.applied.atMs)}`
      : `not applied: ${f.applied.note ?? "it failed"}`;
}

/** What a request got, in a few words. */
export function answerText(q: ChaosRequest): string {
  if (q.status === null) return `no answer: ${q.error ?? "none"}`;
  const charge = (q.response as { chargeId?: unknown } | null)?.chargeId;
  return `${q.status}${typeof charge === "string" ? ` · charge ${charge}` : ""}${q.error ? ` · ${q.error}` : ""}`;
}

export type HistoryItem =
  | { kind: "request"; atMs: number; request: ChaosRequest }
  | { kind: "fault"; atMs: number; fault: FaultEvent }
  | {
      kind: "attempt";
      atMs: number;
      /** An attempt with a known start and end is two rows: when it began, and how and when it ended. */
      moment: "began" | "ended" | "open" | "end-only";
      /** A retry: Restate records no start of its own, only the failure it follows. */
      retry: boolean;
      invocationId: string;
      target: string;
      number: number;
      outcome: string;
      error: string | null;
    }
  | { kind: "ledger"; atMs: number; entry: LedgerEntry };

export interface HistoryParts {
  requests: readonly ChaosRequest[];
  faults: readonly FaultEvent[];
  attempts: readonly InvocationAttempts[];
  ledger: readonly LedgerEntry[];
}

/** One payment's history, from the violation the checker kept or from the run and its evidence. */
export function paymentParts(record: ChaosRunRecord, paymentId: string): HistoryParts {
  const r = record.chaos;
  const violation = r.violations.find((v) => v.paymentId === paymentId);
  const requests = r.requests.filter((q) => q.paymentId === paymentId);
  const ids = new Set(requests.map((q) => q.invocationId).filter((id) => id !== null));
  const owned = record.evidence.attempts.filter((i) => ids.has(i.invocationId) || i.target.split("/")[1] === paymentId);
  const ledger = record.evidence.ledger.filter((e) => e.paymentId === paymentId);
  return {
    requests,
    faults: faultsAround(requests, r.schedule),
    attempts: owned.length > 0 ? owned : (violation?.history.attempts ?? []),
    ledger: ledger.length > 0 ? ledger : (violation?.history.ledger ?? []),
  };
}

/** The parts merged in time order, in ms from the run's start (`startedAt`: Restate's and the ledger's times are clock times). */
export function historyItems(startedAt: string, p: HistoryParts): HistoryItem[] {
  const start = Date.parse(startedAt);
  const ms = (iso: string | null) => (iso === null ? 0 : Date.parse(iso) - start);
  const items: HistoryItem[] = [
    ...p.requests.map((q) => ({ kind: "request" as const, atMs: q.sentAtMs, request: q })),
    ...p.faults.map((f) => ({ kind: "fault" as const, atMs: f.applied?.atMs ?? f.atMs, fault: f })),
    ...p.attempts.flatMap((i) =>
      i.attempts.flatMap((a): HistoryItem[] => {
        const attempt = {
          kind: "attempt" as const,
          invocationId: i.invocationId,
          target: i.target,
          number: a.number,
          outcome: a.outcome,
          error: a.error ? a.error.message.split("\n")[0]!.slice(0, 160) : null,
          retry: a.startedAt === null && a.retryOf !== null,
        };
        // A retry has no start of its own in Restate's records: it begins after the failure before it.
        const began = a.startedAt ?? a.retryOf;
        if (began !== null && a.endedAt !== null && a.endedAt !== began) {
          return [
            { ...attempt, moment: "began" as const, atMs: ms(began) },
            { ...attempt, moment: "ended" as const, atMs: ms(a.endedAt) },
          ];
        }
        if (began !== null && a.endedAt === null) return [{ ...attempt, moment: "open" as const, atMs: ms(began) }];
        return [{ ...attempt, moment: "end-only" as const, atMs: ms(a.endedAt ?? began) }];
      }),
    ),
    ...p.ledger.map((e) => ({ kind: "ledger" as const, atMs: ms(e.requestedAt ?? e.at), entry: e })),
  ];
  const order = { fault: 0, request: 1, attempt: 2, ledger: 3 };
  return items.sort((a, b) => a.atMs - b.atMs || order[a.kind] - order[b.kind]);
}

/** The payments in the order the table shows them: those that broke an invariant first, each group in natural order of id (…-2 before …-10). */
export function orderedPayments(r: ChaosResult): ChaosResult["payments"] {
  return [...r.payments].sort((a, b) => Number(b.broken.length > 0) - Number(a.broken.length > 0) || naturalCompare(a.paymentId, b.paymentId));
}
