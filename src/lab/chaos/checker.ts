// Judges a chaos run from the evidence (the gateway's ledger and the answers the clients got),
// not from the lab's own counters, in the manner of a Jepsen checker: each invariant over
// every payment, and for each violation the slice of history that shows it.
import type { ChaosInvariant, ChaosPayment, ChaosRequest } from "../../shared/chaos-result.js";
import type { LedgerEntry } from "../../shared/run-result.js";
import { counted } from "../../shared/wording.js";

export interface Evidence {
  requests: ChaosRequest[];
  ledger: LedgerEntry[];
  paymentIds: string[];
}

interface Rule {
  name: string;
  promise: string;
  /** Payment ids that break it, each with what the evidence shows. */
  check(p: PaymentEvidence): string | null;
}

interface PaymentEvidence {
  paymentId: string;
  requests: ChaosRequest[];
  ledger: LedgerEntry[];
}

const ok = (r: ChaosRequest) => r.status !== null && r.status >= 200 && r.status < 300;
const canonical = (v: unknown) =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
  );

export const RULES: Rule[] = [
  {
    name: "charged exactly once",
    promise: "every payment that was answered is charged once in the ledger, and none twice",
    check: (p) => {
      const charges = p.ledger.filter((e) => e.type === "charge");
      const answered = p.requests.some((r) => r.handler === "create" && ok(r));
      if (charges.length > 1) return `${charges.length} charges in the ledger (${charges.map((c) => c.id).join(", ")})`;
      if (answered && charges.length === 0) return "answered as charged, but no charge in the ledger";
      return null;
    },
  },
  {
    name: "one answer per key",
    promise: "every answer to a key is the first answer stored for it",
    check: (p) => {
      const byKey = new Map<string, Set<string>>();
      for (const r of p.requests.filter((x) => x.idempotencyKey !== null && ok(x))) {
        const answers = byKey.get(r.idempotencyKey!) ?? new Set<string>();
        answers.add(canonical(r.response));
        byKey.set(r.idempotencyKey!, answers);
      }
      const split = [...byKey].filter(([, answers]) => answers.size > 1);
      return split.length > 0 ? `key ${split[0]![0]} got ${split[0]![1].size} different answers` : null;
    },
  },
  {
    name: "no request lost",
    promise: "every request got an answer, or failed with a reason the client could see",
    check: (p) => {
      const lost = p.requests.filter((r) => r.status === null && !r.error);
      return lost.length > 0 ? `${counted(lost.length, "request")} ended with neither an answer nor an error` : null;
    },
  },
  {
    name: "answers match the ledger",
    promise: "a charge an answer names is in the ledger",
    check: (p) => {
      const ids = new Set(p.ledger.map((e) => e.id));
      const named = p.requests
        .filter(ok)
        .map((r) => (r.response as { chargeId?: unknown } | null)?.chargeId)
        .filter((id): id is string => typeof id === "string");
      const missing = named.find((id) => !ids.has(id));
      return missing ? `an answer names charge ${missing}, which the ledger does not hold` : null;
    },
  },
  {
    name: "refunds never exceed charges",
    promise: "no payment is refunded more than it was charged",
    check: (p) => {
      const sum = (type: LedgerEntry["type"]) => p.ledger.filter((e) => e.type === type).reduce((n, e) => n + e.amount, 0);
      return sum("refund") > sum("charge") ? `refunded ${sum("refund")} of ${sum("charge")} charged` : null;
    },
  },
];

export interface Verdicts {
  payments: ChaosPayment[];
  invariants: ChaosInvariant[];
  /** One entry per (payment, broken rule), with what the evidence shows. */
  broken: Array<{ invariant: string; paymentId: string; summary: string }>;
}

export function check(evidence: Evidence): Verdicts {
  const payments: ChaosPayment[] = [];
  const broken: Verdicts["broken"] = [];
  for (const paymentId of evidence.paymentIds) {
    const p: PaymentEvidence = {
      paymentId,
      requests: evidence.requests.filter((r) => r.paymentId === paymentId),
      ledger: evidence.ledger.filter((e) => e.paymentId === paymentId),
    };
    const failed = RULES.map((rule) => ({ rule, summary: rule.check(p) })).filter((x) => x.summary !== null);
    for (const f of failed) broken.push({ invariant: f.rule.name, paymentId, summary: f.summary! });
    payments.push({
      paymentId,
      requests: p.requests.map((r) => r.index),
      charges: p.ledger.filter((e) => e.type === "charge").length,
      chargedAmount: p.ledger.filter((e) => e.type === "charge").reduce((n, e) => n + e.amount, 0),
      refundedAmount: p.ledger.filter((e) => e.type === "refund").reduce((n, e) => n + e.amount, 0),
      broken: failed.map((f) => f.rule.name),
    });
  }
  const invariants = RULES.map((rule) => {
    const violations = broken.filter((b) => b.invariant === rule.name).length;
    return { name: rule.name, promise: rule.promise, holds: violations === 0, violations };
  });
  return { payments, invariants, broken };
}

// One rule for the checker's histories and the panel's: the webview draws the same slice.
export { faultsAround } from "../../shared/chaos-record.js";
