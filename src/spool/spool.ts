/**
 * Where the processor keeps the audit records it has taken until the service has settled them.
 * The memory spool keeps them (and what the exporter gave up on) while the process lives; a
 * durable spool (`createFileSpool`) writes each record to disk before `emit()` returns, so records
 * survive a crash and are sent again at the next start. Delivery is then at-least-once, under the same
 * event `id` (and so the same UID fallback), which is how the service and a reader de-duplicate.
 */
import type { PreparedEvent } from '../mapping/audit-event.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';
import type { PreparedEntry } from '../pipeline/pipeline-entry.js';

/**
 * A record and the event id it keeps through every retry and restart: the record itself, or (from a
 * spool that keeps what `append` was given prepared, as the memory spool does) its prepared event.
 */
export type SpoolEntry = RecordSpoolEntry | PreparedEntry;

/** A spooled record, as a durable spool writes and reads it back. */
export interface RecordSpoolEntry {
  readonly id: string;
  readonly record: AuditLogRecord;
  /** The channel decided at entry, kept so that a replay goes to the same channel; absent: the exporter's own. */
  readonly route?: ChannelDestination | undefined;
  readonly prepared?: undefined;
}

/** What a spool holds right now, for the processor's stats and metrics. */
export interface SpoolStats {
  /** Records appended (or replayed) and not yet acked. */
  readonly records: number;
  /** Bytes the spool takes on disk (0 for a memory spool). */
  readonly bytes: number;
  /** When the oldest pending record was appended, in epoch milliseconds; undefined when empty. */
  readonly oldestAppendedAtMillis: number | undefined;
  /** Records found damaged (checksum, torn write) when the spool was opened, and skipped. */
  readonly corruptRecords: number;
  /** Appends refused because the spool was full (`maxBytes`). */
  readonly refused: number;
}

/**
 * The spool contract. `append` runs on the application's thread inside `onEmit`, so it must be cheap and
 * must not throw (an implementation that can fail reports through diag and its own counters).
 */
export interface Spool {
  /**
   * False for a spool that loses its records with the process (the memory spool): what it still holds
   * when `shutdown()` ends is counted as dropped (`shutdown_deadline`). Absent means durable.
   */
  readonly durable?: boolean;
  /**
   * Takes ownership of one accepted record under its final event id. Returns `false` when the spool
   * refuses the record (full): the processor then drops it and counts it as `dropped`. `prepared` is the
   * record's event, already mapped and validated: a spool that only keeps records while the process
   * lives may keep that instead of the record (it is all a send needs).
   */
  append(
    id: string,
    record: AuditLogRecord,
    route?: ChannelDestination,
    prepared?: PreparedEvent,
  ): boolean | void;
  /** The service accepted these events, or rejected them for good: forget them. */
  ack(ids: Iterable<string>): void;
  /**
   * The exporter gave up on these events for now (retries exhausted, deadline, shutdown). The spool
   * keeps them for {@link Spool.takeReleased} while the process runs and, if durable, for
   * {@link Spool.replay} at the next start.
   */
  release(ids: Iterable<string>): void;
  /** Records an earlier process appended but never settled; the processor sends them again at start. */
  replay(): Promise<readonly SpoolEntry[]>;
  /**
   * Up to `max` released records to send again now; they count as in flight until acked or released
   * again. Absent on spools that do not keep released records.
   */
  takeReleased?(max: number): SpoolEntry[];
  /** Records appended and not yet acked or released. */
  readonly size: number;
  /** Counters and gauges for telemetry. Optional so that simple custom spools stay simple. */
  stats?(): SpoolStats;
  /** Flushes and closes the spool; called once, at the end of the processor's shutdown. */
  close(): Promise<void>;
}
