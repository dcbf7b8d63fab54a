// Properties of the adaptive rate limiter in a fleet, on a virtual clock (rate-limiter-fleet-simulation.ts):
// limiters that know nothing of each other keep one account quota busy with few throttles, share it, and
// take back what a member that stops leaves. The limiter alone is in rate-limiter.test.ts and
// adaptive-rate.test.ts; real processes against the emulator are in test/bench/fleet.test.ts.
import { describe, expect, it } from 'vitest';
import { simulateFleet, type FleetSimulationResult } from './rate-limiter-fleet-simulation.js';

/** Accepted requests of each member in seconds [from, to). */
function sharesIn(result: FleetSimulationResult, from: number, to: number): number[] {
  return result.acceptedBySecond.map((seconds) =>
    seconds.slice(from, to).reduce((sum, accepted) => sum + accepted, 0),
  );
}

describe('a fleet of adaptive rate limiters under one quota', () => {
  it('ten members each offering 1.3 times their share keep the quota busy with few throttles', async () => {
    const result = await simulateFleet({
      members: 10,
      quotaRequestsPerSecond: 100,
      offeredRequestsPerSecond: 13,
      offerSeconds: 20,
      startStaggerMillis: 100,
    });
    // Seconds 5 to 19: every member has been throttled at least once and all still have a backlog.
    const shares = sharesIn(result, 5, 19);
    const perSecond = shares.reduce((sum, share) => sum + share, 0) / 14;
    expect(perSecond).toBeGreaterThanOrEqual(90);
    expect(result.throttled / result.requests).toBeLessThanOrEqual(0.05);
    // Every member gets a real share; how even the shares are over a short window is in docs/fleet.md.
    const mean = (perSecond * 14) / 10;
    for (const share of shares) expect(share).toBeGreaterThan(mean * 0.5);
  });

  it('two members share the quota, whoever started first', async () => {
    const result = await simulateFleet({
      members: 2,
      quotaRequestsPerSecond: 20,
      offeredRequestsPerSecond: 15,
      offerSeconds: 100,
      startStaggerMillis: 3_000,
    });
    const [first = 0, second = 0] = sharesIn(result, 10, 100);
    expect(first + second).toBeGreaterThanOrEqual(0.9 * 20 * 90);
    expect(first / (first + second)).toBeGreaterThan(0.4);
    expect(first / (first + second)).toBeLessThan(0.6);
  });

  it('after a member stops, the rest climb back and take the whole quota', async () => {
    const result = await simulateFleet({
      members: 2,
      quotaRequestsPerSecond: 20,
      offeredRequestsPerSecond: 25,
      offerSeconds: [60, 10],
    });
    const [stayed = 0, stopped = 0] = sharesIn(result, 40, 58);
    expect(stopped).toBe(0);
    expect(stayed).toBeGreaterThanOrEqual(0.9 * 20 * 18);
    expect(result.rates[0]?.at(-1)).toBeGreaterThan(18);
  });

  it('ten members even out their shares over minutes, not over seconds', async () => {
    const deviation = (shares: number[]): number => {
      const mean = shares.reduce((sum, share) => sum + share, 0) / shares.length;
      return Math.max(...shares.map((share) => Math.abs(share / mean - 1)));
    };
    for (const seed of [1, 2, 3]) {
      const result = await simulateFleet({
        members: 10,
        quotaRequestsPerSecond: 100,
        offeredRequestsPerSecond: 13,
        offerSeconds: 240,
        startStaggerMillis: 100,
        seed,
      });
      // Each member learns its share only from its own throttles, a few in 15 s: four minutes hold ~16 times as many.
      const fourMinutes = deviation(sharesIn(result, 5, 239));
      expect(fourMinutes).toBeLessThan(0.25);
      expect(fourMinutes).toBeLessThan(deviation(sharesIn(result, 5, 19)));
    }
  });
});
