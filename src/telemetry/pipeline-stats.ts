/**
 * What an operator alerts on, read from the processor: the exporter's counters plus the queue and the
 * spool right now. `processor.stats` returns it; with a MeterProvider (the exporter's
 * `meterProvider` option) the gauges are also observable metrics named in METRIC_NAMES.
 * A growing `oldestPendingAgeMillis` is the one signal that catches every way of getting stuck.
 */
import type { BatchObservableCallback, MeterProvider, Observable } from '@opentelemetry/api';
import { METRIC_NAMES, type ExportStats } from '../pipeline/export-stats.js';
import type { LedgerStats } from '../processor/ledger.js';

/** A snapshot of the whole pipeline. Counts are log records unless said otherwise. */
export interface PipelineStats extends ExportStats {
  /** Every record taken in, by fate: taken = accepted + rejected + dropped + pending, at any moment. */
  readonly ledger: LedgerStats;
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

/** One observable per pipeline gauge: its name, meaning, unit and how to read it from a snapshot. */
const GAUGES: ReadonlyArray<{
  name: string;
  description: string;
  unit: string;
  /** A counter that only grows (corrupt records found at start); every other row is a gauge. */
  monotonic?: true;
  value: (stats: PipelineStats) => number;
}> = [
  {
    name: METRIC_NAMES.queueSize,
    description: 'Log records in the processor queue.',
    unit: '{record}',
    value: (stats) => stats.queueSize,
  },
  {
    name: METRIC_NAMES.queueCapacity,
    description: 'Capacity of the processor queue.',
    unit: '{record}',
    value: (stats) => stats.queueCapacity,
  },
  {
    name: METRIC_NAMES.spoolRecords,
    description: 'Audit records in the spool, not yet accepted or rejected by CloudTrail Lake.',
    unit: '{record}',
    value: (stats) => stats.spoolRecords,
  },
  {
    name: METRIC_NAMES.spoolBytes,
    description: 'Bytes the spool takes on disk.',
    unit: 'By',
    value: (stats) => stats.spoolBytes,
  },
  {
    name: METRIC_NAMES.oldestPendingAge,
    description: 'Age of the oldest audit record not yet accepted or rejected.',
    unit: 's',
    value: (stats) => stats.oldestPendingAgeMillis / 1000,
  },
  {
    name: METRIC_NAMES.spoolCorrupt,
    description: 'Damaged spool records skipped at start.',
    unit: '{record}',
    monotonic: true,
    value: (stats) => stats.spoolCorruptRecords,
  },
];

/**
 * Registers observable gauges for `read()` on `meterProvider`; returns a function that removes them.
 * The callback reads one snapshot per collection, so every gauge of a collection agrees.
 */
export function registerPipelineGauges(meterProvider: MeterProvider, read: () => PipelineStats): () => void {
  const meter = meterProvider.getMeter('otel-cloudtrail-lake');
  const attributes = { exporter: 'cloudtrail_lake' };
  const observables: Observable[] = GAUGES.map(({ name, description, unit, monotonic }) =>
    monotonic === true
      ? meter.createObservableCounter(name, { description, unit })
      : meter.createObservableGauge(name, { description, unit }),
  );
  const callback: BatchObservableCallback = (result) => {
    const stats = read();
    GAUGES.forEach((gauge, index) => result.observe(observables[index]!, gauge.value(stats), attributes));
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
