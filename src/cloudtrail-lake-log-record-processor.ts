/**
 * The processor adapter: the sdk-logs BatchLogRecordProcessor, plus what it lacks for audit records.
 * In `onEmit` it skips non-audit records before they take queue space, fixes each record's event id (kept
 * per record object, not written into the record), counts the records a full queue drops (the sdk drops
 * silently), and hands each record to the spool. It keeps up to `maxConcurrentExports` exports in flight,
 * where the sdk runs one at a time. With a durable spool it replays what an earlier run left and sends
 * again what the exporter gave up on. It also reads OTEL_BLRP_*, which the sdk processor does not.
 */
import type { Context } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadWriteLogRecord,
} from '@opentelemetry/sdk-logs';
import type { CloudTrailLakeLogExporter } from './cloudtrail-lake-log-exporter.js';
import { ConfigError } from './errors.js';
import { createExportHandOff, type ExportHandOff } from './export/export-hand-off.js';
import { getExporterInternals, type ExporterInternals } from './export/exporter-internals.js';
import { createRandomEventIdSource } from './export/random-event-id.js';
import { shutdownOnSignals } from './export/shutdown-on-signals.js';
import { componentLogger } from './internal/diag.js';
import type { AuditLogRecord } from './mapping/audit-log-record.js';
import { AUDIT_ID_ATTRIBUTE, resolveEventId } from './mapping/event-id.js';
import {
  resolveProcessorOptions,
  type CloudTrailLakeLogRecordProcessorOptionsBase,
  type ResolvedProcessorOptions,
} from './options.js';
import { resolveSpool, type SpoolOption } from './spool/resolve-spool.js';
import { createSpoolRedelivery, type SpoolRedelivery } from './spool/spool-redelivery.js';
import type { Spool, SpoolEntry } from './spool/spool.js';
import { registerPipelineGauges, type PipelineStats } from './telemetry/pipeline-stats.js';

const logger = componentLogger('CloudTrailLakeLogRecordProcessor');

/** Options of {@link CloudTrailLakeLogRecordProcessor}. */
export interface CloudTrailLakeLogRecordProcessorOptions extends CloudTrailLakeLogRecordProcessorOptionsBase {
  /** The exporter the batches go to. */
  exporter: CloudTrailLakeLogExporter;
  /**
   * Where accepted records are kept until settled: `{ directory, maxBytes?, fsync? }` for the durable
   * file spool (see FileSpoolOptions), or any Spool. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY`.
   * @default an in-memory spool (records queued at a crash are lost)
   */
  spool?: SpoolOption;
}

/**
 * Batches audit records for a {@link CloudTrailLakeLogExporter}. Register it first among the
 * processors when others mutate records, and call `provider.shutdown()` on exit (or set
 * `shutdownOnSignals`): queued records are lost otherwise.
 */
export class CloudTrailLakeLogRecordProcessor implements LogRecordProcessor {
  readonly #options: ResolvedProcessorOptions;
  readonly #internals: ExporterInternals;
  readonly #exporter: CloudTrailLakeLogExporter;
  readonly #batch: BatchLogRecordProcessor;
  readonly #handOff: ExportHandOff;
  readonly #spool: Spool;
  readonly #removeSettleListener: () => void;
  readonly #removeSignalHandlers: () => void;
  readonly #removeGauges: () => void;
  readonly #redelivery: SpoolRedelivery;
  readonly #replayed: Promise<void>;
  readonly #newId = createRandomEventIdSource();
  /**
   * Records handed to the batch processor and not yet to the exporter: never below the sdk's own queue
   * length, so the sdk never drops a record we have not counted.
   */
  #queued = 0;
  /** Records in exports (batches, replays, redeliveries) whose result callback has not come yet. */
  #exporting = 0;
  #closed = false;
  #shutdownPromise: Promise<void> | undefined;
  #droppedSinceWarning = 0;
  #lastDropWarningMillis = Number.NEGATIVE_INFINITY;

  /**
   * @throws ConfigError when `exporter` is not a CloudTrailLakeLogExporter or an option is out of range;
   *   CloudTrailLakeError `CTL_ERR_SPOOL` when the spool directory is in use by another process.
   */
  constructor(
    options: CloudTrailLakeLogRecordProcessorOptions,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    const internals = getExporterInternals(options?.exporter ?? {});
    if (internals === undefined) {
      throw new ConfigError('exporter', 'Expected `exporter` to be a CloudTrailLakeLogExporter');
    }
    this.#options = resolveProcessorOptions(options, env);
    this.#internals = internals;
    this.#exporter = options.exporter;
    this.#spool = resolveSpool(options.spool, this.#options.envSpool);

    const exportTimeoutMillis = this.#options.exportTimeoutMillis;
    if (internals.timeoutMillis() >= exportTimeoutMillis) {
      // Otherwise the sdk processor gives up on an export we still run and starts the next one on top.
      const lowered = Math.max(1, Math.floor(exportTimeoutMillis * 0.9));
      logger.warn(
        `The exporter's timeoutMillis (${internals.timeoutMillis()} ms) is not below the processor's exportTimeoutMillis ` +
          `(${exportTimeoutMillis} ms); lowering it to ${lowered} ms`,
      );
      internals.limitTimeoutMillis(lowered);
    }

    const exporter = options.exporter;
    this.#handOff = createExportHandOff({
      maxConcurrentExports: this.#options.maxConcurrentExports,
      export: (logs, resultCallback) => {
        this.#queued = Math.max(0, this.#queued - logs.length);
        this.#export(logs, resultCallback);
      },
      shutdown: () => exporter.shutdown(),
    });
    this.#batch = new BatchLogRecordProcessor({
      exporter: this.#handOff.exporter,
      maxExportBatchSize: this.#options.maxExportBatchSize,
      scheduledDelayMillis: this.#options.scheduledDelayMillis,
      exportTimeoutMillis,
      maxQueueSize: this.#options.maxQueueSize,
    });
    this.#redelivery = createSpoolRedelivery({
      spool: this.#spool,
      send: (entries) => this.#send(entries),
      delayMillis: this.#options.redeliveryDelayMillis,
      batchSize: this.#options.maxExportBatchSize,
    });
    this.#removeSettleListener = internals.onSettled(({ acked, released }) => {
      this.#spool.ack(acked);
      this.#spool.release(released);
      if (released.length > 0) this.#redelivery.schedule();
    });
    this.#removeGauges =
      internals.meterProvider === undefined
        ? () => undefined
        : registerPipelineGauges(internals.meterProvider, () => this.getStats());
    this.#replayed = this.#replay();
    this.#removeSignalHandlers = shutdownOnSignals(
      this.#options.shutdownSignals,
      () => this.shutdown(),
      logger,
    );
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    if (this.#closed) return;
    const record = logRecord as unknown as AuditLogRecord;
    let isAudit = true;
    try {
      isAudit = this.#internals.isAuditRecord(record);
    } catch {
      // A throwing filter is reported by the exporter as a MappingError for this record; keep it.
    }
    if (!isAudit) {
      this.#internals.stats.add('skipped', 1);
      return;
    }
    if (this.#queued >= this.#options.maxQueueSize) {
      this.#drop();
      return;
    }
    // The id stays off the record: setAttribute would run the sdk's attribute checks again on the
    // application's thread. resolveEventId keeps it per record object, and the exporter receives this
    // same object, so it maps the record under the id the spool keeps.
    const id = resolveEventId(record, this.#newId);
    if (this.#spool.append(id, record) === false) {
      this.#drop('spool_full');
      return;
    }
    this.#queued += 1;
    this.#batch.onEmit(logRecord);
  }

  /**
   * Records taken by `onEmit` (or replayed from the spool) whose export has not finished: queued, in an
   * export in flight (even one the batch processor stopped waiting for), and, with a durable spool,
   * kept for redelivery after the exporter gave up on them. What a caller throttles on (the OTLP bridge
   * answers 429 when it would pass `maxQueueSize`), so that no record has to be dropped.
   */
  get pendingRecords(): number {
    const inPipeline = this.#queued + this.#exporting;
    // Only a spool that keeps released records still owes them; its size counts them with the rest.
    return this.#spool.takeReleased === undefined ? inPipeline : Math.max(inPipeline, this.#spool.size);
  }

  /**
   * The exporter's counters plus the queue, the spool and dead letters right now: what an operator
   * alerts on. The same values are metrics when the exporter has a `meterProvider`.
   */
  getStats(): PipelineStats {
    const spool = this.#spool.stats?.();
    const oldest = spool?.oldestAppendedAtMillis;
    return {
      ...this.#internals.stats.snapshot(),
      deadLettered: this.#internals.deadLettered(),
      queueSize: this.#queued,
      queueCapacity: this.#options.maxQueueSize,
      spoolRecords: spool?.records ?? this.#spool.size,
      spoolBytes: spool?.bytes ?? 0,
      oldestPendingAgeMillis: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest),
      spoolCorruptRecords: spool?.corruptRecords ?? 0,
    };
  }

  /** Exports everything queued and waits for it, and for every export in flight. Never rejects. */
  async forceFlush(): Promise<void> {
    try {
      await this.#batch.forceFlush();
    } catch (error) {
      logger.error('forceFlush failed', error);
    }
    // The batch processor stops waiting once a batch is handed over; the batches themselves may still run.
    await this.#handOff.drain();
    // Replays and redeliveries from the spool go to the exporter directly; a flush waits for them too.
    await this.#exporter.forceFlush();
  }

  /** Flushes, shuts the exporter down and closes the spool. Idempotent; never rejects. */
  shutdown(): Promise<void> {
    this.#shutdownPromise ??= this.#shutdown();
    return this.#shutdownPromise;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#removeSignalHandlers();
    await this.#replayed;
    await this.#redelivery.stop();
    try {
      await this.#batch.shutdown();
    } catch (error) {
      logger.error('Shutting down the batch processor failed', error);
    }
    await this.#handOff.drain();
    this.#removeSettleListener();
    this.#removeGauges();
    try {
      await this.#spool.close();
    } catch (error) {
      logger.error('Closing the spool failed', error);
    }
  }

  #drop(reason: 'queue_full' | 'spool_full' = 'queue_full'): void {
    this.#internals.stats.add('dropped', 1, { 'error.type': reason });
    // A full spool warns on its own (it knows its bytes); the queue-full warning is ours.
    if (reason === 'spool_full') return;
    this.#droppedSinceWarning += 1;
    const now = Date.now();
    if (now - this.#lastDropWarningMillis < this.#options.droppedWarningIntervalMillis) return;
    logger.warn(
      `Queue full (maxQueueSize ${this.#options.maxQueueSize}): dropped ${this.#droppedSinceWarning} audit record(s) ` +
        'since the last warning; raise maxQueueSize or maxRequestsPerSecond, or check why exports are slow',
    );
    this.#lastDropWarningMillis = now;
    this.#droppedSinceWarning = 0;
  }

  /** Sends what an earlier process left in a durable spool, straight to the exporter, in batches. */
  async #replay(): Promise<void> {
    let entries;
    try {
      entries = await this.#spool.replay();
    } catch (error) {
      logger.error('Reading the spool for replay failed; starting without its records', error);
      return;
    }
    if (entries.length === 0) return;
    logger.info(`Sending ${entries.length} audit record(s) left in the spool by an earlier run`);
    const size = this.#options.maxExportBatchSize;
    for (let start = 0; start < entries.length; start += size) {
      await this.#send(entries.slice(start, start + size));
    }
  }

  /** Exports spooled entries and waits for the result; the settle listener acks or releases them. */
  #send(entries: readonly SpoolEntry[]): Promise<void> {
    // A spool keeps the id beside the record (onEmit does not write it into the record): put it back
    // into `audit.id` on a copy, so the record is mapped under the id it was spooled with.
    const records = entries.map((entry) =>
      entry.record.attributes[AUDIT_ID_ATTRIBUTE] === entry.id
        ? entry.record
        : { ...entry.record, attributes: { ...entry.record.attributes, [AUDIT_ID_ATTRIBUTE]: entry.id } },
    );
    return new Promise<void>((resolve) => {
      this.#export(records as unknown as Parameters<LogRecordExporter['export']>[0], () => resolve());
    });
  }

  /** Every export goes through here, so `pendingRecords` counts it until its callback. */
  #export(
    logs: Parameters<LogRecordExporter['export']>[0],
    resultCallback: (result: ExportResult) => void,
  ): void {
    this.#exporting += logs.length;
    let done = false;
    this.#exporter.export(logs, (result) => {
      if (done) return;
      done = true;
      this.#exporting -= logs.length;
      resultCallback(result);
    });
  }
}
