/**
 * The OpenTelemetry log exporter for CloudTrail Lake. `export()` is the shared send pipeline
 * (`pipeline/create-pipeline.ts`) plus turning its outcome into an ExportResult; the class only wires
 * options to it and keeps the sdk's exporter contract.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeError, ERROR_CODES } from './errors.js';
import { systemClock } from './internal/clock.js';
import { componentLogger } from './internal/diag.js';
import type { AuditLogRecord } from './mapping/audit-log-record.js';
import {
  resolveExporterOptions,
  type CloudTrailLakeLogExporterOptions,
  type ResolvedExporterOptions,
} from './options.js';
import { createPipeline, type Pipeline } from './pipeline/create-pipeline.js';
import { describeExportFailure } from './pipeline/export-failure.js';
import type { ExportStats } from './pipeline/export-stats.js';
import type { PipelineEntry, SendOutcome } from './pipeline/pipeline-entry.js';

const logger = componentLogger('CloudTrailLakeLogExporter');

/**
 * Exports OTel log records that carry `audit.*` attributes to a CloudTrail Lake channel (PutAuditEvents).
 *
 * `export()` never throws and calls back once: SUCCESS when every audit record was accepted, else FAILED
 * with a `CTL_ERR_EXPORT_FAILED` error that counts what was rejected or failed and why. Non-audit records
 * are skipped quietly. Use it through {@link CloudTrailLakeLogRecordProcessor} for batching, a spool and
 * deadlines that hold; behind the sdk's own batch processor it decides each record's id and filter itself.
 */
export class CloudTrailLakeLogExporter implements LogRecordExporter {
  readonly #options: ResolvedExporterOptions;
  readonly #pipeline: Pipeline;
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
    this.#pipeline = createPipeline(this.#options, env, systemClock);
  }

  /** Counters since construction: exported, rejected, retried, failed, dropped, skipped, requests. */
  get stats(): ExportStats {
    return this.#pipeline.stats.snapshot();
  }

  /**
   * The send pipeline behind this exporter, shared by the processor, the bridge and the CLI so that
   * they use one transport, one rate limit and one set of counters. Not needed by applications.
   */
  get pipeline(): Pipeline {
    return this.#pipeline;
  }

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    const done = (result: ExportResult): void => {
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
    // Behind the sdk's own processors the records enter here: decide each one's filter and id once.
    const entries: PipelineEntry[] = [];
    let rejectedAtEntry = 0;
    for (const record of logs as readonly AuditLogRecord[]) {
      const decision = this.#pipeline.decide(record);
      if (decision.kind === 'entry') entries.push(decision.entry);
      else if (decision.kind === 'rejected') rejectedAtEntry++;
    }
    const deadline = this.#pipeline.clock.now() + this.#options.timeoutMillis;
    void this.#pipeline
      .send(entries, { deadline })
      .then((outcome) => done(toExportResult(outcome, rejectedAtEntry)));
  }

  /** Waits for every export in flight. Never rejects. */
  forceFlush(): Promise<void> {
    return this.#pipeline.flush();
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
    const { clock } = this.#pipeline;
    let timer: unknown;
    const deadline = new Promise<void>((resolve) => {
      timer = clock.setTimeout(resolve, this.#options.timeoutMillis);
    });
    await Promise.race([this.#pipeline.flush(), deadline]);
    clock.clearTimeout(timer);
    await this.#pipeline.close();
  }
}

function toExportResult(outcome: SendOutcome, rejectedAtEntry: number): ExportResult {
  if (rejectedAtEntry === 0 && outcome.rejected.length === 0 && outcome.failed.length === 0) {
    return { code: ExportResultCode.SUCCESS };
  }
  const total =
    rejectedAtEntry +
    outcome.accepted.length +
    outcome.rejected.length +
    outcome.failed.reduce((sum, group) => sum + group.ids.length, 0);
  return { code: ExportResultCode.FAILED, error: describeExportFailure(total, outcome) };
}
