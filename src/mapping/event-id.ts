import { AUDIT_EVENT_ID_PATTERN } from '../limits.js';
import { AUDIT_ATTRIBUTES } from './audit-attributes.js';
import type { AuditLogRecord } from './audit-log-record.js';

/**
 * The attribute an application (or the OTLP bridge) sets to choose an event's id. The library never
 * writes it into records: an id it makes travels beside the record.
 */
export const AUDIT_ID_ATTRIBUTE = AUDIT_ATTRIBUTES.id;

/** True when `value` can be a PutAuditEvents entry `id` (1-128 characters of `[-_A-Za-z0-9]`). */
export function isValidEventId(value: unknown): value is string {
  return typeof value === 'string' && AUDIT_EVENT_ID_PATTERN.test(value);
}

/**
 * The id of a record's event, decided once where the record enters: its `audit.id` attribute when that
 * is a valid id, else a fresh `newId()`. The caller carries the id with the record from then on (an
 * entry, a spool line); it is never written into the record. An `audit.id` that does not fit the id
 * pattern is ignored.
 */
export function decideEventId(record: AuditLogRecord, newId: () => string): string {
  const given = record.attributes[AUDIT_ID_ATTRIBUTE];
  return isValidEventId(given) ? given : newId();
}
