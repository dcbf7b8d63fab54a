// The whole path with no faults: LoggerProvider -> CloudTrailLakeLogRecordProcessor -> exporter -> emulator.
// Covers packing (request count against the count and byte limits), what the emulator stored, counters and
// the skipping of non-audit records. Faults, lifecycle and configuration are covered in the other exporter-*/processor-* files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { auditAttributes, createPipeline } from '../helpers/audit-pipeline.js';

describe('exporting audit records to the emulator', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('stores every record of mixed sizes and packs them into as few requests as the limits allow', async () => {
    const maxRequestBytes = 60_000;
    const pipeline = createPipeline(emulator, { maxRequestBytes });
    const n = 450;
    const sizes = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 9_000 : 50 + ((i * 37) % 400)));
    for (let i = 0; i < n; i++) {
      pipeline.emit(
        auditAttributes(i, { 'audit.request_parameters': { note: 'x'.repeat(sizes[i]!), n: i } }),
      );
    }
    await pipeline.provider.forceFlush();

    const stored = emulator.events();
    expect(stored).toHaveLength(n);
    const principals = new Set(
      stored.map((e) => (e.eventData['userIdentity'] as { principalId: string }).principalId),
    );
    expect(principals.size).toBe(n);

    const received = emulator.received().filter((r) => r.statusCode === 200);
    const bodyBytes = received.map((r) => Buffer.byteLength(JSON.stringify({ auditEvents: r.auditEvents })));
    const totalBytes = bodyBytes.reduce((a, b) => a + b, 0);
    const maxEntryBytes = Math.max(
      ...received.flatMap((r) => r.auditEvents!.map((e) => Buffer.byteLength(JSON.stringify(e)))),
    );
    const lowerBound = Math.max(Math.ceil(n / 100), Math.ceil(totalBytes / maxRequestBytes));
    const upperBound = Math.ceil(n / 100) + Math.ceil(totalBytes / (maxRequestBytes - maxEntryBytes)) + 1;
    expect(received.length).toBeGreaterThanOrEqual(lowerBound);
    expect(received.length).toBeLessThanOrEqual(upperBound);
    for (const bytes of bodyBytes) expect(bytes).toBeLessThanOrEqual(maxRequestBytes);
    for (const r of received) expect(r.auditEvents!.length).toBeLessThanOrEqual(100);

    expect(pipeline.exporter.stats).toMatchObject({
      exported: n,
      rejected: 0,
      failed: 0,
      requests: received.length,
    });
    await pipeline.provider.shutdown();
  });

  it('sends each event under the id it carries in audit.id, which is also its UID', async () => {
    const pipeline = createPipeline(emulator);
    pipeline.emit(auditAttributes(1, { 'audit.id': 'given-id-1' }));
    pipeline.emit(auditAttributes(2));
    await pipeline.provider.forceFlush();
    const entries = emulator.received().flatMap((r) => r.auditEvents ?? []);
    expect(entries.map((e) => e.id)).toContain('given-id-1');
    const generated = entries.find((e) => e.id !== 'given-id-1')!;
    expect(generated.id).toMatch(/^[-_A-Za-z0-9]{1,128}$/);
    const uids = emulator.events().map((e) => e.eventData['UID']);
    expect(uids.sort()).toEqual(entries.map((e) => e.id).sort());
    await pipeline.provider.shutdown();
  });

  it('skips records without audit attributes before they take queue space, and counts them', async () => {
    const pipeline = createPipeline(emulator, {}, { maxQueueSize: 5, maxExportBatchSize: 5 });
    for (let i = 0; i < 20; i++) pipeline.emit({ 'http.route': '/health', n: i });
    pipeline.emit(auditAttributes(1));
    await pipeline.provider.forceFlush();
    expect(emulator.events()).toHaveLength(1);
    expect(pipeline.exporter.stats).toMatchObject({ skipped: 20, dropped: 0, exported: 1 });
    await pipeline.provider.shutdown();
  });
});
