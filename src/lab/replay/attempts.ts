// Every attempt of every invocation of a run, read from Restate's own records: the
// invocation (sys_invocation), the transient failures Restate recorded between attempts
// (sys_journal_events, what Restate's UI draws on its timeline) and the journal (sys_journal).
// Each ledger entry is then tied to the attempt that made it and to the journal entry that
// records it; a charge with no trace in the journal is the anti-pattern made visible.
import type { AttemptRecord, InvocationAttempts, JournalTrace, LedgerEntry, LedgerLink } from "../../shared/run-result.js";
import type { RestateCredential } from "../origins.js";
import { query } from "../restate-admin.js";

interface InvocationRow {
  id: string;
  target: string;
  status: string;
  running_at: string | null;
  completed_at: string | null;
  modified_at: string | null;
  journal_size: number | string | null;
}

interface EventRow {
  id: string;
  after_journal_entry_index: number | string | null;
  appended_at: string;
  event_type: string;
  event_json: string;
}

interface JournalRow {
  id: string;
  index: number | string;
  entry_type: string;
  name: string | null;
  appended_at: string | null;
  entry_json: string | null;
}

export interface AttemptsOf {
  invocations: InvocationAttempts[];
  ledgerLinks: LedgerLink[];
}

/** Invocation ids go into SQL text: only Restate's own id alphabet. */
const INVOCATION_ID = /^inv_[A-Za-z0-9]+$/;
/** Object keys go into SQL text too: the lab's payment ids (protocol-checked) never hold a quote. */
const SAFE_KEY = /^[A-Za-z0-9._~-]+$/;

export async function attemptsOf(admin: string, paymentIds: string[], ledger: LedgerEntry[], credential?: RestateCredential): Promise<AttemptsOf> {
  const keys = paymentIds.filter((k) => SAFE_KEY.test(k));
  if (keys.length === 0) return { invocations: [], ledgerLinks: [] };
  const inKeys = keys.map((k) => `'${k}'`).join(", ");
  const [rows, events] = await Promise.all([
    query<InvocationRow>(
      admin,
      `SELECT id, target, status, running_at, completed_at, modified_at, journal_size FROM sys_invocation WHERE target_service_key IN (${inKeys}) ORDER BY created_at`,
      { credential },
    ),
    query<EventRow>(
      admin,
      `SELECT e.id, e.after_journal_entry_index, e.appended_at, e.event_type, e.event_json FROM sys_journal_events e JOIN sys_invocation i ON e.id = i.id WHERE i.target_service_key IN (${inKeys}) ORDER BY e.appended_at`,
      { credential },
    ),
  ]);
  const invocations = rows
    .filter((r) => INVOCATION_ID.test(r.id))
    .map((row) =>
      attemptsFor(
        row,
        events.filter((e) => e.id === row.id),
      ),
    );

  // Which attempt made each ledger entry: one whose time window holds the moment the gateway got
  // the request (a slow gateway records it later, maybe after a crash ended that attempt).
  // Windows of several invocations can hold it (a workflow and the call it waits on): the one
  // whose journal records the entry is preferred.
  const made = ledger.map((entry) => ({ entry, candidates: attemptsAt(invocations, entry.requestedAt ?? entry.at) }));
  // The journals of those invocations only: a burst of 1,000 keyless calls has 1,000 invocations, but few charges.
  const ids = [...new Set(made.flatMap((m) => m.candidates.map((c) => c.invocation.invocationId)))];
  const journal =
    ids.length === 0
      ? []
      : await query<JournalRow>(
          admin,
          `SELECT id, index, entry_type, name, appended_at, entry_json FROM sys_journal WHERE id IN (${ids.map((id) => `'${id}'`).join(", ")}) ORDER BY index`,
          { credential },
        );
  const ledgerLinks = made.map(({ entry, candidates }) => {
    const traced = candidates.map((by) => ({
      by,
      trace: traceOf(
        entry.id,
        journal.filter((j) => j.id === by.invocation.invocationId),
      ),
    }));
    const best = traced.find((t) => t.trace?.inRun) ?? traced.find((t) => t.trace !== null) ?? traced[0];
    return {
      ledgerId: entry.id,
      invocationId: best?.by.invocation.invocationId ?? null,
      attempt: best?.by.attempt.number ?? null,
      journal: best?.trace ?? null,
    };
  });
  return { invocations, ledgerLinks };
}

/** One invocation's attempts: each recorded failure ends one, the completion (or now) ends the last. */
export function attemptsFor(row: InvocationRow, events: EventRow[]): InvocationAttempts {
  const failures = events.filter((e) => e.event_type === "TransientError");
  const journalSize = row.journal_size === null ? null : Number(row.journal_size);
  const attempts: AttemptRecord[] = [];
  let firstEntry = 0;
  for (const [i, failure] of failures.entries()) {
    const detail = parseEvent(failure.event_json);
    const after = failure.after_journal_entry_index === null ? null : Number(failure.after_journal_entry_index);
    attempts.push({
      number: i + 1,
      startedAt: i === 0 ? row.running_at : null,
      retryOf: i === 0 ? null : (failures[i - 1]!.appended_at ?? null),
      endedAt: failure.appended_at,
      outcome: "failed",
      error: detail,
      entries: after !== null && after >= firstEntry ? { first: firstEntry, last: after } : null,
    });
    if (after !== null) firstEntry = Math.max(firstEntry, after + 1);
  }
  const done = row.status === "completed";
  const last = failures.at(-1);
  attempts.push({
    number: failures.length + 1,
    startedAt: failures.length === 0 ? row.running_at : null,
    retryOf: last?.appended_at ?? null,
    endedAt: done ? row.completed_at : null,
    outcome: done ? "completed" : row.status === "paused" ? "paused" : "running",
    error: null,
    entries: journalSize !== null && journalSize > firstEntry ? { first: firstEntry, last: journalSize - 1 } : null,
  });
  return { invocationId: row.id, target: row.target, status: row.status, attempts };
}

/** The attempts that were running at `at` (after the previous attempt ended, until their own end), at most one per invocation. */
function attemptsAt(invocations: InvocationAttempts[], at: string): Array<{ invocation: InvocationAttempts; attempt: AttemptRecord }> {
  const t = Date.parse(at);
  const found: Array<{ invocation: InvocationAttempts; attempt: AttemptRecord }> = [];
  for (const invocation of invocations) {
    const attempt = invocation.attempts.find((a) => {
      const from = Date.parse(a.startedAt ?? a.retryOf ?? "");
      const to = a.endedAt === null ? Infinity : Date.parse(a.endedAt);
      return Number.isFinite(from) && t >= from && t <= to;
    });
    if (attempt) found.push({ invocation, attempt });
  }
  return found;
}

/**
 * The journal entry that holds a ledger entry: a ctx.run whose result *is* that entry (the
 * gateway answered the step with it, so the step made it, or a retry got it back for the same
 * key). Null otherwise, even when its id is mentioned elsewhere (in state, in the answer, in
 * another step's input, as a charge made outside ctx.run is by the receipt step after it):
 * a mention records the id, not the money movement, so Restate would not replay it.
 */
export function traceOf(ledgerId: string, entries: JournalRow[]): JournalTrace | null {
  const run = entries.find((e) => e.entry_type === "Notification: Run" && resultOf(e.entry_json).includes(`"id":"${ledgerId}"`));
  if (!run) return null;
  // A Run notification names no step; its command does (same completion id).
  const completion = completionIdOf(run.entry_json);
  const command = entries.find((e) => e.entry_type === "Command: Run" && completionIdOf(e.entry_json) === completion);
  return {
    index: Number(run.index),
    type: run.entry_type,
    name: command?.name ?? run.name ?? "",
    inRun: true,
    appendedAt: run.appended_at,
  };
}

/** The text of a Run notification's successful result only (not a failure's message). */
function resultOf(entryJson: string | null): string {
  try {
    const parsed = JSON.parse(entryJson ?? "") as { Notification?: { Completion?: { Run?: { result?: { Success?: unknown } } } } };
    const success = parsed.Notification?.Completion?.Run?.result?.Success;
    return success === undefined ? journalText(entryJson) : journalText(JSON.stringify(success));
  } catch {
    return "";
  }
}

/** The text of a journal entry's payloads: Restate shows them as arrays of bytes. */
export function journalText(entryJson: string | null): string {
  if (!entryJson) return "";
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      if (v.length > 0 && v.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) out.push(Buffer.from(v as number[]).toString("utf8"));
      else v.forEach(walk);
    } else if (typeof v === "object" && v !== null) Object.values(v).forEach(walk);
  };
  try {
    walk(JSON.parse(entryJson));
  } catch {
    return "";
  }
  return out.join("\n");
}

function completionIdOf(entryJson: string | null): number | null {
  const match = /"completion_id":(\d+)/.exec(entryJson ?? "");
  return match ? Number(match[1]) : null;
}

function parseEvent(json: string): AttemptRecord["error"] {
  try {
    const e = JSON.parse(json) as {
      error_code?: number;
      error_message?: string;
      restate_doc_error_code?: string;
      related_command_index?: number;
      related_command_name?: string;
      related_command_type?: string;
    };
    return {
      code: e.error_code ?? null,
      message: e.error_message ?? "",
      restateCode: e.restate_doc_error_code ?? null,
      command:
        e.related_command_index === undefined
          ? null
          : { index: e.related_command_index, name: e.related_command_name ?? "", type: e.related_command_type ?? "" },
    };
  } catch {
    return { code: null, message: json.slice(0, 500), restateCode: null, command: null };
  }
}
