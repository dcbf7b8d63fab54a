/**
 * The default spool: records live only in memory, as in any OTel batch processor, so a crash loses what
 * was queued. It tracks ids and append times, not records, so the application's thread pays one Map
 * insertion per record. The clock is read once per burst of appends, not once per record: appends in one
 * synchronous run (up to STAMP_REUSE_LIMIT of them) share the time of the first, which can only make the
 * oldest pending age look older than it is, by at most the length of that run.
 */
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { Spool, SpoolEntry, SpoolStats } from './spool.js';

/** Appends that may share one clock read before the clock is read again, even within one run. */
const STAMP_REUSE_LIMIT = 256;

/** Creates the in-memory spool; `replay()` is always empty because nothing outlives the process. */
export function createMemorySpool(now: () => number = Date.now): Spool {
  // Insertion order is append order, so the first key is the oldest pending record.
  const pending = new Map<string, number>();
  let stamp = 0;
  let stampUses = 0;
  const expireStamp = (): void => {
    stampUses = 0;
  };
  const forget = (ids: Iterable<string>): void => {
    for (const id of ids) pending.delete(id);
  };
  return {
    append(id: string, _record: AuditLogRecord): boolean {
      if (stampUses === 0) {
        stamp = now();
        // The run ends at the next microtask checkpoint: records appended later read the clock again.
        queueMicrotask(expireStamp);
        stampUses = STAMP_REUSE_LIMIT;
      }
      stampUses -= 1;
      pending.set(id, stamp);
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
