// compactEvent and WaitingEntry: what a prepared event keeps while it waits for a send (its entry's bytes
// in a shared slab) and what it reads back from them. How a send packs and writes these events is covered
// in test/unit/batch; the end-to-end path in test/integration.
import { describe, expect, it } from 'vitest';
import { requestBody, writeRequestBody } from '../../../src/batch/request-body.js';
import { splitIntoRequests } from '../../../src/batch/split-into-requests.js';
import type { PreparedEvent } from '../../../src/mapping/audit-event.js';
import { auditEventEntry, LAZY_EVENT_DATA_MIN_CHARS } from '../../../src/mapping/audit-event-entry.js';
import { compactEvent, WaitingEntry } from '../../../src/mapping/waiting-entry.js';
import { validEventData } from '../../helpers/valid-event-data.js';

const valid = validEventData();

function event(i: number, note: string): PreparedEvent {
  return auditEventEntry(
    `id-${i}`,
    JSON.stringify({ ...valid, UID: `u-${i}`, additionalEventData: { note } }),
  );
}

function bodyOf(events: readonly PreparedEvent[]): string {
  const [request] = splitIntoRequests(events, {
    maxEventsPerRequest: 100,
    maxRequestBytes: 1_048_576,
  }).requests;
  const target = Buffer.alloc(request!.bodyBytes);
  expect(writeRequestBody(events, target)).toBe(request!.bodyBytes);
  return target.toString('utf8');
}

describe('compactEvent', () => {
  const texts = [
    'plain',
    'café "quoted" \\ path',
    'emoji 🦊 and €\n',
    'x'.repeat(LAZY_EVENT_DATA_MIN_CHARS + 10),
    // Larger than a slab holds: the entry gets bytes of its own.
    'y'.repeat(10_000),
  ];
  const events = texts.map((note, i) => event(i, note));

  it('keeps the entry as bytes and reads entryJson, eventData and the checksum back, as they were', () => {
    for (const original of events) {
      const waiting = compactEvent(original);
      expect(waiting).toBeInstanceOf(WaitingEntry);
      expect(waiting.entryJson).toBe(original.entryJson);
      expect(waiting.eventData).toBe(original.eventData);
      expect(waiting.eventDataChecksum).toBe(original.eventDataChecksum);
      expect(waiting.entryBytes).toBe(Buffer.byteLength(original.entryJson));
      expect(JSON.parse(JSON.stringify(waiting))).toEqual(JSON.parse(JSON.stringify(original)));
      expect(compactEvent(waiting)).toBe(waiting);
    }
  });

  it('writes the request body from the bytes, the same bytes as the body string', () => {
    const waiting = events.map(compactEvent);
    expect(bodyOf(waiting)).toBe(requestBody(events));
    const [request] = splitIntoRequests(waiting, {
      maxEventsPerRequest: 100,
      maxRequestBytes: 1_048_576,
    }).requests;
    expect(request!.body).toBe(requestBody(events));
  });

  it('keeps every entry intact across many slabs, however their sizes interleave', () => {
    const many = Array.from({ length: 300 }, (_, i) => event(i, 'é'.repeat((i * 37) % 3000)));
    const waiting = many.map(compactEvent);
    for (let i = 0; i < many.length; i++) expect(waiting[i]!.entryJson).toBe(many[i]!.entryJson);
    expect(bodyOf(waiting.slice(0, 100))).toBe(requestBody(many.slice(0, 100)));
  });

  it('is its own send entry, so a queue holds one object per waiting record', () => {
    const waiting = compactEvent(events[0]!) as WaitingEntry;
    expect(waiting.prepared).toBe(waiting);
    expect(waiting.route).toBeUndefined();
    expect(waiting.record).toBeUndefined();
  });

  it('keeps an event whose checksum is not a base64 SHA-256 as it is', () => {
    const foreign: PreparedEvent = { ...events[0]!, eventDataChecksum: 'not-a-digest' };
    expect(compactEvent(foreign)).toBe(foreign);
  });
});

describe('WaitingEntry with a wrong byte count', () => {
  it('keeps the entry as its own bytes, measured, so the body and entryJson stay whole', () => {
    const built = event(1, 'café 🦊');
    // A count that treats every character as one byte: too small for this entry.
    const entry = new WaitingEntry(built.id, built.entryJson, built.entryJson.length);
    expect(entry.entryJson).toBe(built.entryJson);
    expect(entry.entryBytes).toBe(Buffer.byteLength(built.entryJson));
    expect(entry.eventData).toBe(built.eventData);
    expect(bodyOf([entry])).toBe(`{"auditEvents":[${built.entryJson}]}`);
  });
});
