// eventTime formatting and parsing: UTC at one-second precision, checked against Date#toISOString over the
// whole 0000-9999 range, and the accepted shapes of `audit.event_time`. Fallback order is in the golden cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEventTime, hrTimeToEpochMillis, parseEventTime } from '../../../src/mapping/event-time.js';

const reference = (millis: number) =>
  `${new Date(Math.floor(millis / 1000) * 1000).toISOString().slice(0, 19)}Z`;

describe('formatEventTime', () => {
  it('matches Date#toISOString cut to the second for any time from year 0 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (millis) => {
        expect(formatEventTime(millis)).toBe(reference(millis));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches Date#toISOString for times in turn on the same day and on the days around it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -719_527, max: 2_932_894 }),
        fc.array(fc.integer({ min: -86_400_000, max: 2 * 86_400_000 - 1 }), { minLength: 2, maxLength: 20 }),
        (day, offsets) => {
          for (const offset of offsets) {
            const millis = day * 86_400_000 + offset;
            expect(formatEventTime(millis)).toBe(reference(millis));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('formats leap days, year ends and the epoch', () => {
    expect(formatEventTime(Date.parse('2028-02-29T23:59:59.999Z'))).toBe('2028-02-29T23:59:59Z');
    expect(formatEventTime(Date.parse('2026-12-31T23:59:59Z'))).toBe('2026-12-31T23:59:59Z');
    expect(formatEventTime(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatEventTime(-1)).toBe('1969-12-31T23:59:59Z');
  });

  it('returns undefined outside the Date range or for non-finite input', () => {
    expect(formatEventTime(Number.NaN)).toBeUndefined();
    expect(formatEventTime(8.64e15 + 1)).toBeUndefined();
  });
});

describe('parseEventTime', () => {
  it('reads ISO 8601 with a zone and epoch milliseconds', () => {
    expect(parseEventTime('2026-11-21T10:30:00.5+01:00')).toBe('2026-11-21T09:30:00Z');
    expect(parseEventTime('2026-11-21T09:30Z')).toBe('2026-11-21T09:30:00Z');
    expect(parseEventTime(1767323045678)).toBe('2026-01-02T03:04:05Z');
  });

  it('refuses local times and free-form dates rather than guess a zone', () => {
    for (const bad of ['2026-11-21T09:30:00', 'Nov 21 2026', '2026-11-21', '', true, {}])
      expect(parseEventTime(bad)).toBeUndefined();
  });
});

describe('hrTimeToEpochMillis', () => {
  it('converts [seconds, nanos] and treats [0, 0] as unset', () => {
    expect(hrTimeToEpochMillis([1767323045, 678_900_000])).toBe(1767323045678);
    expect(hrTimeToEpochMillis([0, 0])).toBeUndefined();
    expect(hrTimeToEpochMillis(undefined)).toBeUndefined();
  });
});
