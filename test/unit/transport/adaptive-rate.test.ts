// Covers the adaptive rate alone, on explicit times: the cut to a factor of the rate really sent, the
// cubic climb back through the last throttled rate and on to the ceiling, the cap at twice the measured
// rate, and one cut per burst of throttles. The token bucket around it is in rate-limiter.test.ts; a
// fleet of limiters under one quota is in rate-limiter-fleet.test.ts.
import { describe, expect, it } from 'vitest';
import { createAdaptiveRate, type AdaptiveRate } from '../../../src/transport/adaptive-rate.js';

const OPTIONS = { maxRequestsPerSecond: 100, minRequestsPerSecond: 0.5, factor: 0.7, scale: 0.4 };

/** Answers requests at `perSecond`, each sent and answered at once, from `fromMillis` for `seconds`. */
function answer(rate: AdaptiveRate, perSecond: number, fromMillis: number, seconds: number): number {
  const gapMillis = 1000 / perSecond;
  let at = fromMillis;
  for (; at < fromMillis + seconds * 1000; at += gapMillis) {
    rate.onResponse({ throttled: false, sentAtMillis: at }, at);
  }
  return at;
}

/** Sends as fast as the rate allows, answered at once and never throttled, until `untilMillis`. */
function sendAtAllowedRate(rate: AdaptiveRate, fromMillis: number, untilMillis: number): number[] {
  const perSecond: number[] = [];
  for (let at = fromMillis; at < untilMillis; at += 1000 / rate.requestsPerSecond) {
    rate.onResponse({ throttled: false, sentAtMillis: at }, at);
    perSecond.push(rate.requestsPerSecond);
  }
  return perSecond;
}

describe('createAdaptiveRate', () => {
  it('keeps the ceiling while nothing is throttled', () => {
    const rate = createAdaptiveRate(OPTIONS);
    answer(rate, 10, 0, 5);
    expect(rate.requestsPerSecond).toBe(100);
  });

  it('cuts to the factor of the rate really sent, not of the ceiling', () => {
    const rate = createAdaptiveRate(OPTIONS);
    const at = answer(rate, 10, 0, 5);
    rate.onResponse({ throttled: true, sentAtMillis: at }, at);
    expect(rate.requestsPerSecond).toBeCloseTo(7, 1);
  });

  it('cuts once for throttles of requests sent before the cut, again for one sent after it', () => {
    const rate = createAdaptiveRate(OPTIONS);
    const at = answer(rate, 20, 0, 5);
    rate.onResponse({ throttled: true, sentAtMillis: at - 50 }, at);
    const once = rate.requestsPerSecond;
    rate.onResponse({ throttled: true, sentAtMillis: at - 20 }, at + 10);
    rate.onResponse({ throttled: true, sentAtMillis: at - 10 }, at + 20);
    expect(rate.requestsPerSecond).toBeGreaterThanOrEqual(once);
    rate.onResponse({ throttled: true, sentAtMillis: at + 5 }, at + 30);
    expect(rate.requestsPerSecond).toBeLessThan(once * 0.8);
  });

  it('climbs back to the throttled rate, dwells near it, then probes beyond it', () => {
    const rate = createAdaptiveRate(OPTIONS);
    const cutAt = answer(rate, 20, 0, 5);
    rate.onResponse({ throttled: true, sentAtMillis: cutAt }, cutAt);
    // CUBIC's K: the time the curve takes back to the plateau of 20 requests/s, (20 * 0.3 / 0.4)^(1/3) s.
    const kMillis = Math.cbrt((20 * 0.3) / 0.4) * 1000;
    const rates = sendAtAllowedRate(rate, cutAt + 1, cutAt + kMillis + 3_000);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(13.9);
    // Near the plateau the curve is flat: within a second either side of K it stays within 3 % of 20.
    const nearPlateau = createAdaptiveRate(OPTIONS);
    const at = answer(nearPlateau, 20, 0, 5);
    nearPlateau.onResponse({ throttled: true, sentAtMillis: at }, at);
    answer(nearPlateau, 20, at + 1, (kMillis - 1_000) / 1000);
    const before = nearPlateau.requestsPerSecond;
    answer(nearPlateau, 20, at + kMillis - 999, 2);
    const after = nearPlateau.requestsPerSecond;
    expect(before).toBeGreaterThan(20 * 0.97);
    expect(after).toBeLessThan(20 * 1.03);
    expect(after).toBeGreaterThan(before);
    // Then it probes for capacity others freed, up to the ceiling.
    expect(sendAtAllowedRate(rate, cutAt + kMillis + 3_000, cutAt + 30_000).at(-1)).toBe(100);
  });

  it('never runs further ahead than twice the rate it measures', () => {
    const rate = createAdaptiveRate(OPTIONS);
    const at = answer(rate, 20, 0, 5);
    rate.onResponse({ throttled: true, sentAtMillis: at }, at);
    // The caller has only 3 requests a second to send: the curve would reach the ceiling, the rate may not.
    answer(rate, 3, at + 1, 60);
    expect(rate.requestsPerSecond).toBeGreaterThan(5);
    // The meter counts in half-second steps, so 3 a second reads as 2 to 4 before smoothing.
    expect(rate.requestsPerSecond).toBeLessThanOrEqual(2 * 3 * 1.25);
  });

  it('falls no lower than the floor', () => {
    const rate = createAdaptiveRate({ ...OPTIONS, minRequestsPerSecond: 2 });
    let at = answer(rate, 4, 0, 5);
    for (let cut = 0; cut < 10; cut += 1, at += 1000) {
      rate.onResponse({ throttled: true, sentAtMillis: at }, at);
    }
    expect(rate.requestsPerSecond).toBe(2);
  });
});
