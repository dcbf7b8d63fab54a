/**
 * The OpenTelemetry log exporter for CloudTrail Lake. It only wires the pure core (map, validate,
 * pack) to the transport (rate limit, retries, HTTP or a plug-in client) and to the counters; the send
 * loop lives in `export/send-events.ts`.
 */
import { randomUUID } from 'node:crypto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { splitIntoRequests } from './batch/split-into-requests.js';
import { buildDeadLetters } from './dead-letter/build-dead-letters.js';
import { createDeadLetterSink, type DeadLetterSink } from './dead-letter/dead-letter-sink.js';
import { CloudTrailLakeError, ERROR_CODES, TimeoutError, type EventRejection } from './errors.js';
import { createConcurrencyLimiter, type ConcurrencyLimiter } from './export/concurrency-limiter.js';
import { createExporterTransport } from './export/create-exporter-transport.js';
import { createStatsRecorder, type ExportStats, type StatsRecorder } from './export/export-stats.js';
import { registerExporterInternals, type Settlement } from './export/exporter-internals.js';
import { describeExportFailure } from './export/export-failure.js';
import { createRejectionReporter, type RejectionReporter } from './export/report-rejections.js';
import { sendEvents, type SendContext } from './export/send-events.js';
import { systemClock, type Clock } from './internal/clock.js';
import { componentLogger } from './internal/diag.js';
import type { PreparedEvent } from './mapping/audit-event.js';
import type { AuditLogRecord } from './mapping/audit-log-record.js';
import { hasAuditAttribute } from './mapping/audit-attributes.js';
import {
  resolveExporterOptions,
  type CloudTrailLakeLogExporterOptions,
  type ResolvedExporterOptions,
} from './options.js';
import { prepareAuditEvents } from './prepare-audit-events.js';
import type { Transport } from './transport/transport.js';
import {
  backoffBoundMillis,
  resolveRetryOptions,
  type ResolvedRetryOptions,
} from './transport/retrying-transport.js';

const logger = componentLogger('CloudTrailLakeLogExporter');

/**
 * Exports OTel log records that carry `audit.*` attributes to a CloudTrail Lake channel (PutAuditEvents).
 *
 * `export()` never throws and calls back once: SUCCESS when every audit record was accepted, else FAILED
 * with a `CTL_ERR_EXPORT_FAILED` error that counts what was rejected or failed and why. Non-audit records
 * are skipped quietly. Use it through {@link CloudTrailLakeLogRecordProcessor} for batching and throughput.
 */
export class CloudTrailLakeLogExporter implements LogRecordExporter {
  readonly #options: ResolvedExporterOptions;
  readonly #clock: Clock;
  readonly #stats: StatsRecorder;
  readonly #rejections: RejectionReporter;
  readonly #transport: Transport;
  readonly #limiter: ConcurrencyLimiter;
  readonly #retry: ResolvedRetryOptions;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #shutdownController = new AbortController();
  readonly #settleListeners = new Set<(settlement: Settlement) => void>();
  readonly #deadLetters: DeadLetterSink | undefined;
  #timeoutMillis: number;
  #shutdownPromise: Promise<void> | undefined;

  /**
   * @param options see {@link CloudTrailLakeLogExporterOptions}; each falls back to its env var, then to DEFAULTS.
   * @param env the environment to read `OTEL_EXPORTER_CLOUDTRAIL_LAKE_*` from. @default process.env
   * @throws ConfigError for a missing or malformed channel ARN, a limit out of range, a bad externalId.
   */
  constructor(
    options: CloudTrailLakeLogExporterOptions = {},
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    this.#options = resolveExporterOptions(options, env);
    this.#clock = systemClock;
    this.#timeoutMillis = this.#options.timeoutMillis;
    this.#stats = createStatsRecorder(this.#options.meterProvider);
    this.#rejections = createRejectionReporter({
      stats: this.#stats,
      logger,
      onRejected: this.#options.onRejected,
    });
    this.#deadLetters =
      this.#options.deadLetter === undefined
        ? undefined
        : createDeadLetterSink(this.#options.deadLetter, this.#options.meterProvider);
    this.#transport = createExporterTransport(this.#options, this.#clock);
    this.#limiter = createConcurrencyLimiter(this.#options.maxConcurrentRequests);
    this.#retry = resolveRetryOptions(this.#options.retry);
    const filter = this.#options.mapping.filter ?? hasAuditAttribute;
    registerExporterInternals(this, {
      isAuditRecord: (record) => Boolean(filter(record)),
      stats: this.#stats,
      rejections: this.#rejections,
      timeoutMillis: () => this.#timeoutMillis,
      limitTimeoutMillis: (maxMillis) => {
        this.#timeoutMillis = Math.min(this.#timeoutMillis, maxMillis);
      },
      onSettled: (listener) => {
        this.#settleListeners.add(listener);
        return () => this.#settleListeners.delete(listener);
      },
      meterProvider: this.#options.meterProvider,
      deadLettered: () => this.#deadLetters?.written ?? 0,
    });
  }

  /** Counters since construction: exported, rejected, retried, failed, dropped, skipped, requests. */
  get stats(): ExportStats {
    return this.#stats.snapshot();
  }

  /** Same as {@link CloudTrailLakeLogExporter.stats}. */
  getStats(): ExportStats {
    return this.#stats.snapshot();
  }

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (error) {
        logger.error('The export result callback threw; ignoring it', error);
      }
    };
    if (this.#shutdownPromise !== undefined) {
      const error = new CloudTrailLakeError(
        ERROR_CODES.SHUTDOWN,
        `export() called after shutdown(): ${logs.length} record(s) not exported`,
      );
      done({ code: ExportResultCode.FAILED, error });
      return;
    }
    const task = this.#exportRecords(logs as readonly AuditLogRecord[]).then(done, (error: unknown) => {
      logger.error('Unexpected error in export; this is a bug', error);
      done({
        code: ExportResultCode.FAILED,
        error: new CloudTrailLakeError(ERROR_CODES.BUG, 'Unexpected error in export (a bug)', {
          cause: error,
        }),
      });
    });
    this.#inFlight.add(task);
    void task.finally(() => this.#inFlight.delete(task));
  }

  /** Waits for every export in flight. Never rejects. */
  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Lets exports in flight finish within `timeoutMillis`, then aborts what remains and closes the
   * transport. Idempotent; later `export()` calls fail through their callback with `CTL_ERR_SHUTDOWN`.
   */
  shutdown(): Promise<void> {
    this.#shutdownPromise ??= this.#shutdown();
    return this.#shutdownPromise;
  }

  async #shutdown(): Promise<void> {
    let timer: unknown;
    const deadline = new Promise<void>((resolve) => {
      timer = this.#clock.setTimeout(resolve, this.#timeoutMillis);
    });
    await Promise.race([this.forceFlush(), deadline]);
    this.#clock.clearTimeout(timer);
    this.#shutdownController.abort(
      new CloudTrailLakeError(ERROR_CODES.SHUTDOWN, 'the exporter was shut down'),
    );
    await this.forceFlush();
    try {
      await this.#transport.shutdown();
    } catch (error) {
      logger.warn('Closing the transport failed', error);
    }
    this.#deadLetters?.close();
  }

  async #exportRecords(records: readonly AuditLogRecord[]): Promise<ExportResult> {
    const prepared = prepareAuditEvents(records, this.#options.mapping, {
      now: () => this.#clock.now(),
      newId: randomUUID,
    });
    this.#stats.add('skipped', prepared.skipped);
    const noEvents = new Map<string, PreparedEvent>();
    this.#reject(prepared.rejections, records, noEvents);
    if (prepared.events.length === 0) {
      this.#settle(
        prepared.rejections.map((r) => r.eventId),
        [],
      );
      return prepared.rejections.length === 0
        ? { code: ExportResultCode.SUCCESS }
        : {
            code: ExportResultCode.FAILED,
            error: describeExportFailure(prepared.rejections.length, [], prepared.rejections, []),
          };
    }

    const controller = new AbortController();
    const timeoutMillis = this.#timeoutMillis;
    const timer = this.#clock.setTimeout(() => {
      controller.abort(
        new TimeoutError(`the export deadline of ${timeoutMillis} ms (timeoutMillis) passed`, timeoutMillis),
      );
    }, timeoutMillis);
    const onShutdown = (): void => controller.abort(this.#shutdownController.signal.reason);
    this.#shutdownController.signal.addEventListener('abort', onShutdown, { once: true });
    let outcome;
    try {
      outcome = await sendEvents(
        prepared.events,
        controller.signal,
        this.#sendContext(this.#clock.now() + timeoutMillis),
      );
    } finally {
      this.#clock.clearTimeout(timer);
      this.#shutdownController.signal.removeEventListener('abort', onShutdown);
    }

    this.#stats.add('exported', outcome.accepted.length);
    if (outcome.rejected.length > 0) {
      this.#reject(outcome.rejected, records, new Map(prepared.events.map((event) => [event.id, event])));
    }
    const failedIds = outcome.failed.flatMap((group) => group.ids);
    for (const group of outcome.failed) {
      const code = group.error instanceof CloudTrailLakeError ? group.error.code : 'Error';
      this.#stats.add('failed', group.ids.length, { 'error.type': code, 'error.permanent': false });
    }
    const rejected = [...prepared.rejections, ...outcome.rejected];
    this.#settle([...outcome.accepted, ...rejected.map((r) => r.eventId)], failedIds);
    logger.debug(
      `Export of ${records.length} record(s): ${outcome.accepted.length} accepted, ${rejected.length} rejected, ` +
        `${failedIds.length} failed, ${prepared.skipped} skipped`,
    );
    if (rejected.length === 0 && failedIds.length === 0) return { code: ExportResultCode.SUCCESS };
    const total = prepared.events.length + prepared.rejections.length;
    return {
      code: ExportResultCode.FAILED,
      error: describeExportFailure(total, outcome.accepted, rejected, outcome.failed),
    };
  }

  #sendContext(deadline: number): SendContext {
    return {
      transport: this.#transport,
      limiter: this.#limiter,
      stats: this.#stats,
      logger,
      clock: this.#clock,
      deadline,
      pack: (events) =>
        splitIntoRequests(events, {
          maxEventsPerRequest: this.#options.maxEventsPerRequest,
          maxRequestBytes: this.#options.maxRequestBytes,
        }),
      maxEventAttempts: this.#retry.maxAttempts,
      // Full jitter, as the retrying transport does for whole requests.
      backoffMillis: (attempt) => Math.floor(Math.random() * backoffBoundMillis(this.#retry, attempt)),
    };
  }

  /** Counts, logs and dead-letters permanent rejections; runs before the spool forgets their events. */
  #reject(
    rejections: readonly EventRejection[],
    records: readonly AuditLogRecord[],
    events: ReadonlyMap<string, PreparedEvent>,
  ): void {
    this.#rejections.report(rejections);
    if (this.#deadLetters === undefined || rejections.length === 0) return;
    this.#deadLetters.write(
      buildDeadLetters(rejections, {
        records,
        events,
        mapping: this.#options.mapping,
        nowMillis: this.#clock.now(),
        newId: randomUUID,
      }),
    );
  }

  #settle(acked: readonly string[], released: readonly string[]): void {
    if (acked.length === 0 && released.length === 0) return;
    for (const listener of this.#settleListeners) {
      try {
        listener({ acked, released });
      } catch (error) {
        logger.error('A settlement listener (spool) threw; ignoring it', error);
      }
    }
  }
}
