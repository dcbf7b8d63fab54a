// createStatsRecorder and createRejectionReporter: the counters behind exporter.stats, their OTel metrics
// (Collector-style names) when a MeterProvider is given, and the one rejection path that never throws.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../src/errors.js';
import { createStatsRecorder, METRIC_NAMES } from '../../../src/pipeline/export-stats.js';
import { createRejectionReporter } from '../../../src/pipeline/report-rejections.js';
import { TestMetricReader } from '../../helpers/test-metric-reader.js';

describe('export stats', () => {
  it('counts into a snapshot and into OTel counters named like the Collector exporter metrics', async () => {
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const stats = createStatsRecorder(meterProvider);
    stats.add('exported', 5);
    stats.add('failed', 2, { 'error.type': 'CTL_ERR_TIMEOUT' });
    stats.add('dropped', 1);
    expect(stats.snapshot()).toEqual({
      exported: 5,
      rejected: 0,
      retried: 0,
      failed: 2,
      dropped: 1,
      skipped: 0,
      requests: 0,
      channels: {},
    });
    const { resourceMetrics } = await reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const byName = new Map(metrics.map((m) => [m.descriptor.name, m.dataPoints]));
    expect(byName.get(METRIC_NAMES.exported)?.[0]?.value).toBe(5);
    expect(byName.get('otelcol_exporter_send_failed_log_records')?.[0]).toMatchObject({
      value: 2,
      attributes: { exporter: 'cloudtrail_lake', 'error.type': 'CTL_ERR_TIMEOUT' },
    });
    expect(byName.get('otelcol_exporter_enqueue_failed_log_records')?.[0]?.value).toBe(1);
    await meterProvider.shutdown();
  });

  it('reports rejections once per batch, counts them, and survives a throwing listener', () => {
    const stats = createStatsRecorder();
    const logged: string[] = [];
    const log = (message: string) => logged.push(message);
    const seen: number[] = [];
    const reporter = createRejectionReporter({
      stats,
      logger: { error: log, warn: log, info: log, debug: log, verbose: log },
      onRejected: () => {
        throw new Error('user bug');
      },
    });
    reporter.addListener((r) => seen.push(r.length));
    reporter.report([new MappingError('e1', 'mapRecord threw'), new MappingError('e2', 'mapRecord threw')]);
    reporter.report([]);
    expect(stats.snapshot().rejected).toBe(2);
    expect(seen).toEqual([2]);
    expect(logged.filter((l) => l.startsWith('Dropping 2 audit event(s)'))).toHaveLength(1);
    expect(logged.some((l) => l.includes('onRejected threw'))).toBe(true);
  });
});
