// Covers the benchmark's own building blocks: the seeded workload (deterministic, the stated size mix,
// valid through the real mapping and validation), the median/spread helper and the CPU profile summary.
// The benchmark itself runs with `npm run bench`; it is not run by the test suite.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summariseCpuProfile } from '../../bench/cpu-profile.js';
import { spreadOf } from '../../bench/summary-stats.js';
import {
  SIZE_SWEEP,
  sweepRecord,
  toAuditLogRecord,
  workloadRecord,
  WORKLOAD_ACCOUNT_ID,
} from '../../bench/workload.js';
import { prepareAuditEvents } from '../../src/prepare-audit-events.js';

const prepare = (records: ReturnType<typeof workloadRecord>[]) =>
  prepareAuditEvents(
    records.map(toAuditLogRecord),
    { recipientAccountId: WORKLOAD_ACCOUNT_ID },
    { now: () => Date.UTC(2026, 10, 21), newId: () => crypto.randomUUID() },
  );

describe('benchmark workload', () => {
  it('builds record i the same way whether or not other records were built first', () => {
    const alone = workloadRecord(1234);
    for (let i = 0; i < 1234; i++) workloadRecord(i);
    expect(workloadRecord(1234)).toEqual(alone);
    expect(workloadRecord(1234, 7)).not.toEqual(alone);
  });

  it('gives mostly 0.5-2 kB events and about one in twenty of 10-50 kB, all valid', () => {
    const { events, rejections } = prepare(Array.from({ length: 2000 }, (_, i) => workloadRecord(i)));
    expect(rejections).toEqual([]);
    const sizes = events.map((e) => Buffer.byteLength(e.eventData));
    const share = (low: number, high: number) =>
      sizes.filter((s) => s >= low && s <= high).length / sizes.length;
    expect(share(500, 2_300)).toBeGreaterThan(0.85);
    expect(share(10_000, 50_000)).toBeGreaterThan(0.03);
    expect(share(10_000, 50_000)).toBeLessThan(0.08);
  });

  it('sizes sweep records near their nominal size and within the per-field limits', () => {
    for (const size of SIZE_SWEEP.filter((s) => s.eventDataBytes >= 2_000)) {
      const { events, rejections } = prepare([
        sweepRecord(1, size.eventDataBytes),
        sweepRecord(2, size.eventDataBytes),
      ]);
      expect(rejections).toEqual([]);
      const bytes = Buffer.byteLength(events[0]!.eventData);
      expect(Math.abs(bytes - size.eventDataBytes) / size.eventDataBytes).toBeLessThan(0.1);
    }
  });
});

describe('spreadOf', () => {
  it('gives the median and the range relative to it', () => {
    expect(spreadOf([10, 12, 11])).toMatchObject({ median: 11, min: 10, max: 12, runs: 3 });
    expect(spreadOf([10, 12, 11]).spread).toBeCloseTo(2 / 11);
    expect(spreadOf([4, 1, 3, 2]).median).toBe(2.5);
    expect(spreadOf([5]).spread).toBe(0);
  });
});

describe('summariseCpuProfile', () => {
  it('sums self time per function and per area and leaves idle time out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ctl-bench-test-'));
    try {
      const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
      const profile = {
        nodes: [
          { id: 1, callFrame: frame('(root)', '') },
          { id: 2, callFrame: frame('(idle)', '') },
          { id: 3, callFrame: frame('auditEventEntry', 'file:///x/src/mapping/prepare-event.ts') },
          { id: 4, callFrame: frame('(garbage collector)', '') },
        ],
        samples: [2, 3, 3, 4, 2, 3],
        timeDeltas: [5_000, 1_000, 2_000, 4_000, 9_000, 3_000],
      };
      const file = join(dir, 'a.cpuprofile');
      await writeFile(file, JSON.stringify(profile));
      const summary = await summariseCpuProfile(file);
      expect(summary.totalMillis).toBe(10);
      expect(summary.functions[0]).toEqual({
        name: 'auditEventEntry',
        where: 'src/mapping/prepare-event.ts',
        millis: 6,
      });
      expect(summary.areas).toEqual([
        { area: 'this library: src/mapping', millis: 6 },
        { area: 'garbage collector', millis: 4 },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
