// A Spool that records every call, for tests of the processor's spool hook; `leftOver` plays the part of
// records a durable spool kept from an earlier run.
import type { AuditLogRecord } from '../../src/mapping/audit-log-record.js';
import type { Spool, SpoolEntry } from '../../src/spool/spool.js';

export interface RecordingSpool extends Spool {
  appended: string[];
  acked: string[];
  released: string[];
  closed: number;
}

export function createRecordingSpool(leftOver: readonly SpoolEntry[] = []): RecordingSpool {
  const pending = new Set<string>();
  const spool: RecordingSpool = {
    appended: [],
    acked: [],
    released: [],
    closed: 0,
    append(id: string, _record: AuditLogRecord) {
      spool.appended.push(id);
      pending.add(id);
    },
    ack(ids) {
      for (const id of ids) {
        spool.acked.push(id);
        pending.delete(id);
      }
    },
    release(ids) {
      for (const id of ids) {
        spool.released.push(id);
        pending.delete(id);
      }
    },
    replay: () => Promise.resolve(leftOver),
    get size() {
      return pending.size;
    },
    close() {
      spool.closed += 1;
      return Promise.resolve();
    },
  };
  return spool;
}
