// The pure parts behind the console: per-minute timeline buckets, rejections from the received log,
// the events view's filter, and a scan of the page's sources for HTML sinks. The HTTP endpoints that
// serve them are in console-route.test.ts.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterEvents } from '../../src/emulator/console/app/filter-events.js';
import type { StoredEvent } from '../../src/emulator/event-store.js';
import type { ReceivedRequest } from '../../src/emulator/handle-put-audit-events.js';
import {
  countEventsPerMinute,
  OTHER_EVENTS_SERIES,
  TIMELINE_MAX_SERIES,
} from '../../src/emulator/console/event-timeline.js';
import { listRejections } from '../../src/emulator/console/rejected-events.js';

const T0 = Date.parse('2026-11-30T10:00:00Z');

function stored(eventName: string, eventTime: string, extra: Record<string, unknown> = {}): StoredEvent {
  return {
    eventVersion: '1.0',
    eventCategory: 'ActivityAuditLog',
    eventType: 'ActivityLog',
    eventID: `${eventName}-${eventTime}`,
    eventTime,
    awsRegion: 'us-east-1',
    recipientAccountId: '123456789012',
    metadata: { ingestionTime: eventTime, channelARN: 'arn:aws:cloudtrail:us-east-1:123456789012:channel/c' },
    eventData: { eventName, eventTime, ...extra },
  };
}

describe('countEventsPerMinute', () => {
  it('counts per whole minute and event name, leaving out events at or after the end', () => {
    const events = [
      stored('Login', '2026-11-30T10:00:00Z'),
      stored('Login', '2026-11-30T10:00:59Z'),
      stored('Logout', '2026-11-30T10:01:00Z'),
      stored('Login', '2026-11-30T10:03:00Z'),
      stored('Login', '2026-11-30T09:59:59Z'),
    ];
    const timeline = countEventsPerMinute(events, T0, T0 + 3 * 60_000);
    expect(timeline).toMatchObject({ startMillis: T0, buckets: 3, total: 3 });
    expect(timeline.series).toEqual([
      { eventName: 'Login', counts: [2, 0, 0] },
      { eventName: 'Logout', counts: [0, 1, 0] },
    ]);
  });

  it('keeps the busiest names and sums the rest as one series', () => {
    const events = Array.from({ length: TIMELINE_MAX_SERIES + 2 }, (_, i) =>
      Array.from({ length: i + 1 }, () => stored(`Name${i}`, '2026-11-30T10:00:30Z')),
    ).flat();
    const timeline = countEventsPerMinute(events, T0, T0 + 60_000);
    expect(timeline.series).toHaveLength(TIMELINE_MAX_SERIES + 1);
    expect(timeline.series[0]).toEqual({
      eventName: `Name${TIMELINE_MAX_SERIES + 1}`,
      counts: [TIMELINE_MAX_SERIES + 2],
    });
    expect(timeline.series.at(-1)).toEqual({ eventName: OTHER_EVENTS_SERIES, counts: [1 + 2] });
  });
});

describe('listRejections', () => {
  const base = { channelArn: 'c', externalId: undefined, accessKeyId: undefined, receivedAtMillis: T0 };
  it('pairs each failed[] entry with the eventData sent under its id, newest request first', () => {
    const received: ReceivedRequest[] = [
      {
        ...base,
        requestId: 'r1',
        statusCode: 200,
        errorType: undefined,
        auditEvents: [
          { id: 'a', eventData: '{"eventName":"Good"}' },
          { id: 'b', eventData: 'not json' },
        ],
        response: {
          successful: [{ id: 'a', eventID: 'e' }],
          failed: [{ id: 'b', errorCode: 'InvalidData', errorMessage: 'bad' }],
        },
      },
      {
        ...base,
        requestId: 'r2',
        statusCode: 400,
        errorType: 'ThrottlingException',
        auditEvents: [{ id: 'c', eventData: '{}' }],
        response: undefined,
      },
    ];
    expect(listRejections(received)).toEqual({
      events: [
        {
          receivedAt: '2026-11-30T10:00:00.000Z',
          requestId: 'r1',
          id: 'b',
          errorCode: 'InvalidData',
          errorMessage: 'bad',
          eventData: 'not json',
        },
      ],
      requests: [
        {
          receivedAt: '2026-11-30T10:00:00.000Z',
          requestId: 'r2',
          statusCode: 400,
          errorType: 'ThrottlingException',
          eventCount: 1,
        },
      ],
    });
  });
});

describe('filterEvents', () => {
  const events = [
    stored('Login', '2026-11-30T10:00:00Z', {
      userIdentity: { principalId: 'Alice' },
      sourceIPAddress: '192.0.2.1',
    }),
    stored('Login', '2026-11-30T09:00:00Z', { userIdentity: { principalId: 'bob' }, errorCode: 'Denied' }),
    stored('Export', '2026-11-30T10:00:00Z', {
      eventSource: 'billing.example',
      userIdentity: { principalId: 'bob' },
    }),
  ];
  const names = (filter: Partial<typeof EMPTY_FILTER>): string[] =>
    filterEvents(events, { ...EMPTY_FILTER, ...filter }, T0).map((event) => event.eventID);

  it('matches text fields case-insensitively as substrings', () => {
    expect(names({ principal: 'ALI' })).toEqual(['Login-2026-11-30T10:00:00Z']);
    expect(names({ eventSource: 'billing', principal: 'bob' })).toEqual(['Export-2026-11-30T10:00:00Z']);
    expect(names({ sourceIp: '192.0.2' })).toHaveLength(1);
  });

  it('reads * as any error, - as none, and the range back from now', () => {
    expect(names({ errorCode: '*' })).toEqual(['Login-2026-11-30T09:00:00Z']);
    expect(names({ errorCode: '-' })).toHaveLength(2);
    expect(names({ withinMillis: 30 * 60_000 })).toHaveLength(2);
  });
});

describe('the console page sources', () => {
  it('never hand event text to an HTML parser', async () => {
    const dir = new URL('../../src/emulator/console/app/', import.meta.url);
    const files = (await readdir(dir)).filter((name) => /\.(ts|html)$/.test(name));
    expect(files.length).toBeGreaterThan(5);
    for (const name of files) {
      const text = await readFile(new URL(name, dir), 'utf8');
      expect(text, name).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|\beval\(|new Function/,
      );
    }
  });
});
