// auditEventEntry and eventFromEventData: the checksum against an independent SHA-256 (WebCrypto), the entry
// JSON as it appears in a request, and validation of eventData given as data (the CLI's path).
// Schema rules in detail are covered in test/unit/validation/validate-event-data.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../../src/errors.js';
import { EventTooLargeError } from '../../../src/errors.js';
import {
  eventDataChecksum,
  LAZY_EVENT_DATA_MIN_CHARS,
  auditEventEntry,
  eventFromEventData,
} from '../../../src/mapping/audit-event-entry.js';
import { validEventData } from '../../helpers/valid-event-data.js';

async function independentChecksum(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('base64');
}

const valid = validEventData();

describe('auditEventEntry', () => {
  it('computes the checksum as base64 SHA-256 of the exact eventData UTF-8 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), async (text) => {
        const eventData = JSON.stringify({ text });
        expect(auditEventEntry('id-1', eventData).eventDataChecksum).toBe(
          await independentChecksum(eventData),
        );
        expect(eventDataChecksum(eventData)).toBe(await independentChecksum(eventData));
      }),
      { numRuns: 100 },
    );
  });

  it('builds the entry as sent, with its exact UTF-8 size, without re-serialising eventData', () => {
    const eventData = JSON.stringify({ note: 'quote " slash \\ emoji 😀 line\u2028sep' });
    const event = auditEventEntry('id_1-A', eventData);
    expect(event.eventData).toBe(eventData);
    expect(JSON.parse(event.entryJson)).toEqual({
      id: 'id_1-A',
      eventData,
      eventDataChecksum: event.eventDataChecksum,
    });
    expect(event.entryBytes).toBe(Buffer.byteLength(event.entryJson));
  });

  it('gives back the exact eventData string from the entry, whatever its characters and the id length', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[-_A-Za-z0-9]{1,128}$/),
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('\ud800', '"\\"', '\u2028')),
        (id, text) => {
          // Small eventData is kept as is; from LAZY_EVENT_DATA_MIN_CHARS on it is read back from the entry.
          for (const eventData of [text, text + 'x'.repeat(LAZY_EVENT_DATA_MIN_CHARS)]) {
            const event = auditEventEntry(id, eventData);
            expect(event.eventData).toBe(eventData);
            expect((JSON.parse(event.entryJson) as { eventData: string }).eventData).toBe(eventData);
          }
        },
      ),
      { numRuns: 300, seed: 2 },
    );
  });

  it('shows eventData as an ordinary enumerable member: in keys, spreads, JSON and assignment', () => {
    const eventData = JSON.stringify({ a: 'x"y', pad: 'p'.repeat(LAZY_EVENT_DATA_MIN_CHARS) });
    const event = auditEventEntry('id-1', eventData);
    expect(Object.getOwnPropertyDescriptor(event, 'eventData')).toHaveProperty('get');
    expect(Object.keys(event)).toContain('eventData');
    expect({ ...event }.eventData).toBe(eventData);
    expect((JSON.parse(JSON.stringify(event)) as { eventData: string }).eventData).toBe(eventData);
    expect(event).toEqual({
      id: 'id-1',
      eventData,
      eventDataChecksum: event.eventDataChecksum,
      entryJson: event.entryJson,
      entryBytes: event.entryBytes,
    });
    event.eventData = '{}';
    expect(event.eventData).toBe('{}');
  });
});

describe('eventFromEventData', () => {
  it('sizes every entry exactly, whatever the text holds (emoji, quotes, control characters, lone surrogates)', () => {
    const unit = fc.constantFrom(
      'a',
      'é',
      '😀',
      '"',
      '\\',
      '\n',
      '\u0000',
      '\u001f',
      '\ud800',
      '\udfff',
      '\u2028',
      '/',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 80 }), fc.string({ unit, maxLength: 20 }), (value, key) => {
        const result = eventFromEventData({ ...valid, requestParameters: { [key]: value } }, 'sized');
        const event = result.event!;
        expect(event.entryBytes).toBe(Buffer.byteLength(event.entryJson));
        expect(
          (
            JSON.parse(JSON.parse(event.entryJson).eventData as string) as typeof valid & {
              requestParameters: object;
            }
          ).requestParameters,
        ).toEqual({ [key]: value });
      }),
      { numRuns: 300 },
    );
  });

  it('validates and prepares an eventData object given as data', () => {
    const result = eventFromEventData(valid, 'line-1');
    expect(result.errors).toBeUndefined();
    expect(JSON.parse(result.event!.eventData)).toEqual(valid);
  });

  it('returns every validation error for a bad object', () => {
    const result = eventFromEventData({ ...valid, eventTime: 'x', sourceIPAddress: 'host' }, 'line-2');
    expect(result.event).toBeUndefined();
    expect(result.errors!.map((e) => (e as ValidationError).field)).toEqual(['eventTime', 'sourceIPAddress']);
  });

  it('deep-checks data from outside: a Date nested in requestParameters is rejected', () => {
    const result = eventFromEventData({ ...valid, requestParameters: { at: new Date(0) } }, 'line-3');
    expect(result.errors![0]).toMatchObject({ field: 'requestParameters', reason: 'invalid' });
  });

  it('gives a public caller every check, whatever else its options object carries', () => {
    // The pipeline skips checks it made already through an internal entry point; options that name
    // those shortcuts must not switch them off here.
    const options = { trusted: true, idChecked: true } as Parameters<typeof eventFromEventData>[2];
    expect(eventFromEventData(valid, 'has space', options).errors![0]).toMatchObject({ field: 'id' });
    const nested = eventFromEventData({ ...valid, requestParameters: { at: new Date(0) } }, 'ok', options);
    expect(nested.errors![0]).toMatchObject({ field: 'requestParameters', reason: 'invalid' });
    const unknownField = eventFromEventData({ ...valid, notAField: 1 }, 'ok', options);
    expect(unknownField.errors).toBeDefined();
  });

  it('rejects an id outside the API pattern', () => {
    expect(eventFromEventData(valid, 'has space').errors![0]).toMatchObject({
      field: 'id',
      reason: 'invalid',
    });
    expect(eventFromEventData(valid, 'x'.repeat(129)).errors![0]).toMatchObject({ field: 'id' });
  });

  it('rejects an event that cannot fit in maxRequestBytes alone, giving its size', () => {
    const event = eventFromEventData(valid, 'big').event!;
    const needed = Buffer.byteLength(`{"auditEvents":[${event.entryJson}]}`);
    expect(eventFromEventData(valid, 'big', { maxRequestBytes: needed }).event).toBeDefined();
    const error = eventFromEventData(valid, 'big', { maxRequestBytes: needed - 1 }).errors![0];
    expect(error).toBeInstanceOf(EventTooLargeError);
    expect(error).toMatchObject({ bytes: needed, limit: needed - 1 });
  });

  it('measures object limits exactly even when the whole event is large', () => {
    const big = {
      ...valid,
      requestParameters: { k: 'é'.repeat(49_996) },
      responseElements: { k: 'x'.repeat(99_992) },
    };
    expect(eventFromEventData(big, 'sized').errors).toBeUndefined();
    const over = { ...big, requestParameters: { k: 'é'.repeat(49_997) } };
    expect(eventFromEventData(over, 'sized').errors![0]).toMatchObject({
      field: 'requestParameters',
      actual: 100_002,
    });
  });
});
