/**
 * Where the processor keeps the audit records it has accepted until the service has settled them.
 * The memory spool holds only the bookkeeping (records already live in the batch processor's queue); a
 * durable spool (a file) can be plugged in through the same interface so that records survive a crash
 * and are sent again at the next start. Delivery is then at-least-once, under the same event `id`.
 */
import type { AuditLogRecord } from '../mapping/audit-log-record.js';

/** A record and the event id it keeps through every retry and restart. */
export interface SpoolEntry {
  readonly id: string;
  readonly record: AuditLogRecord;
}

/**
 * The spool contract. `append` runs on the application's thread inside `onEmit`, so it must be cheap and
 * must not throw (an implementation that can fail reports through diag and its own counters).
 */
export interface Spool {
  /** Takes ownership of one accepted record under its final event id. */
  append(id: string, record: AuditLogRecord): void;
  /** The service accepted these events, or rejected them for good: forget them. */
  ack(ids: Iterable<string>): void;
  /**
   * The exporter gave up on these events (retries exhausted, deadline, shutdown). A memory spool forgets
   * them (they are counted as `failed`); a durable spool keeps them for {@link Spool.replay}.
   */
  release(ids: Iterable<string>): void;
  /** Records an earlier process appended but never settled; the processor sends them again at start. */
  replay(): Promise<readonly SpoolEntry[]>;
  /** Records appended and not yet acked or released. */
  readonly size: number;
  /** Flushes and closes the spool; called once, at the end of the processor's shutdown. */
  close(): Promise<void>;
}
