// Covers stored events that keep eventData as the client's JSON text until it is read: they look, copy
// and serialise exactly like an event holding the parsed object, the first read parses once and keeps
// the object, and an assignment replaces it.
import { describe, expect, it } from 'vitest';
import { storedEventWithText, type StoredEvent } from '../../../src/emulator/event-store.js';

const fields = (): Omit<StoredEvent, 'eventData'> => ({
  eventVersion: '2.11',
  eventCategory: 'ActivityAuditLog',
  eventType: 'ActivityLog',
  eventID: '7f3b0c2e-0000-4000-8000-000000000001',
  eventTime: '2026-11-30T10:00:00Z',
  awsRegion: 'us-east-1',
  recipientAccountId: '123456789012',
  metadata: {
    ingestionTime: '2026-11-30T10:00:01Z',
    channelARN: 'arn:aws:cloudtrail:us-east-1:123456789012:channel/c',
  },
});
const text = '{ "version": "1.0", "eventName": "Login", "note": "café \\"quoted\\"", "n": [1, 2.5] }';

describe('storedEventWithText', () => {
  it('serialises, copies and compares like the event with the parsed object', () => {
    const eager: StoredEvent = { ...fields(), eventData: JSON.parse(text) as Record<string, unknown> };
    const lazy = storedEventWithText(fields(), text);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
    expect(Object.keys(lazy)).toEqual(Object.keys(eager));
    const copy = { ...storedEventWithText(fields(), text) };
    expect(Object.getOwnPropertySymbols(copy)).toEqual([]);
    expect(copy).toStrictEqual(eager);
  });

  it('parses on the first read and keeps that object', () => {
    const lazy = storedEventWithText(fields(), text);
    const first = lazy.eventData;
    expect(first['eventName']).toBe('Login');
    expect(lazy.eventData).toBe(first);
    expect(Object.keys(lazy)).toEqual([...Object.keys(fields()), 'eventData']);
  });

  it('takes an assignment in place of the text', () => {
    const lazy = storedEventWithText(fields(), text);
    lazy.eventData = { eventName: 'Logout' };
    expect(lazy.eventData).toEqual({ eventName: 'Logout' });
    expect(JSON.parse(JSON.stringify(lazy)).eventData).toEqual({ eventName: 'Logout' });
  });
});
