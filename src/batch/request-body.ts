import type { PreparedEvent } from '../mapping/audit-event.js';

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
