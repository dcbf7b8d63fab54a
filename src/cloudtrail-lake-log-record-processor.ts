/**
 * The processor for audit records. In `onEmit` it decides each record once (audit or not, its event
 * id) and keeps a copy of it; the mapping runs on a microtask right after, outside emit(). It hands
 * each record to the delivery engine (`processor/audit-delivery.ts`): spool, batches, sends through the
 * exporter's pipeline, settles from each send's outcome, redelivers what the exporter gave up on, and
 * accounts for every record in a ledger. It reads OTEL_BLRP_* as the sdk processor does.
 */
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter } from './cloudtrail-lake-log-exporter.js';
import { ConfigError } from './errors.js';
import { componentLogger } from './internal/diag.js';
import {
  resolveProcessorOptions,
  type CloudTrailLakeLogRecordProcessorOptionsBase,
  type ResolvedProcessorOptions,
} from './options.js';
import type { Pipeline } from './pipeline/create-pipeline.js';
import { createAuditDelivery, type AuditDelivery } from './processor/audit-delivery.js';
import { shutdownOnSignals } from './processor/shutdown-on-signals.js';
import { resolveSpool, type SpoolOption } from './spool/resolve-spool.js';
import type { Spool } from './spool/spool.js';
import { registerPipelineGauges, type PipelineStats } from './telemetry/pipeline-stats.js';

const logger = componentLogger('CloudTrailLakeLogRecordProcessor');

/** Options of {@link CloudTrailLakeLogRecordProcessor}. */
export interface CloudTrailLakeLogRecordProcessorOptions extends CloudTrailLakeLogRecordProcessorOptionsBase {
  /** The exporter the batches go to. */
  exporter: CloudTrailLakeLogExporter;
  /**
   * Where taken records are kept until settled: `{ directory, maxBytes?, fsync? }` for the durable
   * file spool (see FileSpoolOptions), or any Spool. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY`.
   * @default an in-memory spool (kept and redelivered while the process lives; lost at a crash)
   */
  spool?: SpoolOption;
}

/** Builds the delivery engine from processor options; the OTLP bridge uses it without the class. */
export function createProcessorDelivery(
  pipeline: Pipeline,
  options: CloudTrailLakeLogRecordProcessorOptionsBase & { spool?: SpoolOption | undefined },
  env: Readonly<Record<string, string | undefined>>,
  closePipeline: () => Promise<void>,
): {
  delivery: AuditDelivery;
  spool: Spool;
  resolved: ResolvedProcessorOptions;
  /** The whole pipeline's counters and gauges right now. */
  stats: () => PipelineStats;
} {
  const resolved = resolveProcessorOptions(options, env);
  const { mapping } = pipeline;
  // A replayed record must map as the live one did: keep every attribute when the mapping may read more
  // than the mapped keys.
  const readsAll =
    mapping.includeAttributes === true || mapping.filter !== undefined || mapping.mapRecord !== undefined;
  const spool = resolveSpool(options.spool, resolved.envSpool, readsAll ? 'all' : 'mapped');
  const delivery = createAuditDelivery({
    pipeline,
    spool,
    options: resolved,
    logger,
    closePipeline,
  });
  const stats = (): PipelineStats => {
    const spoolStats = spool.stats?.();
    const oldest = spoolStats?.oldestAppendedAtMillis;
    return {
      ...pipeline.stats.snapshot(),
      ledger: delivery.ledger(),
      deadLettered: pipeline.deadLettered(),
      queueSize: delivery.queueSize,
      queueCapacity: resolved.maxQueueSize,
      spoolRecords: spoolStats?.records ?? spool.size,
      spoolBytes: spoolStats?.bytes ?? 0,
      oldestPendingAgeMillis: oldest === undefined ? 0 : Math.max(0, Date.now() - oldest),
      spoolCorruptRecords: spoolStats?.corruptRecords ?? 0,
    };
  };
  return { delivery, spool, resolved, stats };
}

/**
 * Batches audit records for a {@link CloudTrailLakeLogExporter}. It keeps each record as it is when its
 * `onEmit` runs, so register processors that change records (redaction) before it; and call
 * `provider.shutdown()` on exit (or set `shutdownOnSignals`): a memory spool's records are lost otherwise.
 */
export class CloudTrailLakeLogRecordProcessor implements LogRecordProcessor {
  readonly #pipeline: Pipeline;
  readonly #delivery: AuditDelivery;
  readonly #snapshot: () => PipelineStats;
  readonly #removeSignalHandlers: () => void;
  readonly #removeGauges: () => void;
  #shutdownPromise: Promise<void> | undefined;

  /**
   * @throws ConfigError when `exporter` is not a CloudTrailLakeLogExporter or an option is out of range;
   *   CloudTrailLakeError `CTL_ERR_SPOOL` when the spool directory is in use by another process.
   */
  constructor(
    options: CloudTrailLakeLogRecordProcessorOptions,
    env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    const exporter: unknown = options?.exporter;
    if (!(exporter instanceof CloudTrailLakeLogExporter)) {
      throw new ConfigError('exporter', 'Expected `exporter` to be a CloudTrailLakeLogExporter');
    }
    this.#pipeline = exporter.pipeline;
    const built = createProcessorDelivery(this.#pipeline, options, env, () => exporter.shutdown());
    this.#delivery = built.delivery;
    this.#snapshot = built.stats;
    const { meterProvider } = this.#pipeline;
    this.#removeGauges =
      meterProvider === undefined ? () => undefined : registerPipelineGauges(meterProvider, () => this.stats);
    this.#removeSignalHandlers = shutdownOnSignals(
      built.resolved.shutdownSignals,
      () => this.shutdown(),
      logger,
    );
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    const decision = this.#pipeline.decide(logRecord);
    if (decision.kind === 'entry') this.#delivery.take(decision.entry);
    else if (decision.kind === 'rejected') this.#delivery.takeRejected();
  }

  /**
   * Records taken and not yet accepted, rejected or dropped: queued, in a send, or kept by the spool
   * for redelivery. What a caller throttles on (the OTLP bridge answers 429 above `maxQueueSize`).
   */
  get pendingRecords(): number {
    return this.#delivery.pendingRecords;
  }

  /**
   * The exporter's counters, the ledger (taken = accepted + rejected + dropped + pending) and the queue
   * and spool right now: what an operator alerts on. The gauges are metrics too with a `meterProvider`.
   */
  get stats(): PipelineStats {
    return this.#snapshot();
  }

  /** Sends everything queued and waits for every send, within the exporter's `timeoutMillis`. Never rejects. */
  forceFlush(): Promise<void> {
    return this.#delivery.forceFlush();
  }

  /**
   * Sends what is queued, shuts the exporter down and closes the spool, all within the exporter's
   * `timeoutMillis` from this call, plus the time aborted sends take to settle (under 0.5 s with 10,000
   * records queued against an endpoint that never answers). What is not delivered by then stays in a
   * durable spool (pending), or is counted dropped (`shutdown_deadline`) with one warning.
   * Idempotent; never rejects.
   */
  shutdown(): Promise<void> {
    this.#shutdownPromise ??= this.#shutdown();
    return this.#shutdownPromise;
  }

  async #shutdown(): Promise<void> {
    this.#removeSignalHandlers();
    await this.#delivery.shutdown();
    this.#removeGauges();
  }
}
