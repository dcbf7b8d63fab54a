/**
 * Lets the sdk-logs BatchLogRecordProcessor keep more than one export in flight. The sdk starts the next
 * export only after the previous one called back, so preparing a batch (mapping, serialising, hashing:
 * CPU) and sending the one before it (a network round trip) never overlap. The exporter this hands to the
 * sdk calls back as soon as a batch is taken into the real export pipeline while fewer than
 * `maxConcurrentExports` exports run, and otherwise as soon as one of them finishes. The real outcome
 * still goes to the real export's own callback (counters, spool, dead letters); a failure the sdk no
 * longer waits for is reported to the OTel global error handler, as the sdk would have done.
 */
import { ExportResultCode, globalErrorHandler, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';

type Logs = Parameters<LogRecordExporter['export']>[0];
type ResultCallback = (result: ExportResult) => void;

export interface ExportHandOff {
  /** The exporter to give the batch processor. */
  readonly exporter: LogRecordExporter;
  /** Exports started through {@link ExportHandOff.exporter} whose real result has not come yet. */
  readonly inFlight: number;
  /** Resolves once every export started so far has its real result. Never rejects. */
  drain(): Promise<void>;
}

export function createExportHandOff(init: {
  /** Exports that may run at once; 1 gives the sdk's own behaviour (call back on the real result). */
  maxConcurrentExports: number;
  /** The real export: calls back once, with the real result. */
  export(logs: Logs, resultCallback: ResultCallback): void;
  /** Shuts the real exporter down (which waits, within its deadline, for the exports it runs). */
  shutdown(): Promise<void>;
}): ExportHandOff {
  const running = new Set<Promise<void>>();
  // Batch processor callbacks waiting for a free slot, oldest first.
  const held: Array<() => void> = [];

  const releaseOne = (): void => {
    if (running.size < init.maxConcurrentExports) held.shift()?.();
  };

  const exporter: LogRecordExporter = {
    export(logs, sdkCallback) {
      let handedOff = false;
      const handOff = (result: ExportResult): void => {
        if (handedOff) return;
        handedOff = true;
        sdkCallback(result);
      };
      let finish!: () => void;
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      running.add(done);
      const holder = (): void => handOff({ code: ExportResultCode.SUCCESS });
      init.export(logs, (result) => {
        running.delete(done);
        finish();
        if (handedOff) {
          if (result.code !== ExportResultCode.SUCCESS) {
            globalErrorHandler(result.error ?? new Error('CloudTrail Lake log record export failed'));
          }
        } else {
          const index = held.indexOf(holder);
          if (index >= 0) held.splice(index, 1);
          handOff(result);
        }
        releaseOne();
      });
      if (handedOff || !running.has(done)) return;
      if (running.size < init.maxConcurrentExports) holder();
      else held.push(holder);
    },
    // The batch processor's flush calls this between two batches; waiting here would make a flush (and
    // the drain at shutdown) run one export at a time. The processor waits through drain() instead.
    forceFlush: () => Promise.resolve(),
    shutdown: () => init.shutdown(),
  };

  return {
    exporter,
    get inFlight() {
      return running.size;
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
