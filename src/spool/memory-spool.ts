/**
 * The default spool: records live only in memory, as in any OTel batch processor, so a crash loses what
 * was queued. It tracks ids and append times, not records, so the application's thread pays one Map
 * insertion per record.
 */
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { Spool, SpoolEntry, SpoolStats } from './spool.js';

/** Creates the in-memory spool; `replay()` is always empty because nothing outlives the process. */
export function createMemorySpool(now: () => number = Date.now): Spool {
  // Insertion order is append order, so the first key is the oldest pending record.
  const pending = new Map<string, number>();
  const forget = (ids: Iterable<string>): void => {
    for (const id of ids) pending.delete(id);
  };
  return {
    append(id: string, _record: AuditLogRecord): boolean {
      pending.set(id, now());
      return true;
    },
    ack: forget,
    release: forget,
    replay: (): Promise<readonly SpoolEntry[]> => Promise.resolve([]),
    get size(): number {
      return pending.size;
    },
    stats(): SpoolStats {
      const oldest = pending.values().next();
      return {
        records: pending.size,
        bytes: 0,
        oldestAppendedAtMillis: oldest.done === true ? undefined : oldest.value,
        corruptRecords: 0,
        refused: 0,
      };
    },
    close(): Promise<void> {
      pending.clear();
      return Promise.resolve();
    },
  };
}
