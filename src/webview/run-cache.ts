// The run records the panel holds: a few, since a 10,000-request record is megabytes.
import type { RunRecord } from "../shared/protocol.js";

/** A small most-recently-used cache of run records (a 10,000-request record is megabytes). */
export class RunCache {
  private readonly records = new Map<string, RunRecord>();
  constructor(private readonly capacity = 6) {}

  get(runId: string): RunRecord | undefined {
    const r = this.records.get(runId);
    if (r) {
      this.records.delete(runId);
      this.records.set(runId, r);
    }
    return r;
  }

  has(runId: string): boolean {
    return this.records.has(runId);
  }

  /** Stores a record; `keep` names run ids that must not be evicted (the ones on screen). */
  put(record: RunRecord, keep: readonly (string | null)[] = []): void {
    this.records.delete(record.runId);
    this.records.set(record.runId, record);
    for (const id of [...this.records.keys()]) {
      if (this.records.size <= this.capacity) break;
      if (id !== record.runId && !keep.includes(id)) this.records.delete(id);
    }
  }

  get size(): number {
    return this.records.size;
  }
}
