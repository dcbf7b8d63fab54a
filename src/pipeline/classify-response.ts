/**
 * Sorts the entries of a 200 PutAuditEvents response. A 200 can carry per-event failures: only
 * `Throttling` and `InternalFailure` are worth sending again (same id); every other code would fail
 * again unchanged and becomes a rejection. API reference, PutAuditEvents "failed":
 * https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_ResultErrorEntry.html
 */
import { RejectedByServiceError } from '../errors.js';
import { RETRYABLE_EVENT_ERROR_CODES } from '../limits.js';
import type { PreparedEvent, PutAuditEventsOutput } from '../mapping/audit-event.js';
import type { AcceptedEvent } from './pipeline-entry.js';

export interface ClassifiedResponse {
  /** Events the service accepted, with the eventID it gave each. */
  accepted: AcceptedEvent[];
  /** Events to send again: retryable per-event codes, and ids the response did not mention at all. */
  retry: PreparedEvent[];
  /** The last retryable error message per event, for the final report if retries run out. */
  retryReasons: Map<string, string>;
  rejected: RejectedByServiceError[];
}

/** Never throws: a malformed response only makes its events retryable. */
export function classifyResponse(
  events: readonly PreparedEvent[],
  response: PutAuditEventsOutput,
): ClassifiedResponse {
  const out: ClassifiedResponse = { accepted: [], retry: [], retryReasons: new Map(), rejected: [] };
  const byId = new Map(events.map((event) => [event.id, event]));
  const successful = Array.isArray(response.successful) ? response.successful : [];
  const failed = Array.isArray(response.failed) ? response.failed : [];
  for (const entry of successful) {
    if (byId.delete(entry.id)) {
      out.accepted.push({
        id: entry.id,
        eventId: typeof entry.eventID === 'string' ? entry.eventID : undefined,
      });
    }
  }
  for (const entry of failed) {
    const event = byId.get(entry.id);
    if (event === undefined) continue;
    byId.delete(entry.id);
    if (RETRYABLE_EVENT_ERROR_CODES.has(entry.errorCode)) {
      out.retry.push(event);
      out.retryReasons.set(event.id, `${entry.errorCode}: ${entry.errorMessage}`);
    } else {
      out.rejected.push(
        new RejectedByServiceError(entry.id, String(entry.errorCode), String(entry.errorMessage)),
      );
    }
  }
  // An id in neither list is an anomaly of the service; resending under the same id is safe.
  for (const event of byId.values()) {
    out.retry.push(event);
    out.retryReasons.set(event.id, 'missing from both successful and failed in the response');
  }
  return out;
}
