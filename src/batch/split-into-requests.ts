import { EventTooLargeError } from '../errors.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import type { PreparedRequest } from '../transport/transport.js';
import { preparedRequest, REQUEST_BODY_ENVELOPE_BYTES } from './request-body.js';

/** The two bounds of one PutAuditEvents request. */
export interface RequestLimits {
  /** At most this many events per request, 1 to PUT_AUDIT_EVENTS_MAX_EVENTS. @default DEFAULTS.maxEventsPerRequest */
  maxEventsPerRequest: number;
  /** At most this many UTF-8 bytes of request body, 1 to PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES. @default DEFAULTS.maxRequestBytes */
  maxRequestBytes: number;
}

export interface SplitResult {
  requests: PreparedRequest[];
  /** Events that cannot fit in a request even alone, in input order; they are in no request. */
  tooLarge: EventTooLargeError[];
}

/**
 * Packs events, in order, into as few PutAuditEvents requests as a single greedy pass allows: each
 * request holds at most `maxEventsPerRequest` events and its full body at most `maxRequestBytes` UTF-8
 * bytes. A request is closed when the next event would break a limit or repeats an id already in it
 * (the service fails the whole call with DuplicatedAuditEventId), so a duplicate goes to a later request.
 * Pure: sizes come from `entryBytes`; each request's body string is built only if someone reads it.
 */
export function splitIntoRequests(events: readonly PreparedEvent[], limits: RequestLimits): SplitResult {
  const { maxEventsPerRequest, maxRequestBytes } = limits;
  const requests: PreparedRequest[] = [];
  const tooLarge: EventTooLargeError[] = [];
  let current: PreparedEvent[] = [];
  let currentBytes = REQUEST_BODY_ENVELOPE_BYTES;
  let ids = new Set<string>();

  const close = (): void => {
    if (current.length === 0) return;
    requests.push(preparedRequest(current, currentBytes));
    current = [];
    currentBytes = REQUEST_BODY_ENVELOPE_BYTES;
    ids = new Set();
  };

  for (const event of events) {
    const alone = REQUEST_BODY_ENVELOPE_BYTES + event.entryBytes;
    if (alone > maxRequestBytes) {
      tooLarge.push(new EventTooLargeError(event.id, alone, maxRequestBytes));
      continue;
    }
    const withEvent = current.length === 0 ? alone : currentBytes + 1 + event.entryBytes;
    if (current.length >= maxEventsPerRequest || withEvent > maxRequestBytes || ids.has(event.id)) close();
    currentBytes = current.length === 0 ? alone : currentBytes + 1 + event.entryBytes;
    current.push(event);
    ids.add(event.id);
  }
  close();
  return { requests, tooLarge };
}
