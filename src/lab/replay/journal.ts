// An invocation's journal, read back through Restate's admin SQL API, for the panel's inspector.
import type { JournalEntry } from "../../shared/protocol.js";
import type { RestateCredential } from "../origins.js";
import { query } from "../restate-admin.js";

export async function journalOf(admin: string, invocationId: string, credential?: RestateCredential): Promise<JournalEntry[]> {
  // Ids go into SQL text: only Restate's own id alphabet is accepted.
  if (!/^inv_[A-Za-z0-9]+$/.test(invocationId)) throw new Error(`Not an invocation id: ${invocationId.slice(0, 60)}`);
  const rows = await query<{ index: number | string; entry_type: string; name: string | null; appended_at: string | null }>(
    admin,
    `SELECT index, entry_type, name, appended_at FROM sys_journal WHERE id = '${invocationId}' ORDER BY index`,
    { credential },
  );
  return rows.map((r) => ({ index: Number(r.index), type: r.entry_type, name: r.name ?? "", appendedAt: r.appended_at ?? null }));
}
