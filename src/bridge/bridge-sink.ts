import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { PipelineStats } from '../telemetry/pipeline-stats.js';
import type { BridgeLogRecord } from './otlp-to-audit-log-records.js';

/**
 * Where the bridge hands accepted records: the seam between the HTTP receiver and the export pipeline
 * (by default a CloudTrailLakeLogRecordProcessor). `pendingRecords` is what backpressure is computed
 * from, so it must count every record handed over and not yet done exporting (successfully or not).
 */
export interface BridgeSink {
  /** Records handed to `emit` whose export has not finished yet. */
  readonly pendingRecords: number;
  /**
   * Hands records to the pipeline. Returns how many of them it refused (dropped and counted, e.g. by a
   * full spool), so the bridge can report them to the client instead of answering as if kept.
   */
  emit(records: readonly BridgeLogRecord[]): number | void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  /** The pipeline's counters and gauges, for the bridge's `/metrics` and its count of lost records. */
  stats?(): Partial<PipelineStats>;
}

/** A processor that can tell how many records it holds, e.g. the CloudTrailLakeLogRecordProcessor. */
export interface CountingLogRecordProcessor extends LogRecordProcessor {
  /** Records taken by `onEmit` whose export has not settled yet, including those in an export in flight. */
  readonly pendingRecords: number;
  /** When present, `dropped` counts the records `onEmit` refused (queue or spool full). */
  getStats?(): { readonly dropped: number } & Partial<PipelineStats>;
}

/**
 * A sink over a processor that counts what it holds. The processor must keep every record it is given
 * while `pendingRecords` stays within the bridge's `maxQueueSize` (size its own queue at least as
 * large), or what it drops is only known through `getStats().dropped`.
 */
export function createProcessorSink(processor: CountingLogRecordProcessor): BridgeSink {
  return {
    get pendingRecords() {
      return processor.pendingRecords;
    },
    emit(records) {
      const before = processor.getStats?.().dropped ?? 0;
      // The processor only reads a record, and sets `audit.id` only when missing: the bridge sets it.
      for (const record of records) processor.onEmit(record as unknown as ReadWriteLogRecord);
      return (processor.getStats?.().dropped ?? 0) - before;
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
    stats: () => processor.getStats?.() ?? {},
  };
}
