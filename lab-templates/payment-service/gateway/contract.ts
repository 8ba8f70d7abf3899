// The gateway's HTTP contract: the shapes of what it answers and the faults it takes, defined
// once. The gateway, the service's client (src/types.ts), the lab's tests and the extension's
// engine all import these; whoever reads /ledger from another process checks it with
// parseLedger before believing it.

export type EntryType = "charge" | "refund";

/** One money movement, one line of the ledger: what /charges and /refunds answer, what /ledger lists. */
export interface LedgerEntry {
  id: string;
  type: EntryType;
  paymentId: string;
  amount: number;
  currency: string;
  idempotencyKey: string | null;
  /** When the money moved: the entry was recorded. */
  at: string;
  /** When the request reached the gateway, before any injected latency (absent in ledgers written before it existed). */
  requestedAt?: string;
}

/** A payment receipt sent through the gateway (think: the confirmation email): what /receipts answers and lists. */
export interface Receipt {
  id: string;
  paymentId: string;
  chargeId: string;
  idempotencyKey: string | null;
  at: string;
}

/** What POST /faults takes (every field a count or milliseconds, 0 = off); GET /faults answers all of them. */
export interface Faults {
  /** The next N charge or refund calls answer 503 and record nothing. */
  failNext: number;
  /** Every charge or refund waits this long first. */
  latencyMs: number;
  /** The next N charges are recorded, and then no answer ever comes. */
  timeoutAfterCharge: number;
  /** Every receipt waits this long. */
  receiptLatencyMs: number;
  /** The next N receipts are refused with 422. */
  refuseReceipts: number;
  /**
   * An Idempotency-Key on a charge, refund or receipt protects for this long after its first use, as
   * a real gateway or email provider forgets keys after a day or so; 0 (the default) keeps them forever.
   */
  keyRetentionMs: number;
  /** The next N answers to charge calls never come, also for a retry that found its charge by key: an outage after the charge. */
  loseChargeAnswers: number;
  /** The next N receipts are sent, then their answer never comes: was the email sent? */
  loseReceiptAnswers: number;
}

/** What is wrong with a value that claims to be a ledger entry, or null when it is one. */
export function ledgerEntryProblem(e: unknown): string | null {
  if (typeof e !== "object" || e === null || Array.isArray(e)) return "is not an object";
  const x = e as Record<string, unknown>;
  if (typeof x.id !== "string") return "has no string id";
  if (x.type !== "charge" && x.type !== "refund") return `has type ${JSON.stringify(x.type)}, not "charge" or "refund"`;
  if (typeof x.paymentId !== "string") return "has no string paymentId";
  if (!Number.isSafeInteger(x.amount)) return "has no whole-number amount";
  if (typeof x.currency !== "string") return "has no string currency";
  if (x.idempotencyKey !== null && typeof x.idempotencyKey !== "string") return "has an idempotencyKey that is neither a string nor null";
  if (typeof x.at !== "string") return "has no string at";
  if (x.requestedAt !== undefined && typeof x.requestedAt !== "string") return "has a requestedAt that is not a string";
  return null;
}

/** A /ledger answer, checked entry by entry; throws an Error naming the first entry that is not one. */
export function parseLedger(value: unknown): LedgerEntry[] {
  if (!Array.isArray(value)) throw new Error("the gateway's ledger is not a list");
  value.forEach((e, i) => {
    const problem = ledgerEntryProblem(e);
    if (problem) throw new Error(`the gateway's ledger entry ${i} ${problem}`);
  });
  return value as LedgerEntry[];
}
