/**
 * What an operator alerts on, read from the processor: the exporter's counters plus the queue and the
 * spool right now. `processor.getStats()` returns it; with a MeterProvider (the exporter's
 * `meterProvider` option) the gauges are also observable metrics named in METRIC_NAMES.
 * A growing `oldestPendingAgeMillis` is the one signal that catches every way of getting stuck.
 */
import type { BatchObservableCallback, MeterProvider, Observable } from '@opentelemetry/api';
import { METRIC_NAMES, type ExportStats } from '../export/export-stats.js';

/** A snapshot of the whole pipeline. Counts are log records unless said otherwise. */
export interface PipelineStats extends ExportStats {
  /** Events rejected for good and written to the dead-letter destination. */
  readonly deadLettered: number;
  /** Records in the processor's queue, not yet handed to the exporter. */
  readonly queueSize: number;
  /** The processor's maxQueueSize. */
  readonly queueCapacity: number;
  /** Records in the spool and not yet settled (queued, in flight, or kept after a failure). */
  readonly spoolRecords: number;
  /** Bytes the spool takes on disk (0 for the memory spool). */
  readonly spoolBytes: number;
  /** Age of the oldest unsettled record, in milliseconds; 0 when there is none. */
  readonly oldestPendingAgeMillis: number;
  /** Damaged spool records skipped at start. */
  readonly spoolCorruptRecords: number;
}

/**
 * Registers observable gauges for `read()` on `meterProvider`; returns a function that removes them.
 * The callback reads one snapshot per collection, so every gauge of a collection agrees.
 */
export function registerPipelineGauges(meterProvider: MeterProvider, read: () => PipelineStats): () => void {
  const meter = meterProvider.getMeter('otel-cloudtrail-lake');
  const attributes = { exporter: 'cloudtrail_lake' };
  const gauges = {
    queueSize: meter.createObservableGauge(METRIC_NAMES.queueSize, {
      description: 'Log records in the processor queue.',
      unit: '{record}',
    }),
    queueCapacity: meter.createObservableGauge(METRIC_NAMES.queueCapacity, {
      description: 'Capacity of the processor queue.',
      unit: '{record}',
    }),
    spoolRecords: meter.createObservableGauge(METRIC_NAMES.spoolRecords, {
      description: 'Audit records in the spool, not yet accepted or rejected by CloudTrail Lake.',
      unit: '{record}',
    }),
    spoolBytes: meter.createObservableGauge(METRIC_NAMES.spoolBytes, {
      description: 'Bytes the spool takes on disk.',
      unit: 'By',
    }),
    oldestPendingAge: meter.createObservableGauge(METRIC_NAMES.oldestPendingAge, {
      description: 'Age of the oldest audit record not yet accepted or rejected.',
      unit: 's',
    }),
    spoolCorrupt: meter.createObservableCounter(METRIC_NAMES.spoolCorrupt, {
      description: 'Damaged spool records skipped at start.',
      unit: '{record}',
    }),
  };
  const observables: Observable[] = Object.values(gauges);
  const callback: BatchObservableCallback = (result) => {
    const stats = read();
    result.observe(gauges.queueSize, stats.queueSize, attributes);
    result.observe(gauges.queueCapacity, stats.queueCapacity, attributes);
    result.observe(gauges.spoolRecords, stats.spoolRecords, attributes);
    result.observe(gauges.spoolBytes, stats.spoolBytes, attributes);
    result.observe(gauges.oldestPendingAge, stats.oldestPendingAgeMillis / 1000, attributes);
    result.observe(gauges.spoolCorrupt, stats.spoolCorruptRecords, attributes);
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
