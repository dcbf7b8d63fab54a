// How the default processor and exporter keep throughput up when each request takes a round trip: one
// export carries several requests' worth of records, sent concurrently and packed full. Speed itself is
// measured by `npm run bench`, never here; this file asserts the mechanism the speed depends on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/defaults.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { auditAttributes, createPipeline } from '../helpers/audit-pipeline.js';

describe('processor throughput mechanism', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, maxReceivedRequests: 10 });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('sends the requests of one export concurrently, up to maxConcurrentRequests, all of them full', async () => {
    // Latency keeps each request open long enough that sequential sending would never overlap two.
    emulator.setFaults({ latencyMillis: 50 });
    const pipeline = createPipeline(emulator);
    const n = 3 * DEFAULTS.maxExportBatchSize;
    for (let i = 0; i < n; i++) pipeline.emit(auditAttributes(i));
    await pipeline.provider.forceFlush();

    expect(emulator.stats.acceptedEvents).toBe(n);
    expect(pipeline.exporter.stats.dropped).toBe(0);
    expect(pipeline.exporter.stats.requests).toBe(Math.ceil(n / DEFAULTS.maxEventsPerRequest));
    expect(emulator.stats.peakInFlightRequests).toBeGreaterThan(1);
    expect(emulator.stats.peakInFlightRequests).toBeLessThanOrEqual(DEFAULTS.maxConcurrentRequests);
    await pipeline.provider.shutdown();
  });

  it('honours a lower maxConcurrentRequests', async () => {
    emulator.setFaults({ latencyMillis: 20 });
    const pipeline = createPipeline(emulator, { maxConcurrentRequests: 2 });
    for (let i = 0; i < DEFAULTS.maxExportBatchSize; i++) pipeline.emit(auditAttributes(i));
    await pipeline.provider.forceFlush();

    expect(emulator.stats.acceptedEvents).toBe(DEFAULTS.maxExportBatchSize);
    expect(emulator.stats.peakInFlightRequests).toBe(2);
    await pipeline.provider.shutdown();
  });
});
