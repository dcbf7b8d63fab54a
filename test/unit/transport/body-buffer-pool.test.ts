// Covers the request body buffers: the bytes are those of the body string whatever the events hold
// (non-ASCII, escapes, large events whose eventData is read back from the entry), a buffer whose
// response arrived is used again, the pool keeps at most its cap, and a body whose measured size is
// off is encoded from the string instead.
import { describe, expect, it } from 'vitest';
import { splitIntoRequests } from '../../../src/batch/split-into-requests.js';
import { eventFromEventData } from '../../../src/mapping/audit-event-entry.js';
import type { PreparedEvent } from '../../../src/mapping/audit-event.js';
import { createBodyBufferPool } from '../../../src/transport/body-buffer-pool.js';
import type { PreparedRequest } from '../../../src/transport/transport.js';
import { validEventData } from '../../helpers/valid-event-data.js';

function event(id: string, note: string): PreparedEvent {
  const result = eventFromEventData({ ...validEventData(), UID: id, additionalEventData: { note } }, id);
  if (result.event === undefined) throw new Error(String(result.errors[0]));
  return result.event;
}

function request(events: PreparedEvent[]): PreparedRequest {
  const { requests } = splitIntoRequests(events, { maxEventsPerRequest: 100, maxRequestBytes: 1_048_576 });
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

const notes = [
  'plain',
  'café, straße and émile',
  'quotes " and \\ backslashes\n',
  'emoji 🦊 and €',
  'x'.repeat(5_000),
];

describe('createBodyBufferPool', () => {
  it('encodes the same bytes as the body string, for every kind of event', () => {
    const pool = createBodyBufferPool(2);
    const sent = request(notes.map((note, i) => event(`e-${i}`, note)));
    const bytes = pool.encode(sent);
    expect(bytes.equals(Buffer.from(sent.body, 'utf8'))).toBe(true);
    expect(bytes.length).toBe(sent.bodyBytes);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(sent.body));
  });

  it('uses a released buffer again, and keeps no more than its cap', () => {
    const pool = createBodyBufferPool(1);
    const first = pool.encode(request([event('a', 'first')]));
    const second = pool.encode(request([event('b', 'second')]));
    expect(second.buffer).not.toBe(first.buffer);
    pool.release(first);
    pool.release(second); // over the cap of one: left to the GC
    const third = request([event('c', 'third, longer than the first')]);
    const reused = pool.encode(third);
    expect(reused.buffer).toBe(first.buffer);
    expect(reused.equals(Buffer.from(third.body, 'utf8'))).toBe(true);
    expect(pool.encode(request([event('d', 'fourth')])).buffer).not.toBe(second.buffer);
  });

  it('encodes from the string when the measured size is off', () => {
    const pool = createBodyBufferPool(1);
    const sent = request([event('a', 'measured')]);
    const off = { ...sent, bodyBytes: sent.bodyBytes + 3 };
    const bytes = pool.encode(off);
    expect(bytes.equals(Buffer.from(sent.body, 'utf8'))).toBe(true);
  });
});
