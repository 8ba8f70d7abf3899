// The gateway's ledger: an append-only JSON Lines file, one money movement per line.
// It is the lab's ground truth for "how many times was the customer charged".
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export type EntryType = "charge" | "refund";

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

export class Ledger {
  private readonly entries: LedgerEntry[] = [];
  private readonly fd: number;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    // The ledger is the ground truth: never read or append through a link to some other file.
    if (isLink(file)) throw new Error(`${file} is a symbolic link; the gateway keeps its ledger only in a plain file`);
    const { entries, endsCleanly } = readEntries(file);
    this.entries = entries;
    this.fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o644);
    if (!endsCleanly) writeSync(this.fd, "\n"); // keep the next entry off a torn line
  }

  all(): readonly LedgerEntry[] {
    return this.entries;
  }

  forPayment(paymentId: string): LedgerEntry[] {
    return this.entries.filter((e) => e.paymentId === paymentId);
  }

  /** The latest entry made with this key (there is more than one only when the gateway forgot the key). */
  findByKey(type: EntryType, idempotencyKey: string): LedgerEntry | undefined {
    return this.entries.findLast((e) => e.type === type && e.idempotencyKey === idempotencyKey);
  }

  /** Appends and fsyncs before returning: an entry the gateway answered with is on disk. */
  append(entry: Omit<LedgerEntry, "id" | "at" | "requestedAt">, requestedAt: string): LedgerEntry {
    const prefix = entry.type === "charge" ? "ch" : "re";
    const full: LedgerEntry = {
      id: `${prefix}_${String(this.entries.length + 1).padStart(6, "0")}`,
      ...entry,
      at: new Date().toISOString(),
      requestedAt,
    };
    writeSync(this.fd, JSON.stringify(full) + "\n");
    fsyncSync(this.fd);
    this.entries.push(full);
    return full;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function readEntries(file: string): { entries: LedgerEntry[]; endsCleanly: boolean } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], endsCleanly: true };
    throw err;
  }
  const entries: LedgerEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line) as LedgerEntry);
    } catch {
      // A torn last line from a crash mid-write: the gateway never answered for it.
    }
  }
  return { entries, endsCleanly: text === "" || text.endsWith("\n") };
}
