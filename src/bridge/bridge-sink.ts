import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { AUDIT_ID_ATTRIBUTE } from '../mapping/event-id.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ChannelDestination } from '../pipeline/channel-destination.js';
import type { PipelineEntry, SendEntry } from '../pipeline/pipeline-entry.js';
import type { AuditDelivery } from '../processor/audit-delivery.js';
import type { PipelineStats } from '../telemetry/pipeline-stats.js';
import type { IntakePreparer } from './prepare-on-intake.js';

/**
 * Where the bridge hands admitted records: the seam between the HTTP receiver and the export pipeline
 * (by default the processor's delivery engine over the exporter's pipeline). `pendingRecords` is what
 * backpressure is computed from, so it must count every record handed over and not yet settled.
 */
export interface BridgeSink {
  /** Records handed to `emit` whose delivery has not settled yet. */
  readonly pendingRecords: number;
  /**
   * Present on the bridge's own sink: routes entries and maps, validates and serialises their records
   * where they enter, so that invalid records are reported to the client in `partialSuccess` and each
   * record is prepared once. What it keeps goes to `emit` with what it made of each entry.
   */
  readonly prepare?: IntakePreparer;
  /**
   * Hands entries (records under their decided event ids) to the pipeline; `ready`, when given, is what
   * this sink's `prepare` made of each of them, in the same order. Returns how many of them it refused
   * (dropped and counted, e.g. by a full spool), so the bridge can report them to the client.
   */
  emit(entries: readonly PipelineEntry[], ready?: readonly SendEntry[]): number | void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  /** The pipeline's counters and gauges, for the bridge's `/metrics` and its count of lost records. */
  stats?(): Partial<PipelineStats>;
}

/**
 * The default sink: the processor's delivery engine, which takes decided entries as they are. With
 * `prepare` (validation on intake), each entry's channel is decided and its record prepared there, once;
 * without it, `route` (the bridge's `routes`) decides each entry's channel here. Either way the channel
 * is decided where the entry enters the pipeline and before the spool keeps it, so a replay goes to the
 * same channel.
 */
export function createDeliverySink(
  delivery: AuditDelivery,
  stats: () => PipelineStats,
  route: ((record: AuditLogRecord) => ChannelDestination | undefined) | undefined,
  prepare: IntakePreparer | undefined,
): BridgeSink {
  return {
    get pendingRecords() {
      return delivery.pendingRecords;
    },
    ...(prepare === undefined ? {} : { prepare }),
    emit(entries, ready) {
      let refused = 0;
      entries.forEach((entry, index) => {
        const prepared = ready?.[index];
        const destination =
          prepared !== undefined || route === undefined || entry.route !== undefined
            ? undefined
            : route(entry.record);
        const routed = destination === undefined ? entry : { ...entry, route: destination };
        if (!delivery.take(routed, prepared)) refused++;
      });
      return refused;
    },
    forceFlush: () => delivery.forceFlush(),
    shutdown: () => delivery.shutdown(),
    stats,
  };
}

/** A processor that can tell how many records it holds. */
export interface CountingLogRecordProcessor extends LogRecordProcessor {
  /** Records taken by `onEmit` whose export has not settled yet, including those in an export in flight. */
  readonly pendingRecords: number;
  /** When present, `dropped` counts the records `onEmit` refused (queue or spool full). */
  readonly stats?: { readonly dropped: number } & Partial<PipelineStats>;
}

/**
 * A sink over any processor that counts what it holds. Such a processor only sees log records, so each
 * record carries its decided id in `audit.id`, set on a copy when it is not there yet.
 */
export function createProcessorSink(processor: CountingLogRecordProcessor): BridgeSink {
  return {
    get pendingRecords() {
      return processor.pendingRecords;
    },
    emit(entries) {
      const before = processor.stats?.dropped ?? 0;
      for (const { id, record } of entries) {
        const withId =
          record.attributes[AUDIT_ID_ATTRIBUTE] === id
            ? record
            : { ...record, attributes: { ...record.attributes, [AUDIT_ID_ATTRIBUTE]: id } };
        processor.onEmit(withId as unknown as ReadWriteLogRecord);
      }
      return (processor.stats?.dropped ?? 0) - before;
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
    stats: () => processor.stats ?? {},
  };
}
