// The run records (scenario and chaos runs) the panel holds: a few, since a 10,000-request record is megabytes.
import type { AnyRunRecord } from "../../shared/protocol.js";

/**
 * A small most-recently-used cache of run records. Immutable, so the panel's state can hold it:
 * put and touch return a new cache.
 */
export class RunCache {
  constructor(
    private readonly capacity = 6,
    /** Least recently used first. */
    private readonly records: readonly AnyRunRecord[] = [],
  ) {}

  get(runId: string): AnyRunRecord | undefined {
    return this.records.find((r) => r.runId === runId);
  }

  has(runId: string): boolean {
    return this.get(runId) !== undefined;
  }

  /** Stores a record; `keep` names run ids that must not be evicted (the ones on screen). */
  put(record: AnyRunRecord, keep: readonly (string | null)[] = []): RunCache {
    const records = [...this.records.filter((r) => r.runId !== record.runId), record];
    for (const r of [...records]) {
      if (records.length <= this.capacity) break;
      if (r.runId !== record.runId && !keep.includes(r.runId)) records.splice(records.indexOf(r), 1);
    }
    return new RunCache(this.capacity, records);
  }

  /** Marks a record as just used, the last to be evicted. */
  touch(runId: string): RunCache {
    const record = this.get(runId);
    return record ? new RunCache(this.capacity, [...this.records.filter((r) => r !== record), record]) : this;
  }

  get size(): number {
    return this.records.length;
  }
}
