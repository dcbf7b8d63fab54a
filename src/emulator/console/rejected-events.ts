import type { ReceivedRequest } from '../handle-put-audit-events.js';

/** One event CloudTrail Lake answered in `failed[]`, with what was sent. */
export interface RejectedEvent {
  receivedAt: string;
  requestId: string;
  id: string;
  errorCode: string;
  errorMessage: string;
  /** The sent eventData: parsed when it is JSON, else the raw string (it may be why it failed). */
  eventData: unknown;
}

/** A PutAuditEvents request refused whole (throttled, bad signature, ...): none of its events were stored. */
export interface RejectedRequest {
  receivedAt: string;
  requestId: string;
  statusCode: number;
  errorType: string;
  /** Events in the body, when it parsed. */
  eventCount: number | undefined;
}

function parseEventData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The rejections among the received requests, newest first. The received log keeps only the last
 * `maxReceivedRequests` requests; the emulator's counters count every rejection.
 */
export function listRejections(received: readonly ReceivedRequest[]): {
  events: RejectedEvent[];
  requests: RejectedRequest[];
} {
  const events: RejectedEvent[] = [];
  const requests: RejectedRequest[] = [];
  for (let index = received.length - 1; index >= 0; index--) {
    const request = received[index]!;
    const receivedAt = new Date(request.receivedAtMillis).toISOString();
    if (request.statusCode !== 200) {
      requests.push({
        receivedAt,
        requestId: request.requestId,
        statusCode: request.statusCode,
        errorType: request.errorType ?? 'UnknownError',
        eventCount: request.auditEvents?.length,
      });
      continue;
    }
    const sent = new Map((request.auditEvents ?? []).map((entry) => [entry.id, entry.eventData]));
    for (const failure of request.response?.failed ?? []) {
      const eventData = sent.get(failure.id);
      events.push({
        receivedAt,
        requestId: request.requestId,
        id: failure.id,
        errorCode: failure.errorCode,
        errorMessage: failure.errorMessage,
        eventData: eventData === undefined ? undefined : parseEventData(eventData),
      });
    }
  }
  return { events, requests };
}
