import { lazyProperty } from '../internal/lazy-property.js';
import type { PreparedRequest } from '../transport/transport.js';
import { WRITE_ENTRY, type PreparedEvent, type WaitingEvent } from '../mapping/audit-event.js';

/**
 * The PutAuditEvents request body, `{"auditEvents":[e1,e2,...]}`, built from each event's `entryJson`,
 * and its exact UTF-8 size computed without building it. The packer measures with
 * `requestBodyBytes` and the transport sends `requestBody`, so what is sent is what was measured.
 */

const BODY_START = '{"auditEvents":[';
const BODY_END = ']}';

/** UTF-8 bytes of the body around the entries (the envelope is ASCII). */
export const REQUEST_BODY_ENVELOPE_BYTES = BODY_START.length + BODY_END.length;

/** The exact request body for these events, in order. */
export function requestBody(events: readonly PreparedEvent[]): string {
  let body = BODY_START;
  for (let i = 0; i < events.length; i++) {
    body += i === 0 ? events[i]!.entryJson : `,${events[i]!.entryJson}`;
  }
  return body + BODY_END;
}

/**
 * Writes `requestBody(events)` as UTF-8 into `target` from its start, entry by entry, without building
 * the body as one string first. Returns the bytes written; `target` must hold `requestBodyBytes(events)`.
 */
export function writeRequestBody(events: readonly PreparedEvent[], target: Buffer): number {
  let offset = target.write(BODY_START, 0, 'latin1');
  for (let i = 0; i < events.length; i++) {
    if (i > 0) offset += target.write(',', offset, 'latin1');
    const event = events[i] as WaitingEvent;
    offset +=
      event[WRITE_ENTRY] === undefined
        ? target.write(event.entryJson, offset, 'utf8')
        : event[WRITE_ENTRY](target, offset);
  }
  return offset + target.write(BODY_END, offset, 'latin1');
}

/**
 * A request of these events, `bodyBytes` already measured. Its `body` string is built when first read:
 * the HTTP transport writes the events' bytes instead and never reads it.
 */
export function preparedRequest(events: readonly PreparedEvent[], bodyBytes: number): PreparedRequest {
  return Object.defineProperty({ events, bodyBytes }, 'body', LAZY_BODY) as PreparedRequest;
}

const LAZY_BODY = lazyProperty<PreparedRequest>('body', (request) => requestBody(request.events), true);

/** UTF-8 bytes of `requestBody(events)`: the envelope, each entry, and one comma between entries. */
export function requestBodyBytes(events: readonly PreparedEvent[]): number {
  let bytes = REQUEST_BODY_ENVELOPE_BYTES + Math.max(events.length - 1, 0);
  for (const event of events) bytes += event.entryBytes;
  return bytes;
}

/** UTF-8 bytes of a request holding this event alone. */
export function singleEventRequestBytes(event: PreparedEvent): number {
  return REQUEST_BODY_ENVELOPE_BYTES + event.entryBytes;
}
