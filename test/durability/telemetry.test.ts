// Self-telemetry an operator alerts on: processor.stats and, with a MeterProvider, OTel metrics
// for the queue, the spool (records, bytes, oldest pending age) and dead letters, under METRIC_NAMES.
// The exporter's counters themselves are covered in test/unit/export/export-stats.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { METRIC_NAMES } from '../../src/pipeline/export-stats.js';
import { auditAttributes, createPipeline, type Pipeline } from '../helpers/audit-pipeline.js';

class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

let emulator: Emulator;
let pipeline: Pipeline | undefined;
let directory: string;

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

async function collect(reader: TestReader): Promise<Map<string, number>> {
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
    const reader = new TestReader();
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
        spool: { directory, fsync: 'never' },
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
    await new Promise((resolve) => setTimeout(resolve, 30));

    const queued = pipeline.processor.stats;
    expect(queued).toMatchObject({ queueSize: 6, queueCapacity: 50, spoolRecords: 6, deadLettered: 0 });
    expect(queued.spoolBytes).toBeGreaterThan(0);
    expect(queued.oldestPendingAgeMillis).toBeGreaterThanOrEqual(20);
    let metrics = await collect(reader);
    expect(metrics.get(METRIC_NAMES.queueSize)).toBe(6);
    expect(metrics.get(METRIC_NAMES.queueCapacity)).toBe(50);
    expect(metrics.get(METRIC_NAMES.spoolRecords)).toBe(6);
    expect(metrics.get(METRIC_NAMES.spoolBytes)).toBe(queued.spoolBytes);
    expect(metrics.get(METRIC_NAMES.oldestPendingAge)).toBeGreaterThanOrEqual(0.02);

    // During the outage the export fails: the five valid records stay spooled, the invalid one is dead-lettered.
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
