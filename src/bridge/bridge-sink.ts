import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
  type ReadWriteLogRecord,
} from '@opentelemetry/sdk-logs';
import type { BridgeLogRecord } from './otlp-to-audit-log-records.js';

/**
 * Where the bridge hands accepted records: the seam between the HTTP receiver and the export pipeline.
 * `pendingRecords` is what backpressure is computed from, so it must count every record handed over
 * and not yet done exporting (successfully or not).
 */
export interface BridgeSink {
  /** Records handed to `emit` whose export has not finished yet. */
  readonly pendingRecords: number;
  emit(records: readonly BridgeLogRecord[]): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Batching options of the default sink; the names and defaults are those of the sdk-logs BatchLogRecordProcessor. */
export interface BridgeBatchOptions {
  /** @default 512 (sdk-logs), records */
  maxExportBatchSize?: number;
  /** @default 1000 (sdk-logs), milliseconds */
  scheduledDelayMillis?: number;
  /** @default 30000 (sdk-logs), milliseconds */
  exportTimeoutMillis?: number;
}

/**
 * The default sink: the sdk-logs BatchLogRecordProcessor in front of `exporter`, with the exporter's
 * completions counted. The processor's queue is sized to `maxQueueSize` and the bridge never lets
 * `pendingRecords` exceed it, so the processor's silent drop on a full queue can never happen.
 */
export function createBatchSink(
  exporter: LogRecordExporter,
  maxQueueSize: number,
  batch: BridgeBatchOptions = {},
): BridgeSink {
  let pending = 0;
  const counting: LogRecordExporter = {
    export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
      let done = false;
      const finish = (result: ExportResult): void => {
        if (done) return;
        done = true;
        pending -= logs.length;
        resultCallback(result);
      };
      try {
        exporter.export(logs, finish);
      } catch (error) {
        finish({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      }
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
  const processor = new BatchLogRecordProcessor({
    exporter: counting,
    maxQueueSize,
    maxExportBatchSize: Math.min(batch.maxExportBatchSize ?? 512, maxQueueSize),
    ...(batch.scheduledDelayMillis === undefined ? {} : { scheduledDelayMillis: batch.scheduledDelayMillis }),
    ...(batch.exportTimeoutMillis === undefined ? {} : { exportTimeoutMillis: batch.exportTimeoutMillis }),
  });
  return {
    get pendingRecords() {
      return pending;
    },
    emit(records) {
      for (const record of records) {
        pending++;
        // The processor only reads records and never calls their setters: a plain record is enough.
        processor.onEmit(record as unknown as ReadWriteLogRecord);
      }
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
  };
}

/** A processor that can tell how many records it holds, e.g. the CloudTrailLakeLogRecordProcessor. */
export interface CountingLogRecordProcessor extends LogRecordProcessor {
  /** Records taken by `onEmit` whose export has not settled yet, including those in an export in flight. */
  readonly pendingRecords: number;
}

/**
 * A sink over any processor that counts what it holds, so the bridge can use a processor with a
 * durable spool. The processor must keep every record it is given while `pendingRecords` stays within
 * the bridge's `maxQueueSize` (size its own queue at least as large), or backpressure cannot hold.
 */
export function createProcessorSink(processor: CountingLogRecordProcessor): BridgeSink {
  return {
    get pendingRecords() {
      return processor.pendingRecords;
    },
    emit(records) {
      for (const record of records) processor.onEmit(record as unknown as ReadWriteLogRecord);
    },
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.shutdown(),
  };
}
