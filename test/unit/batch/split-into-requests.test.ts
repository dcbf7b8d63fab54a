// The packer splitIntoRequests and the request body builders: exact boundaries (100 vs 101 events,
// maxRequestBytes vs +1 byte) and fast-check properties over random mixes of event sizes, emoji and
// characters that need escaping. Preparing the events themselves is covered in prepare-event.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUT_AUDIT_EVENTS_MAX_EVENTS } from '../../../src/limits.js';
import { DEFAULTS } from '../../../src/defaults.js';
import { EventTooLargeError, ConfigError } from '../../../src/errors.js';
import type { PreparedEvent } from '../../../src/mapping/audit-event.js';
import { auditEventEntry } from '../../../src/mapping/audit-event-entry.js';
import { requestBody, requestBodyBytes } from '../../../src/batch/request-body.js';
import { splitIntoRequests, type RequestLimits } from '../../../src/batch/split-into-requests.js';
import { checkRequestLimits } from '../../../src/batch/check-request-limits.js';

const ENVELOPE = Buffer.byteLength('{"auditEvents":[]}');

/** An event whose eventData is a JSON string holding `text`. */
function event(id: string, text: string): PreparedEvent {
  return auditEventEntry(id, JSON.stringify({ t: text }));
}

/** An event whose entry is exactly `entryBytes` UTF-8 bytes. */
function eventOfEntryBytes(id: string, entryBytes: number): PreparedEvent {
  const base = event(id, '');
  const padded = event(id, 'x'.repeat(entryBytes - base.entryBytes));
  expect(padded.entryBytes).toBe(entryBytes);
  return padded;
}

function check(events: PreparedEvent[], limits: RequestLimits): void {
  const { requests, tooLarge } = splitIntoRequests(events, limits);
  for (const request of requests) {
    expect(request.events.length).toBeGreaterThan(0);
    expect(request.events.length).toBeLessThanOrEqual(limits.maxEventsPerRequest);
    expect(request.body).toBe(requestBody(request.events));
    expect(request.bodyBytes).toBe(Buffer.byteLength(request.body));
    expect(request.bodyBytes).toBeLessThanOrEqual(limits.maxRequestBytes);
    expect(new Set(request.events.map((e) => e.id)).size).toBe(request.events.length);
    const parsed = JSON.parse(request.body) as { auditEvents: Array<{ id: string; eventData: string }> };
    expect(parsed.auditEvents.map((e) => e.id)).toEqual(request.events.map((e) => e.id));
  }
  const tooBig = events.filter((e) => ENVELOPE + e.entryBytes > limits.maxRequestBytes);
  expect(tooLarge.map((e) => e.eventId)).toEqual(tooBig.map((e) => e.id));
  // Every other event exactly once, in input order.
  expect(requests.flatMap((r) => r.events)).toEqual(events.filter((e) => !tooBig.includes(e)));
  // Greedy is maximal: the next request's first event could not have joined the previous request.
  for (let i = 0; i + 1 < requests.length; i++) {
    const previous = requests[i]!;
    const next = requests[i + 1]!.events[0]!;
    const couldJoin =
      previous.events.length < limits.maxEventsPerRequest &&
      requestBodyBytes([...previous.events, next]) <= limits.maxRequestBytes &&
      !previous.events.some((e) => e.id === next.id);
    expect(couldJoin).toBe(false);
  }
}

describe('requestBody and requestBodyBytes', () => {
  it('build {"auditEvents":[...]} and measure it exactly, escapes and emoji included', () => {
    const events = [
      event('a', 'plain'),
      event('b', 'quote " back \\ tab \t emoji 😀 é'),
      event('c', '\u2028'),
    ];
    const body = requestBody(events);
    expect(JSON.parse(body)).toEqual({
      auditEvents: events.map((e) => ({
        id: e.id,
        eventData: e.eventData,
        eventDataChecksum: e.eventDataChecksum,
      })),
    });
    expect(requestBodyBytes(events)).toBe(Buffer.byteLength(body));
    expect(requestBodyBytes([])).toBe(Buffer.byteLength(requestBody([])));
  });
});

describe('splitIntoRequests', () => {
  const defaults = {
    maxEventsPerRequest: DEFAULTS.maxEventsPerRequest,
    maxRequestBytes: DEFAULTS.maxRequestBytes,
  };

  it('puts 100 small events in one request and the 101st in a second', () => {
    const events = Array.from({ length: PUT_AUDIT_EVENTS_MAX_EVENTS + 1 }, (_, i) => event(`e${i}`, 'x'));
    const { requests } = splitIntoRequests(events, defaults);
    expect(requests.map((r) => r.events.length)).toEqual([100, 1]);
    expect(splitIntoRequests(events.slice(0, 100), defaults).requests).toHaveLength(1);
  });

  it('fills a request to exactly maxRequestBytes and moves an event one byte over to the next', () => {
    const first = eventOfEntryBytes('a', 500);
    const second = eventOfEntryBytes('b', 400);
    const exact = ENVELOPE + 500 + 1 + 400;
    const fits = splitIntoRequests([first, second], { maxEventsPerRequest: 100, maxRequestBytes: exact });
    expect(fits.requests).toHaveLength(1);
    expect(fits.requests[0]!.bodyBytes).toBe(exact);
    const over = eventOfEntryBytes('b', 401);
    expect(
      splitIntoRequests([first, over], { maxEventsPerRequest: 100, maxRequestBytes: exact }).requests,
    ).toHaveLength(2);
  });

  it('sends an event that fills a request exactly alone and rejects one a byte larger with its size and the limit', () => {
    const limit = 2000;
    const fits = eventOfEntryBytes('fits', limit - ENVELOPE);
    const big = eventOfEntryBytes('big', limit - ENVELOPE + 1);
    const { requests, tooLarge } = splitIntoRequests([fits, big, event('after', 'x')], {
      maxEventsPerRequest: 100,
      maxRequestBytes: limit,
    });
    expect(requests.map((r) => r.events.map((e) => e.id))).toEqual([['fits'], ['after']]);
    expect(tooLarge).toHaveLength(1);
    expect(tooLarge[0]).toBeInstanceOf(EventTooLargeError);
    expect(tooLarge[0]).toMatchObject({ eventId: 'big', bytes: limit + 1, limit });
  });

  it('never puts the same id twice in one request: the later one goes to a later request', () => {
    const events = [event('a', '1'), event('b', '2'), event('a', '3'), event('c', '4')];
    const { requests } = splitIntoRequests(events, defaults);
    expect(requests.map((r) => r.events.map((e) => e.eventData))).toEqual([
      [events[0]!.eventData, events[1]!.eventData],
      [events[2]!.eventData, events[3]!.eventData],
    ]);
  });

  it('returns no requests for no events', () => {
    expect(splitIntoRequests([], defaults)).toEqual({ requests: [], tooLarge: [] });
  });

  const text = fc.string({
    unit: fc.constantFrom('a', 'é', '€', '😀', '"', '\\', '\n', '\u0001', '\u2028'),
    maxLength: 300,
  });
  const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm');

  it('property: random mixes stay within both limits, keep order, hold each event once, and pack greedily', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: ids, text, repeat: fc.integer({ min: 1, max: 12 }) }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: ENVELOPE + 1, max: 12_000 }),
        (specs, maxEventsPerRequest, maxRequestBytes) => {
          const events = specs.map((s) => event(s.id, s.text.repeat(s.repeat)));
          check(events, { maxEventsPerRequest, maxRequestBytes });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: events near the default 1 MB limit, at the real limits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: ids,
            kilobytes: fc.integer({ min: 0, max: 1000 }),
            unit: fc.constantFrom('x', 'é', '"', '😀'),
          }),
          {
            maxLength: 8,
          },
        ),
        (specs) => {
          const events = specs.map((s) =>
            event(
              s.id,
              s.unit.repeat(Math.floor((s.kilobytes * 1000) / Buffer.byteLength(JSON.stringify(s.unit)))),
            ),
          );
          check(events, defaults);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('checkRequestLimits', () => {
  it('accepts the API bounds and rejects what lies outside, naming option, range and value', () => {
    expect(() => checkRequestLimits({ maxEventsPerRequest: 1, maxRequestBytes: 1_048_576 })).not.toThrow();
    expect(() => checkRequestLimits({ maxEventsPerRequest: 101 })).toThrow(ConfigError);
    expect(() => checkRequestLimits({ maxRequestBytes: 2_000_000 })).toThrow(
      'Expected `maxRequestBytes` to be an integer from 1 to 1048576, got `2000000` (number)',
    );
    expect(() => checkRequestLimits({ maxEventsPerRequest: 1.5 })).toThrow(
      'Expected `maxEventsPerRequest` to be an integer from 1 to 100, got `1.5` (number)',
    );
    expect(() => checkRequestLimits({ maxEventsPerRequest: '10' as unknown as number })).toThrow(
      'got `10` (string)',
    );
  });
});
