// The fleet benchmark in its quick mode, for correctness only (never speed): three exporter processes
// against one emulator quota lose nothing, and the emulator really holds them to the quota. The speed
// targets (goodput, throttled share, fairness) are measured by `npm run bench`.
import { describe, expect, it } from 'vitest';
import { QUICK_FLEET, measureFleet } from '../../bench/fleet.js';

describe('fleet under one quota (quick mode)', () => {
  it('delivers every record of every process and throttles beyond the quota', async () => {
    const result = await measureFleet(QUICK_FLEET);
    expect(result.emitted).toBeGreaterThan(0);
    expect(result.lost, JSON.stringify(result.ledgers)).toBe(0);
    // Each member alone may send 100 requests/s, the account only `quotaRequestsPerSecond`: the
    // emulator must have said no at least once, and every member must have been served (it emitted, and
    // nothing is lost). The measuring window may be short or empty on a loaded machine: speed is for the bench.
    expect(result.throttled).toBeGreaterThan(0);
    expect(result.reachedQuota).toBe(true);
    expect(result.emittedPerMember).toHaveLength(QUICK_FLEET.members);
    expect(result.emittedPerMember.every((records) => records > 0)).toBe(true);
  }, 120_000);
});
