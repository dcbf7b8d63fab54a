/**
 * The default spool: records live only in memory, so a crash loses what was pending, but while the
 * process lives nothing the exporter gave up on (an outage, throttling) is lost: released records stay
 * here and the processor sends them again with backoff. The processor bounds it by `maxQueueSize`.
 */
import type { PreparedEvent } from '../mapping/audit-event.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';
import type { Spool, SpoolEntry, SpoolStats } from './spool.js';

/**
 * One object per pending record, itself the entry handed back for redelivery: records wait here while
 * the rate limit paces their sends, long enough for the young-generation GC to copy and promote them,
 * so each object per record shows in the GC's share of a CPU profile. It holds the prepared event when
 * `append` is given one, not the SDK's log record and its attributes.
 */
type Held = SpoolEntry & { readonly appendedAtMillis: number };

/** Creates the in-memory spool; `replay()` is always empty because nothing outlives the process. */
export function createMemorySpool(now: () => number = Date.now): Spool {
  // Insertion order is append order, so the first value is the oldest pending record.
  const pending = new Map<string, Held>();
  // Released records, oldest first, until taken back for redelivery.
  const released = new Map<string, SpoolEntry>();
  return {
    durable: false,
    append(
      id: string,
      record: AuditLogRecord,
      route?: ChannelDestination,
      prepared?: PreparedEvent,
    ): boolean {
      const appendedAtMillis = now();
      let held: Held;
      if (prepared !== undefined) {
        held =
          route === undefined
            ? { id, prepared, appendedAtMillis }
            : { id, prepared, route, appendedAtMillis };
      } else {
        held =
          route === undefined ? { id, record, appendedAtMillis } : { id, record, route, appendedAtMillis };
      }
      pending.set(id, held);
      return true;
    },
    ack(ids) {
      for (const id of ids) {
        pending.delete(id);
        released.delete(id);
      }
    },
    release(ids) {
      for (const id of ids) {
        const held = pending.get(id);
        if (held !== undefined) released.set(id, held);
      }
    },
    takeReleased(max: number): SpoolEntry[] {
      const out: SpoolEntry[] = [];
      for (const [id, entry] of released) {
        if (out.length >= max) break;
        released.delete(id);
        out.push(entry);
      }
      return out;
    },
    replay: (): Promise<readonly SpoolEntry[]> => Promise.resolve([]),
    get size(): number {
      return pending.size;
    },
    stats(): SpoolStats {
      const oldest = pending.values().next();
      return {
        records: pending.size,
        bytes: 0,
        oldestAppendedAtMillis: oldest.done === true ? undefined : oldest.value.appendedAtMillis,
        corruptRecords: 0,
        refused: 0,
      };
    },
    close(): Promise<void> {
      pending.clear();
      released.clear();
      return Promise.resolve();
    },
  };
}
