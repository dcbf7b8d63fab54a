import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadableLogRecord, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { componentLogger } from '../internal/diag.js';
import { hasAuditAttribute } from '../mapping/audit-attributes.js';

/** Options of {@link AuditFilterLogRecordProcessor}. */
export interface AuditFilterLogRecordProcessorOptions {
  /** The processor that receives the records that pass, e.g. a CloudTrailLakeLogRecordProcessor. */
  next: LogRecordProcessor;
  /**
   * Decides which records pass. A filter that throws drops that record (counted in `failed`): an audit
   * pipeline fails closed rather than letting an unchecked record through.
   * @default hasAuditAttribute: at least one attribute key of the record starts with `audit.`
   */
  filter?: (record: ReadableLogRecord) => boolean;
}

/** Counts of a filter processor since it was created, in records. */
export interface AuditFilterCounters {
  readonly passed: number;
  readonly filtered: number;
  /** Records dropped because the filter threw. */
  readonly failed: number;
}

/**
 * A LogRecordProcessor that forwards only audit records to `next`, so an audit exporter can share a
 * LoggerProvider with other pipelines. Records it drops are counted, never reported as errors.
 *
 * ```ts
 * new LoggerProvider({ processors: [new AuditFilterLogRecordProcessor({ next: auditProcessor }), otherProcessor] });
 * ```
 */
export class AuditFilterLogRecordProcessor implements LogRecordProcessor {
  readonly #next: LogRecordProcessor;
  readonly #filter: (record: ReadableLogRecord) => boolean;
  readonly #logger = componentLogger('AuditFilterLogRecordProcessor');
  #passed = 0;
  #filtered = 0;
  #failed = 0;

  constructor(options: AuditFilterLogRecordProcessorOptions) {
    this.#next = options.next;
    this.#filter = options.filter ?? hasAuditAttribute;
  }

  /** What happened to the records seen so far. */
  get counters(): AuditFilterCounters {
    return { passed: this.#passed, filtered: this.#filtered, failed: this.#failed };
  }

  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    let pass: boolean;
    try {
      pass = this.#filter(logRecord);
    } catch (error) {
      this.#failed++;
      this.#logger.warn('filter threw; the record is dropped', error);
      return;
    }
    if (!pass) {
      this.#filtered++;
      return;
    }
    this.#passed++;
    this.#next.onEmit(logRecord, context);
  }

  forceFlush(): Promise<void> {
    return this.#next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#next.shutdown();
  }
}
