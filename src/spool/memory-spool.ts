/**
 * The default spool: records live only in memory, as in any OTel batch processor, so a crash loses what
 * was queued. It tracks ids, not records, so the application's thread pays one Set insertion per record.
 */
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { Spool, SpoolEntry } from './spool.js';

/** Creates the in-memory spool; `replay()` is always empty because nothing outlives the process. */
export function createMemorySpool(): Spool {
  const pending = new Set<string>();
  const forget = (ids: Iterable<string>): void => {
    for (const id of ids) pending.delete(id);
  };
  return {
    append(id: string, _record: AuditLogRecord): void {
      pending.add(id);
    },
    ack: forget,
    release: forget,
    replay: (): Promise<readonly SpoolEntry[]> => Promise.resolve([]),
    get size(): number {
      return pending.size;
    },
    close(): Promise<void> {
      pending.clear();
      return Promise.resolve();
    },
  };
}
