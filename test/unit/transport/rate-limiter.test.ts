// Covers the token-bucket rate limiter on fake timers: the rate and burst are honoured, waits are FIFO
// and abortable, and the adaptive rate falls on throttling and climbs back (its curve in detail is in
// adaptive-rate.test.ts). Its use by the retrying transport is in retrying-transport.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../../../src/defaults.js';
import { ConfigError } from '../../../src/errors.js';
import { createRateLimiter } from '../../../src/transport/rate-limiter.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts `count` acquisitions and records when each one is granted. */
function acquireMany(
  limiter: ReturnType<typeof createRateLimiter>,
  count: number,
  signal?: AbortSignal,
): number[] {
  const granted: number[] = [];
  for (let index = 0; index < count; index += 1) {
    void limiter.acquire(signal).then(
      () => granted.push(Date.now()),
      () => undefined,
    );
  }
  return granted;
}

describe('createRateLimiter', () => {
  it('grants no more than the rate plus the burst in any second', async () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 20, burst: 2 });
    const granted = acquireMany(limiter, 100);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted.length).toBeGreaterThanOrEqual(20);
    expect(granted.length).toBeLessThanOrEqual(22);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(granted).toHaveLength(100);
    for (let start = 0; start + 22 < granted.length; start += 1) {
      expect((granted[start + 22] as number) - (granted[start] as number)).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('lets a burst through at once after a quiet spell, then spaces requests', async () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 10, burst: 3 });
    const granted = acquireMany(limiter, 5);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted).toEqual([0, 0, 0, 100, 200]);
  });

  it('uses a tenth of the default quota as its default burst', async () => {
    const limiter = createRateLimiter();
    const granted = acquireMany(limiter, DEFAULTS.maxRequestsPerSecond);
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(DEFAULTS.maxRequestsPerSecond / 10);
  });

  it('grants in the order of the requests', async () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 5, burst: 1 });
    const order: number[] = [];
    for (const id of [1, 2, 3, 4]) void limiter.acquire().then(() => order.push(id));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('rejects an aborted wait with the signal reason and gives its turn to the next', async () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 1, burst: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    let nextAt: number | undefined;
    void next.then(() => (nextAt = Date.now()));
    controller.abort(new Error('deadline'));
    await expect(aborted).rejects.toThrow('deadline');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(nextAt).toBe(1_000);
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('deadline');
  });

  /** Answers `count` requests, one every `gapMillis`, as the retrying transport reports them. */
  function answered(limiter: ReturnType<typeof createRateLimiter>, count: number, gapMillis: number): void {
    for (let index = 0; index < count; index += 1) {
      vi.setSystemTime(Date.now() + gapMillis);
      limiter.onResponse({ throttled: false, sentAtMillis: Date.now() });
    }
  }

  it('keeps the maximum rate until the service throttles', () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 50 });
    answered(limiter, 100, 100);
    expect(limiter.currentRequestsPerSecond).toBe(50);
  });

  it('cuts the rate on throttling to the factor of the rate it was sending at, down to the floor', () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 100, throttleRateFactor: 0.5 });
    answered(limiter, 40, 100);
    limiter.onResponse({ throttled: true, sentAtMillis: Date.now() });
    expect(limiter.currentRequestsPerSecond).toBeCloseTo(5, 1);
    const floored = createRateLimiter({ maxRequestsPerSecond: 100, minRequestsPerSecond: 8 });
    answered(floored, 40, 100);
    floored.onResponse({ throttled: true, sentAtMillis: Date.now() });
    expect(floored.currentRequestsPerSecond).toBe(8);
  });

  it('spaces requests at the lowered rate while throttled', async () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 10, burst: 1, throttleRateFactor: 0.5 });
    answered(limiter, 30, 100);
    await limiter.acquire();
    limiter.onResponse({ throttled: true, sentAtMillis: Date.now() });
    const granted = acquireMany(limiter, 3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(granted).toHaveLength(3);
    expect((granted[2] as number) - (granted[1] as number)).toBeGreaterThanOrEqual(199);
  });

  it('grants sooner once the rate climbs back', async () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 10, burst: 1, throttleRateFactor: 0.5 });
    answered(limiter, 30, 100);
    limiter.onResponse({ throttled: true, sentAtMillis: Date.now() });
    const cut = limiter.currentRequestsPerSecond;
    answered(limiter, 100, 100);
    expect(limiter.currentRequestsPerSecond).toBe(10);
    expect(cut).toBeLessThan(6);
    await limiter.acquire();
    const granted = acquireMany(limiter, 2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((granted[1] as number) - (granted[0] as number)).toBeLessThanOrEqual(101);
  });

  it.each([
    [{ maxRequestsPerSecond: 0 }, 'maxRequestsPerSecond'],
    [{ maxRequestsPerSecond: Number.NaN }, 'maxRequestsPerSecond'],
    [{ throttleRateFactor: 1 }, 'throttleRateFactor'],
    [{ burst: 0.5 }, 'burst'],
    [{ recoveryScale: 0 }, 'recoveryScale'],
    [{ minRequestsPerSecond: 0 }, 'minRequestsPerSecond'],
  ])('rejects %j as a ConfigError naming the option', (options, option) => {
    expect(() => createRateLimiter(options)).toThrow(ConfigError);
    expect(() => createRateLimiter(options)).toThrow(option);
  });
});
