// The file spool inside the real pipeline at its limits: a full spool refuses new records (dropped,
// counted, warned, reported in stats) while what it holds is still delivered, and a spool with a torn,
// damaged tail is replayed without the damaged record, which is counted and warned about.
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createFileSpool } from '../../src/spool/file-spool.js';
import { auditAttributes, createPipeline, type Pipeline } from '../helpers/audit-pipeline.js';
import { captureDiag, type CapturedDiag } from '../helpers/capture-diag.js';
import { makeRecords } from '../helpers/log-records.js';

let emulator: Emulator;
let pipeline: Pipeline | undefined;
let directory: string;
let diag: CapturedDiag;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  directory = mkdtempSync(join(tmpdir(), 'ctl-limits-'));
  diag = captureDiag();
});

afterEach(async () => {
  await pipeline?.provider.shutdown();
  pipeline = undefined;
  diag.restore();
  await emulator.close();
  rmSync(directory, { recursive: true, force: true });
});

async function until(condition: () => boolean, timeoutMillis: number): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMillis} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('file spool limits in the pipeline', () => {
  it('refuses records once the spool is full, counts and reports them, and delivers what it holds', async () => {
    emulator.setFaults({ outage: { mode: 'unavailable' } });
    pipeline = createPipeline(
      emulator,
      // The deadline leaves room for the first request's connection set-up on a loaded machine: an answer
      // arriving after it would make the held records go out twice (at-least-once), failing the count.
      { timeoutMillis: 2_000, retry: { maxAttempts: 1 } },
      {
        spool: { directory, maxBytes: 16_384, fsync: 'never' },
        scheduledDelayMillis: 10,
        redeliveryDelayMillis: 100,
      },
    );
    for (let n = 0; n < 100; n++) pipeline.emit(auditAttributes(n));
    const stats = pipeline.processor.getStats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.dropped).toBeLessThan(100);
    expect(stats.spoolRecords).toBe(100 - stats.dropped);
    expect(stats.spoolBytes).toBeLessThanOrEqual(16_384);
    expect(pipeline.exporter.stats.dropped).toBe(stats.dropped);
    expect(diag.matching('warn', /is full \(maxBytes 16384/)).toHaveLength(1);

    emulator.setFaults({});
    await until(() => emulator.events().length >= 100 - stats.dropped, 5_000);
    await until(() => pipeline!.processor.getStats().spoolRecords === 0, 2_000);
    expect(emulator.events()).toHaveLength(100 - stats.dropped);
  }, 15_000);

  it('opens the file spool from the environment and refuses a second processor on the same directory', async () => {
    const env = { OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY: directory };
    pipeline = createPipeline(emulator, {}, {}, env);
    pipeline.emit(auditAttributes(1));
    expect(pipeline.processor.getStats().spoolBytes).toBeGreaterThan(0);
    expect(() => createPipeline(emulator, {}, { spool: { directory } })).toThrow(
      expect.objectContaining({
        code: 'CTL_ERR_SPOOL',
        message: expect.stringContaining(`in use by process ${process.pid}`) as unknown,
      }),
    );
    await pipeline.processor.forceFlush();
    expect(emulator.events()).toHaveLength(1);
  });

  it('skips a damaged record at the spool tail, counts it, and delivers the rest', async () => {
    const records = await makeRecords(
      [0, 1, 2, 3, 4].map((n) => auditAttributes(n, { 'audit.event_source': 'left-over' })),
    );
    const earlier = createFileSpool({ directory, fsync: 'never' });
    records.forEach((record, n) => earlier.append(`left-over-${n}`, record));
    await earlier.close();
    const segment = join(directory, 'segment-0000000001.log');
    truncateSync(segment, readFileSync(segment).length - 7);

    pipeline = createPipeline(emulator, {}, { spool: { directory, fsync: 'never' } });
    expect(pipeline.processor.getStats().spoolCorruptRecords).toBe(1);
    await pipeline.processor.forceFlush();
    await until(() => emulator.events().length >= 4, 5_000);
    expect(emulator.events().map((event) => event.eventData['UID'])).toEqual([
      'left-over-0',
      'left-over-1',
      'left-over-2',
      'left-over-3',
    ]);
    expect(diag.matching('warn', /skipped 1 damaged record/)).toHaveLength(1);
  });
});
