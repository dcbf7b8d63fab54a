// Pacing of the redelivery of released spool records (src/spool/spool-redelivery.ts): a pass sends what
// was released, and records released again during that pass wait for the next delay. End-to-end outage
// recovery with the file spool is covered in test/durability.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Spool, SpoolEntry } from '../../../src/spool/spool.js';
import { createSpoolRedelivery, type SpoolRedelivery } from '../../../src/spool/spool-redelivery.js';

function entry(id: string): SpoolEntry {
  return {
    id,
    record: {
      hrTime: [0, 0],
      hrTimeObserved: [0, 0],
      resource: { attributes: {} },
      instrumentationScope: { name: 'test' },
      attributes: { 'audit.event_name': id },
    },
  };
}

/** A spool holding only released records: enough of the contract for the redelivery loop. */
function releasedOnlySpool(ids: string[]): Spool & { released: SpoolEntry[] } {
  const released = ids.map(entry);
  return {
    released,
    append: () => true,
    ack: () => undefined,
    release: () => undefined,
    replay: () => Promise.resolve([]),
    takeReleased: (max) => released.splice(0, max),
    size: 0,
    close: () => Promise.resolve(),
  };
}

describe('spool redelivery', () => {
  let redelivery: SpoolRedelivery | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(async () => {
    await redelivery?.stop();
    vi.useRealTimers();
  });

  it('sends every released record in batches after the delay', async () => {
    const spool = releasedOnlySpool(['a', 'b', 'c', 'd', 'e']);
    const batches: string[][] = [];
    redelivery = createSpoolRedelivery({
      spool,
      send: (entries) => {
        batches.push(entries.map((e) => e.id));
        return Promise.resolve();
      },
      delayMillis: 1_000,
      batchSize: 2,
    });
    redelivery.schedule();
    await vi.advanceTimersByTimeAsync(999);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('leaves records released again during a pass for the next delay, instead of looping', async () => {
    const spool = releasedOnlySpool(['a', 'b']);
    let sends = 0;
    redelivery = createSpoolRedelivery({
      spool,
      // The service is still down: every send gives its records back, as the processor does.
      send: (entries) => {
        sends += 1;
        // A looping pass would never yield to the fake clock; stop it so the test fails instead of hanging.
        if (sends > 5) return Promise.reject(new Error('redelivery is looping'));
        spool.released.push(...entries);
        redelivery!.schedule();
        return Promise.resolve();
      },
      delayMillis: 1_000,
      batchSize: 10,
    });
    redelivery.schedule();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sends).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(sends).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sends).toBe(2);
  });

  it('waits longer after each pass the service failed again, up to maxDelayMillis', async () => {
    const spool = releasedOnlySpool(['a']);
    const sentAt: number[] = [];
    redelivery = createSpoolRedelivery({
      spool,
      send: (entries) => {
        sentAt.push(Date.now());
        if (sentAt.length > 4) return Promise.resolve();
        spool.released.push(...entries);
        redelivery!.schedule();
        return Promise.resolve();
      },
      delayMillis: 1_000,
      maxDelayMillis: 4_000,
      batchSize: 10,
    });
    const start = Date.now();
    redelivery.schedule();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sentAt.map((at) => at - start)).toEqual([1_000, 3_000, 7_000, 11_000, 15_000]);
  });
});
