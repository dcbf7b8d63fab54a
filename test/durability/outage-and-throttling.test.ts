// Delivery through bad weather, in-process against the emulator: an outage longer than the exporter's
// retry budget ends with everything delivered (the spool, in memory by default or on disk, keeps what the
// exporter gave up on and the processor sends it again), and a throttling storm is ridden out with a
// lower request rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../../src/defaults.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { auditAttributes, createPipeline, type Pipeline } from '../helpers/audit-pipeline.js';

let emulator: Emulator | undefined;
let pipeline: Pipeline | undefined;
let directory: string | undefined;

afterEach(async () => {
  await pipeline?.provider.shutdown();
  await emulator?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  pipeline = undefined;
  directory = undefined;
});

/** Requests per second between the first and the last received request. */
function requestRate(emulator: Emulator): number {
  const times = emulator.received().map((request) => request.receivedAtMillis);
  const spanMillis = Math.max(1, Math.max(...times) - Math.min(...times));
  return ((times.length - 1) * 1000) / spanMillis;
}

describe('outages and throttling', () => {
  it('loses nothing to an outage with the default in-memory spool: it redelivers with backoff', async () => {
    emulator = await startEmulator({ port: 0 });
    emulator.setFaults({ outage: { mode: 'unavailable' } });
    // The default configuration, with the waits scaled down from seconds to milliseconds.
    pipeline = createPipeline(
      emulator,
      { retry: { maxAttempts: 2, initialBackoffMillis: 5, maxBackoffMillis: 20 } },
      { scheduledDelayMillis: 20, redeliveryDelayMillis: 50 },
    );
    const records = 2_000;
    for (let n = 0; n < records; n++) pipeline.emit(auditAttributes(n, { 'audit.id': `outage-${n}` }));
    // Every batch failed at least once and is kept, not dropped.
    await vi.waitFor(() => expect(pipeline!.exporter.stats.failed).toBeGreaterThanOrEqual(records), {
      timeout: 10_000,
    });
    expect(pipeline.processor.stats.ledger).toMatchObject({ taken: records, dropped: 0, pending: records });

    emulator.setFaults({});
    await vi.waitFor(() => expect(pipeline!.processor.stats.ledger.accepted).toBe(records), {
      timeout: 20_000,
      interval: 50,
    });
    const stored = new Set(emulator.events().map((event) => event.eventData['UID']));
    expect(stored.size).toBe(records);
    expect(pipeline.processor.stats.ledger).toMatchObject({ taken: records, dropped: 0, pending: 0 });
  }, 40_000);

  it('delivers everything after an outage longer than the retry budget, in bounded time', async () => {
    emulator = await startEmulator({ port: 0 });
    directory = mkdtempSync(join(tmpdir(), 'ctl-outage-'));
    emulator.setFaults({ outage: { mode: 'reset', durationMillis: 1_500 } });
    pipeline = createPipeline(
      emulator,
      { timeoutMillis: 300, retry: { maxAttempts: 2, initialBackoffMillis: 5, maxBackoffMillis: 20 } },
      { spool: { directory, fsync: 'never' }, scheduledDelayMillis: 20, redeliveryDelayMillis: 200 },
    );
    for (let n = 0; n < 300; n++) pipeline.emit(auditAttributes(n));
    await vi.waitFor(() => expect(emulator!.events().length).toBeGreaterThanOrEqual(300), {
      timeout: 10_000,
    });
    expect(emulator.events()).toHaveLength(300);
    // Every record arrived once: the ones the exporter gave up on were sent again, none twice.
    const principals = emulator
      .events()
      .map((event) => (event.eventData['userIdentity'] as { principalId: string }).principalId);
    expect(new Set(principals)).toEqual(new Set(Array.from({ length: 300 }, (_, n) => `user-${n}`)));
    expect(emulator.stats.resets).toBeGreaterThan(0);
    // The exporter did give up during the outage: without the spool those records would be lost.
    expect(pipeline.exporter.stats.failed).toBeGreaterThan(0);
    await vi.waitFor(() => expect(pipeline!.processor.stats.spoolRecords).toBe(0), { timeout: 10_000 });
    expect(pipeline.processor.stats).toMatchObject({
      spoolRecords: 0,
      spoolBytes: 0,
      oldestPendingAgeMillis: 0,
    });
  }, 20_000);

  it('rides out a storm where half the requests are throttled, backing off the request rate', async () => {
    emulator = await startEmulator({ port: 0, maxReceivedRequests: 10_000 });
    pipeline = createPipeline(
      emulator,
      {
        maxEventsPerRequest: 10,
        retry: { maxAttempts: 10, initialBackoffMillis: 5, maxBackoffMillis: 50 },
        // At a few requests a second an export of ten requests, each throttled half the time, can outlast
        // the default deadline on a loaded machine; this test is about backing off, not deadlines.
        timeoutMillis: 50_000,
      },
      { scheduledDelayMillis: 10, maxExportBatchSize: 100, exportTimeoutMillis: 55_000 },
    );
    for (let n = 0; n < 300; n++) pipeline.emit(auditAttributes(n));
    await vi.waitFor(() => expect(emulator!.events().length).toBeGreaterThanOrEqual(300), {
      timeout: 10_000,
    });

    emulator.resetStats();
    emulator.setFaults({ throttleRate: 0.5 }, 7);
    for (let n = 300; n < 600; n++) pipeline.emit(auditAttributes(n));
    // Every throttle cuts the rate to 0.7 times what was really sent, as the AWS SDKs' adaptive mode does,
    // so under a storm of random throttles the exporter settles at a few requests a second: about 55
    // attempts take some 17 s on an idle machine.
    await vi.waitFor(() => expect(emulator!.events().length).toBeGreaterThanOrEqual(600), {
      timeout: 45_000,
    });
    const stormRate = requestRate(emulator);
    // The emulator stores events before its answer reaches the exporter: let the last export finish.
    await pipeline.processor.forceFlush();

    expect(emulator.events()).toHaveLength(600);
    expect(emulator.stats.throttled).toBeGreaterThan(10);
    expect(pipeline.exporter.stats).toMatchObject({ exported: 600, failed: 0, rejected: 0 });
    // An upper bound, which a slow machine can only make easier to meet: without the limiter's cuts the
    // exporter would send at up to its maximum rate (plus a burst), throttled or not.
    expect(stormRate).toBeLessThan(DEFAULTS.maxRequestsPerSecond / 2);
  }, 60_000);
});
