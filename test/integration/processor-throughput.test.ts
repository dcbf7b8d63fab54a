// How the default processor and exporter keep throughput up when each request takes a round trip: one
// export carries several requests' worth of records, sent concurrently and packed full, and several
// exports are in flight at once (maxConcurrentExports). Speed itself is measured by `npm run bench`,
// never here; this file asserts the mechanism the speed depends on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../../src/defaults.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { auditAttributes, createPipeline } from '../helpers/audit-pipeline.js';

// Each request is held far longer than a loaded machine's scheduling delays, so requests sent together
// overlap whatever the load: the in-flight counts below are the limits', never the machine's speed.
const HELD_MILLIS = 400;

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
    emulator.setFaults({ latencyMillis: HELD_MILLIS });
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
    emulator.setFaults({ latencyMillis: HELD_MILLIS });
    const pipeline = createPipeline(emulator, { maxConcurrentRequests: 2 });
    for (let i = 0; i < DEFAULTS.maxExportBatchSize; i++) pipeline.emit(auditAttributes(i));
    await pipeline.provider.forceFlush();

    expect(emulator.stats.acceptedEvents).toBe(DEFAULTS.maxExportBatchSize);
    expect(emulator.stats.peakInFlightRequests).toBe(2);
    await pipeline.provider.shutdown();
  });

  // One request per export (a batch of 100 records), so two requests at once means two exports at once.
  const onePerExport = { maxExportBatchSize: 100, scheduledDelayMillis: 60_000 };

  it('keeps two exports in flight at once, and forceFlush waits for both', async () => {
    // Held long enough that neither answer can come back before both exports have started.
    emulator.setFaults({ latencyMillis: 5 * HELD_MILLIS });
    const pipeline = createPipeline(emulator, {}, { ...onePerExport, maxConcurrentExports: 2 });
    for (let i = 0; i < 200; i++) pipeline.emit(auditAttributes(i));
    await vi.waitFor(() => expect(emulator.stats.inFlightRequests).toBe(2), { timeout: 5_000, interval: 5 });
    expect(emulator.stats.acceptedEvents).toBe(0);

    // Both batches are already handed over, so the sdk processor has nothing left to wait for.
    await pipeline.processor.forceFlush();
    expect(emulator.stats.acceptedEvents).toBe(200);
    expect(pipeline.processor.pendingRecords).toBe(0);
    expect(pipeline.exporter.stats).toMatchObject({ exported: 200, dropped: 0, failed: 0 });
    await pipeline.provider.shutdown();
  });

  it("runs one export at a time with maxConcurrentExports 1, the sdk processor's own behaviour", async () => {
    emulator.setFaults({ latencyMillis: 100 });
    const pipeline = createPipeline(emulator, {}, { ...onePerExport, maxConcurrentExports: 1 });
    for (let i = 0; i < 300; i++) pipeline.emit(auditAttributes(i));
    await pipeline.processor.forceFlush();
    expect(emulator.stats.acceptedEvents).toBe(300);
    expect(emulator.stats.peakInFlightRequests).toBe(1);
    await pipeline.provider.shutdown();
  });

  it('refuses a maxConcurrentExports that is not an integer from 1 to 1,000, naming the option', () => {
    for (const bad of [0, 1.5, 1_001]) {
      expect(() => createPipeline(emulator, {}, { maxConcurrentExports: bad })).toThrow(
        expect.objectContaining({ code: 'CTL_ERR_CONFIG', option: 'maxConcurrentExports' }),
      );
    }
  });

  it('never has more exports in flight than maxConcurrentExports, and shutdown waits for all of them', async () => {
    emulator.setFaults({ latencyMillis: HELD_MILLIS });
    const pipeline = createPipeline(emulator, {}, { ...onePerExport, maxConcurrentExports: 3 });
    for (let i = 0; i < 1_000; i++) pipeline.emit(auditAttributes(i));
    await pipeline.provider.shutdown();
    expect(emulator.stats.acceptedEvents).toBe(1_000);
    expect(emulator.stats.peakInFlightRequests).toBe(3);
    expect(pipeline.processor.pendingRecords).toBe(0);
  });
});
