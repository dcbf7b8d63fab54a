// The 28 kB bound of additionalEventData: the stated cut order (attributes, body, then the other keys
// from last to first), the truncatedFields marker, and that the mapping applies it even without `truncate`.
import { describe, expect, it } from 'vitest';
import { EVENT_DATA_OBJECT_MAX_BYTES } from '../../../src/limits.js';
import {
  boundAdditionalEventData,
  TRUNCATED_FIELDS_KEY,
} from '../../../src/validation/bound-additional-event-data.js';
import { prepareAuditEvents } from '../../../src/prepare-audit-events.js';
import { validateEventData } from '../../../src/validation/validate-event-data.js';

const LIMIT = EVENT_DATA_OBJECT_MAX_BYTES.additionalEventData;
const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('boundAdditionalEventData', () => {
  it('leaves an object within the limit untouched', () => {
    const value = { a: 'x'.repeat(100), body: 'b' };
    expect(boundAdditionalEventData(value, LIMIT)).toEqual({ value, cut: [] });
  });

  it('cuts attributes first, then body, then other keys from last to first, and marks each cut', () => {
    const value = {
      user1: 'u'.repeat(5_000),
      user2: 'v'.repeat(5_000),
      body: 'b'.repeat(10_000),
      attributes: { k: 'a'.repeat(10_000) },
    };
    const first = boundAdditionalEventData(value, 25_000);
    expect(first.cut).toEqual(['additionalEventData.attributes']);
    expect(first.value).toEqual({
      user1: value.user1,
      user2: value.user2,
      body: value.body,
      [TRUNCATED_FIELDS_KEY]: ['additionalEventData.attributes'],
    });
    const more = boundAdditionalEventData(value, 8_000);
    expect(more.cut).toEqual([
      'additionalEventData.attributes',
      'additionalEventData.body',
      'additionalEventData.user2',
    ]);
    expect(Object.keys(more.value)).toEqual(['user1', TRUNCATED_FIELDS_KEY]);
    expect(size(more.value)).toBeLessThanOrEqual(8_000);
  });

  it('stops at the first cut that fits, counting the marker itself', () => {
    const value = { a: 'x'.repeat(50), b: 'y'.repeat(50) };
    const limit = size({ a: value.a, [TRUNCATED_FIELDS_KEY]: ['additionalEventData.b'] });
    expect(boundAdditionalEventData(value, limit).value).toEqual({
      a: value.a,
      [TRUNCATED_FIELDS_KEY]: ['additionalEventData.b'],
    });
    expect(boundAdditionalEventData(value, limit - 1).cut).toEqual([
      'additionalEventData.b',
      'additionalEventData.a',
    ]);
  });
});

describe('the 28 kB bound in the pipeline', () => {
  const attributes = {
    'audit.user_identity.type': 'User',
    'audit.user_identity.principal_id': 'alice',
    'audit.event_source': 'shop',
    'audit.event_name': 'Export',
    'audit.recipient_account_id': '123456789012',
  };
  const record = (body: string) => ({
    hrTime: [1795253400, 0] as const,
    hrTimeObserved: [1795253400, 0] as const,
    attributes: { ...attributes, 'audit.additional_event_data': { ticket: 'T-1' } },
    resource: { attributes: {} },
    instrumentationScope: { name: 'scope' },
    body,
  });

  it('drops an over-large body from a mapped record and says so, without the truncate option', () => {
    const { events, rejections } = prepareAuditEvents(
      [record('b'.repeat(LIMIT))],
      {},
      { now: () => 0, newId: () => 'e1' },
    );
    expect(rejections).toEqual([]);
    const data = JSON.parse(events[0]!.eventData) as { additionalEventData: unknown };
    expect(data.additionalEventData).toEqual({
      ticket: 'T-1',
      instrumentationScope: 'scope',
      truncatedFields: ['additionalEventData.body'],
    });
  });

  it('keeps a body that fits exactly', () => {
    const overhead = size({ ticket: 'T-1', body: '', instrumentationScope: 'scope' });
    const { events } = prepareAuditEvents(
      [record('b'.repeat(LIMIT - overhead))],
      {},
      { now: () => 0, newId: () => 'e2' },
    );
    const data = JSON.parse(events[0]!.eventData) as { additionalEventData: Record<string, unknown> };
    expect(size(data.additionalEventData)).toBe(LIMIT);
    expect(data.additionalEventData[TRUNCATED_FIELDS_KEY]).toBeUndefined();
  });

  it('rejects an over-large additionalEventData given as data unless truncate is on', () => {
    const data = {
      version: '1.0',
      userIdentity: { type: 'User', principalId: 'alice' },
      eventSource: 's',
      eventName: 'n',
      eventTime: '2026-11-21T09:30:00Z',
      UID: 'u',
      recipientAccountId: '123456789012',
      additionalEventData: { big: 'x'.repeat(LIMIT) },
    };
    expect(validateEventData(data, { eventId: 'e' }).errors[0]).toMatchObject({
      field: 'additionalEventData',
      reason: 'too_large',
    });
    const cut = validateEventData(data, { eventId: 'e', truncate: true });
    expect(cut.eventData!.additionalEventData).toEqual({ truncatedFields: ['additionalEventData.big'] });
  });
});
