/**
 * What the processor adapter needs from the exporter, kept off the exporter's public surface: the
 * processor is written against these, and users only see `export`, `forceFlush`, `shutdown` and `stats`.
 */
import type { MeterProvider } from '@opentelemetry/api';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { StatsRecorder } from './export-stats.js';
import type { RejectionReporter } from './report-rejections.js';

/** Which events one export settled: `acked` were accepted or rejected for good, `released` were given up on. */
export interface Settlement {
  acked: readonly string[];
  released: readonly string[];
}

export interface ExporterInternals {
  /** The exporter's audit filter (the user's `filter`, or "has an `audit.*` attribute"). May throw. */
  isAuditRecord(record: AuditLogRecord): boolean;
  stats: StatsRecorder;
  rejections: RejectionReporter;
  /** The exporter's deadline per export, in milliseconds. */
  timeoutMillis(): number;
  /** Lowers the deadline per export (the processor keeps it below its own export timeout). */
  limitTimeoutMillis(maxMillis: number): void;
  /** Registers a listener for settled event ids (the spool); returns a function that removes it. */
  onSettled(listener: (settlement: Settlement) => void): () => void;
  /** Where the exporter records metrics; the processor adds its gauges there. */
  meterProvider: MeterProvider | undefined;
  /** Dead letters written so far (0 without a `deadLetter` option). */
  deadLettered(): number;
}

const registry = new WeakMap<object, ExporterInternals>();

export function registerExporterInternals(exporter: object, internals: ExporterInternals): void {
  registry.set(exporter, internals);
}

/** The internals of a CloudTrailLakeLogExporter, or undefined for any other exporter. */
export function getExporterInternals(exporter: object): ExporterInternals | undefined {
  return registry.get(exporter);
}
