// The gateway's ledger: an append-only JSON Lines file, one money movement per line.
// It is the lab's ground truth for "how many times was the customer charged".
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ledgerEntryProblem, type EntryType, type LedgerEntry } from "./contract.ts";

export type { EntryType, LedgerEntry } from "./contract.ts";

export class Ledger {
  private readonly entries: LedgerEntry[] = [];
  private readonly fd: number;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    // The ledger is the ground truth: never read or append through a link to some other file.
    if (isLink(file)) throw new Error(`${file} is a symbolic link; the gateway keeps its ledger only in a plain file`);
    const { entries, torn, endsMidLine } = readEntries(file);
    if (torn) setTornLineAside(file, torn);
    this.entries = entries;
    this.fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o644);
    if (endsMidLine) writeSync(this.fd, "\n"); // a whole entry whose newline never made it: keep the next one off its line
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

/** An incomplete last line: where it starts (bytes) and its line number. */
interface TornLine {
  offset: number;
  line: number;
  text: string;
}

/**
 * Every entry of the file. The last line may be torn (the gateway died while writing it, so it
 * never answered for it): it is returned apart. Any other line that is not an entry is a corrupt
 * ledger, and the gateway must not append after it: that throws, naming the line.
 */
function readEntries(file: string): { entries: LedgerEntry[]; torn: TornLine | null; endsMidLine: boolean } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], torn: null, endsMidLine: false };
    throw err;
  }
  const entries: LedgerEntry[] = [];
  const lines = text.split("\n");
  let offset = 0;
  for (const [i, line] of lines.entries()) {
    const last = i === lines.length - 1;
    if (line.trim() !== "") {
      const entry = parseEntry(line);
      if (entry) entries.push(entry);
      else if (last) return { entries, torn: { offset, line: i + 1, text: line }, endsMidLine: false }; // no newline after it: cut short
      else {
        throw new Error(
          `${file}: line ${i + 1} is not a ledger entry (${JSON.stringify(line.slice(0, 80))}). The gateway will not append after a corrupt line; ` +
            `fix or remove that line (the file was left as it is), then start it again.`,
        );
      }
    }
    offset += Buffer.byteLength(line, "utf8") + 1;
  }
  return { entries, torn: null, endsMidLine: text !== "" && !text.endsWith("\n") };
}

function parseEntry(line: string): LedgerEntry | null {
  try {
    const e: unknown = JSON.parse(line);
    return ledgerEntryProblem(e) === null ? (e as LedgerEntry) : null;
  } catch {
    return null;
  }
}

/** Moves a torn last line to a file beside the ledger (nothing is lost) and cuts it off the ledger. */
function setTornLineAside(file: string, torn: TornLine): void {
  const aside = `${file}.torn-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  writeFileSync(aside, torn.text, { flag: "wx" });
  truncateSync(file, torn.offset);
  console.warn(`WARN: ${file}: line ${torn.line} was incomplete (the gateway stopped while writing it, so it never answered for it); it was moved to ${aside}`);
}
