import { AUDIT_EVENT_ID_PATTERN } from '../limits.js';
import { AUDIT_ATTRIBUTES, OTEL_AUDIT_ATTRIBUTES } from './audit-attributes.js';
import type { AuditLogRecord } from './audit-log-record.js';

/**
 * The attribute an application (or the OTLP bridge) sets to choose an event's id. The library never
 * writes it into records: an id it makes travels beside the record.
 */
export const AUDIT_ID_ATTRIBUTE = AUDIT_ATTRIBUTES.id;

/**
 * The attributes that may carry an event's id, in order: the project's `audit.id`, then the draft OTel
 * audit `audit.record.id` (meant to stay the same across retries, which is what an entry id needs), then
 * the semantic conventions' `log.record.uid`. Only the record's own attributes count: a resource
 * attribute would give every record of the service the same id.
 */
export const EVENT_ID_ATTRIBUTES: readonly string[] = Object.freeze([
  AUDIT_ID_ATTRIBUTE,
  OTEL_AUDIT_ATTRIBUTES.recordId,
  OTEL_AUDIT_ATTRIBUTES.logRecordUid,
]);

/** True when `value` can be a PutAuditEvents entry `id` (1-128 characters of `[-_A-Za-z0-9]`). */
export function isValidEventId(value: unknown): value is string {
  return typeof value === 'string' && AUDIT_EVENT_ID_PATTERN.test(value);
}

/** The first of {@link EVENT_ID_ATTRIBUTES} the record carries that is a valid id, else `undefined`. */
export function givenEventId(record: Pick<AuditLogRecord, 'attributes'>): string | undefined {
  // An index loop: this runs for every record where it enters, and for-of allocated an iterator here.
  for (let i = 0; i < EVENT_ID_ATTRIBUTES.length; i++) {
    const value = record.attributes[EVENT_ID_ATTRIBUTES[i]!];
    if (isValidEventId(value)) return value;
  }
  return undefined;
}

/**
 * The id of a record's event, decided once where the record enters: the first valid id among
 * {@link EVENT_ID_ATTRIBUTES}, else a fresh `newId()`. The caller carries the id with the record from
 * then on (an entry, a spool line); it is never written into the record. A value that does not fit the
 * id pattern is ignored here (the UID may still carry it).
 */
export function decideEventId(record: AuditLogRecord, newId: () => string): string {
  return givenEventId(record) ?? newId();
}
