/**
 * A dead letter: one event rejected for good (by local validation or by the service), with the
 * eventData it had and why it was refused. A JSONL dead-letter file holds one per line, in the shape
 * `otel-cloudtrail-lake send` reads (`{"id", "eventData": {...}}`; other members are ignored), so a
 * fixed file can be sent again under the original ids.
 */
import {
  ChannelError,
  EventTooLargeError,
  RejectedByServiceError,
  RoutingError,
  ValidationError,
  type ErrorCode,
  type EventRejection,
} from '../errors.js';

/** Why an event was dead-lettered. */
export interface DeadLetterReason {
  /** This library's stable code, e.g. `CTL_ERR_FIELD_TOO_LONG`, `CTL_ERR_REJECTED_BY_SERVICE`. */
  code: ErrorCode;
  /** The error message: names the field, its limit and the actual size or the service's message. */
  message: string;
  /** The eventData field at fault (local validation only), e.g. `userIdentity.principalId`. */
  field?: string;
  /** The service's per-event code (`InvalidData`, `FieldTooLong`, ...) for service rejections. */
  serviceErrorCode?: string;
  /** The limit broken, in the unit of the rule (characters, UTF-8 bytes). */
  limit?: number | string;
  /** The actual size, or a short excerpt for a format rule. */
  actual?: number | string;
  /** When the event was rejected, ISO 8601 UTC. */
  rejectedAt: string;
}

/** One dead-lettered event. */
export interface DeadLetter {
  /** The event id it was (and can again be) sent under. */
  id: string;
  /**
   * The eventData object as mapped (or as the service refused it); `null` when the mapping itself
   * failed (a throwing `filter`), so there is nothing to fix and resend.
   */
  eventData: Record<string, unknown> | null;
  /** The channel the event was sent to; absent when it was rejected before it had one. */
  channelArn?: string;
  reason: DeadLetterReason;
}

/** Receives the dead letters of one export. Must not throw; if it does, the error is logged and ignored. */
export type OnDeadLetter = (entries: readonly DeadLetter[]) => void;

/**
 * Where dead letters go: `{ path }` appends JSON lines to a file (created with its directory), or
 * `{ onDeadLetter }` hands them to your code (a queue, a bucket, a ticket).
 */
export type DeadLetterOption = { path: string } | { onDeadLetter: OnDeadLetter };

/** The reason of one rejection. */
export function deadLetterReason(rejection: EventRejection, rejectedAtMillis: number): DeadLetterReason {
  const reason: DeadLetterReason = {
    code: rejection.code,
    message: rejection.message,
    rejectedAt: new Date(rejectedAtMillis).toISOString(),
  };
  if (rejection instanceof ValidationError) {
    reason.field = rejection.field;
    if (rejection.limit !== undefined) reason.limit = rejection.limit;
    if (rejection.actual !== undefined) reason.actual = rejection.actual;
  } else if (rejection instanceof RejectedByServiceError) {
    reason.serviceErrorCode = rejection.serviceErrorCode;
  } else if (rejection instanceof ChannelError) {
    reason.serviceErrorCode = rejection.awsErrorCode;
  } else if (rejection instanceof RoutingError) {
    reason.field = rejection.field;
  } else if (rejection instanceof EventTooLargeError) {
    reason.limit = rejection.limit;
    reason.actual = rejection.bytes;
  }
  return reason;
}
