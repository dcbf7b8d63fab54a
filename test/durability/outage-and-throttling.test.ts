// Delivery through bad weather, in-process against the emulator: an outage longer than the exporter's
// retry budget ends with everything delivered (the file spool keeps what the exporter gave up on and the
// processor sends it again), and a throttling storm is ridden out with a lower request rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

async function until(condition: () => boolean, timeoutMillis: number): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMillis} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Requests per second between the first and the last received request. */
function requestRate(emulator: Emulator): number {
  const times = emulator.received().map((request) => request.receivedAtMillis);
  const spanMillis = Math.max(1, Math.max(...times) - Math.min(...times));
  return ((times.length - 1) * 1000) / spanMillis;
}

describe('outages and throttling', () => {
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
    const started = Date.now();
    await until(() => emulator!.events().length >= 300, 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(emulator.events()).toHaveLength(300);
    expect(emulator.stats.resets).toBeGreaterThan(0);
    // The exporter did give up during the outage: without the spool those records would be lost.
    expect(pipeline.exporter.stats.failed).toBeGreaterThan(0);
    await until(() => pipeline!.processor.stats.spoolRecords === 0, 2_000);
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
      { maxEventsPerRequest: 10, retry: { maxAttempts: 10, initialBackoffMillis: 5, maxBackoffMillis: 50 } },
      { scheduledDelayMillis: 10, maxExportBatchSize: 100 },
    );
    for (let n = 0; n < 300; n++) pipeline.emit(auditAttributes(n));
    await until(() => emulator!.events().length >= 300, 10_000);
    const calmRate = requestRate(emulator);

    emulator.resetStats();
    emulator.setFaults({ throttleRate: 0.5 }, 7);
    for (let n = 300; n < 600; n++) pipeline.emit(auditAttributes(n));
    await until(() => emulator!.events().length >= 600, 20_000);
    const stormRate = requestRate(emulator);
    // The emulator stores events before its answer reaches the exporter: let the last export finish.
    await pipeline.processor.forceFlush();

    expect(emulator.events()).toHaveLength(600);
    expect(emulator.stats.throttled).toBeGreaterThan(10);
    expect(pipeline.exporter.stats).toMatchObject({ exported: 600, failed: 0, rejected: 0 });
    expect(stormRate).toBeLessThan(calmRate / 2);
  }, 30_000);
});
