// Self-telemetry an operator alerts on: processor.stats and, with a MeterProvider, OTel metrics
// for the queue, the spool (records, bytes, oldest pending age) and dead letters, under METRIC_NAMES.
// The exporter's counters themselves are covered in test/unit/pipeline/export-stats.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { METRIC_NAMES } from '../../src/pipeline/export-stats.js';
import { auditAttributes, createPipeline, type Pipeline } from '../helpers/audit-pipeline.js';
import { TestMetricReader } from '../helpers/test-metric-reader.js';

let emulator: Emulator;
let pipeline: Pipeline | undefined;
let directory: string;
/** How old the spool's clock makes every record at append: the age gauge must report at least this. */
const RECORD_AGE_MILLIS = 60_000;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  directory = mkdtempSync(join(tmpdir(), 'ctl-telemetry-'));
});

afterEach(async () => {
  vi.useRealTimers();
  await pipeline?.provider.shutdown();
  pipeline = undefined;
  await emulator.close();
  rmSync(directory, { recursive: true, force: true });
});

async function collect(reader: TestMetricReader): Promise<Map<string, number>> {
  const { resourceMetrics } = await reader.collect();
  const values = new Map<string, number>();
  for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
    const total = metric.dataPoints.reduce((sum, point) => sum + Number(point.value), 0);
    values.set(metric.descriptor.name, total);
  }
  return values;
}

describe('pipeline telemetry', () => {
  it('reports queue, spool, oldest pending age and dead letters as stats and as OTel metrics', async () => {
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    emulator.setFaults({ outage: { mode: 'unavailable' } });
    pipeline = createPipeline(
      emulator,
      {
        meterProvider,
        deadLetter: { onDeadLetter: () => undefined },
        timeoutMillis: 100,
        retry: { maxAttempts: 1 },
      },
      {
        // The spool's clock runs a minute behind, so records are a minute old as soon as they are spooled.
        spool: { directory, fsync: 'never', now: () => Date.now() - RECORD_AGE_MILLIS },
        scheduledDelayMillis: 60_000,
        maxQueueSize: 50,
        redeliveryDelayMillis: 60_000,
      },
    );
    for (let n = 0; n < 5; n++) pipeline.emit(auditAttributes(n));
    pipeline.emit({
      'audit.id': 'no-principal',
      'audit.user_identity.type': 'User',
      'audit.event_name': 'A',
    });

    // Records are prepared on a microtask right after the emit() calls: the invalid one is dead-lettered
    // then, and settled in the file spool that already had it.
    await Promise.resolve();
    const queued = pipeline.processor.stats;
    expect(queued).toMatchObject({ queueSize: 5, queueCapacity: 50, spoolRecords: 5, deadLettered: 1 });
    expect(queued.spoolBytes).toBeGreaterThan(0);
    expect(queued.oldestPendingAgeMillis).toBeGreaterThanOrEqual(RECORD_AGE_MILLIS);
    let metrics = await collect(reader);
    expect(metrics.get(METRIC_NAMES.queueSize)).toBe(5);
    expect(metrics.get(METRIC_NAMES.queueCapacity)).toBe(50);
    expect(metrics.get(METRIC_NAMES.spoolRecords)).toBe(5);
    expect(metrics.get(METRIC_NAMES.spoolBytes)).toBe(queued.spoolBytes);
    expect(metrics.get(METRIC_NAMES.oldestPendingAge)).toBeGreaterThanOrEqual(RECORD_AGE_MILLIS / 1000);

    // During the outage the export fails: the five valid records stay spooled.
    await pipeline.processor.forceFlush();
    const after = pipeline.processor.stats;
    expect(after).toMatchObject({ queueSize: 0, spoolRecords: 5, deadLettered: 1, rejected: 1, failed: 5 });
    metrics = await collect(reader);
    expect(metrics.get(METRIC_NAMES.deadLettered)).toBe(1);
    expect(metrics.get(METRIC_NAMES.failed)).toBe(5);
    expect(metrics.get(METRIC_NAMES.spoolRecords)).toBe(5);
    await meterProvider.shutdown();
  });
});
