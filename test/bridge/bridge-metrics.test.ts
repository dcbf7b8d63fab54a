// Covers what the bridge tells its operator: /metrics in Prometheus text format (accepted, rejected by
// code, acknowledged records lost to a wrong channel, requests by status), the same values as OTel
// metrics through a given MeterProvider, and lostRecords in close(). The CLI's exit code after such a
// loss: bridge-cli.test.ts. Auth on /metrics: bridge-auth.test.ts.
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { watchLostRecords } from '../../src/bridge/bridge-counters.js';
import { startEmulator } from '../../src/emulator/index.js';
import { describe, expect, it, vi } from 'vitest';
import {
  TEST_CREDENTIALS,
  auditRecord,
  jsonRequest,
  post,
  startHarness,
  type Harness,
  harnessPerTest,
} from './bridge-harness.js';

const session = harnessPerTest();
let harness: Harness | undefined;

const JSON_HEADERS = { 'content-type': 'application/json' };

class TestReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A harness whose exporter writes to a well-formed channel ARN the emulator does not know. */
async function startWithWrongChannel(): Promise<Harness> {
  const emulator = await startEmulator({ port: 0 });
  session.cleanups.push(() => emulator.close());
  const wrongArn = emulator.channelArn.replace(
    /channel\/.*$/,
    'channel/00000000-0000-4000-8000-000000000000',
  );
  return session.track(
    await startHarness({
      exporterOptions: { endpoint: emulator.url, channelArn: wrongArn, credentials: TEST_CREDENTIALS },
      // A wrong channel fails every send the same way; the memory spool keeps those records for another
      // try until the bridge stops, and what it still holds then is acknowledged and lost.
      drainTimeoutMillis: 1_000,
    }),
  );
}

function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('bridge metrics', () => {
  it('shows records acknowledged and then lost to a wrong channel, and close() reports them', async () => {
    const { bridge } = await startWithWrongChannel();
    const body = JSON.stringify(
      jsonRequest([
        auditRecord('A'),
        auditRecord('B'),
        { attributes: [{ key: 'audit.event_name', value: { stringValue: 'NoUser' } }] },
      ]),
    );
    const response = await post(bridge.logsUrl, body, JSON_HEADERS);
    expect(response.status).toBe(200);
    await vi.waitFor(() => expect(bridge.pendingRecords).toBe(2));

    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    expect(metricValue(metrics, 'otel_cloudtrail_lake_bridge_records_accepted_total')).toBe(2);
    expect(
      metricValue(
        metrics,
        'otel_cloudtrail_lake_bridge_records_rejected_total{code="CTL_ERR_BRIDGE_INVALID_RECORD"}',
      ),
    ).toBe(1);
    expect(
      metricValue(metrics, 'otel_cloudtrail_lake_bridge_requests_total{protocol="http",status="200"}'),
    ).toBe(1);
    expect(metricValue(metrics, 'otel_cloudtrail_lake_bridge_records_exported_total')).toBe(0);
    expect(metrics).toMatch(/# TYPE otel_cloudtrail_lake_bridge_records_pending gauge/);

    expect(metricValue(metrics, 'otel_cloudtrail_lake_bridge_records_pending')).toBe(2);

    const result = await bridge.close();
    // The two acknowledged records were never accepted and nothing keeps them: lost, and said so.
    expect(result).toMatchObject({ lostRecords: 2, pendingRecords: 0 });
    expect(bridge.lostRecords).toBe(2);
  });

  it('shows nothing lost when CloudTrail Lake accepts everything', async () => {
    harness = session.track(await startHarness());
    await post(harness.bridge.logsUrl, JSON.stringify(jsonRequest([auditRecord('OK')])), JSON_HEADERS);
    await harness.bridge.drain();
    await vi.waitFor(() => expect(harness!.emulator.events()).toHaveLength(1));
    const metrics = await (await fetch(`${harness.bridge.url}/metrics`)).text();
    expect(metricValue(metrics, 'otel_cloudtrail_lake_bridge_records_exported_total')).toBe(1);
    expect(
      metricValue(
        metrics,
        'otel_cloudtrail_lake_bridge_records_dropped_total{reason="acknowledged_then_lost"}',
      ),
    ).toBe(0);
    expect(await harness.bridge.close()).toMatchObject({ drained: true, lostRecords: 0 });
  });

  it('publishes the same counters as OTel metrics through a given MeterProvider', async () => {
    const reader = new TestReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    harness = session.track(await startHarness({ meterProvider }));
    await post(harness.bridge.logsUrl, JSON.stringify(jsonRequest([auditRecord('M')])), JSON_HEADERS);
    const { resourceMetrics } = await reader.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const accepted = metrics.find(
      (metric) => metric.descriptor.name === 'otel_cloudtrail_lake_bridge_records_accepted',
    );
    expect(accepted?.dataPoints[0]?.value).toBe(1);
    const requests = metrics.find(
      (metric) => metric.descriptor.name === 'otel_cloudtrail_lake_bridge_requests',
    );
    expect(requests?.dataPoints.map((point) => [point.attributes['status'], point.value])).toEqual([
      ['200', 1],
    ]);
    await meterProvider.shutdown();
  });
});

describe('watchLostRecords', () => {
  it('logs an error with the count of acknowledged records lost since the last check, once per loss', () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const collect = (...args: unknown[]) => void lines.push(args.join(' '));
    diag.setLogger(
      { error: collect, warn: collect, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.WARN,
    );
    let lost = 0;
    const stop = watchLostRecords(() => lost, 1000);
    try {
      vi.advanceTimersByTime(1000);
      expect(lines).toEqual([]);
      lost = 2;
      vi.advanceTimersByTime(1000);
      vi.advanceTimersByTime(1000);
      lost = 3;
      vi.advanceTimersByTime(1000);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/2 log record\(s\) acknowledged to clients were lost \(2 since start\)/);
      expect(lines[1]).toMatch(/1 log record\(s\) acknowledged to clients were lost \(3 since start\)/);
    } finally {
      stop();
      diag.disable();
      vi.useRealTimers();
    }
  });
});
