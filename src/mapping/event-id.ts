import { AUDIT_EVENT_ID_PATTERN } from '../limits.js';
import { AUDIT_ATTRIBUTES } from './audit-attributes.js';
import type { AuditLogRecord } from './audit-log-record.js';

/**
 * The attribute that carries an event's id. The processor adapter sets it in `onEmit`
 * (`record.setAttribute(AUDIT_ID_ATTRIBUTE, id)`) so the id travels with the record, e.g. into the spool.
 */
export const AUDIT_ID_ATTRIBUTE = AUDIT_ATTRIBUTES.id;

// Keyed by the record object itself: a retry of the same export hands us the same objects, and the
// WeakMap lets records be collected once the SDK drops them.
const generatedIds = new WeakMap<object, string>();

/** True when `value` can be a PutAuditEvents entry `id` (1-128 characters of `[-_A-Za-z0-9]`). */
export function isValidEventId(value: unknown): value is string {
  return typeof value === 'string' && AUDIT_EVENT_ID_PATTERN.test(value);
}

/**
 * The id of a record's event: its `audit.id` attribute when that is a valid id, else an id made by
 * `newId()` the first time this record object is seen and reused on every later call, so a retried
 * event is never sent under two ids. An `audit.id` that does not fit the id pattern is ignored.
 */
export function resolveEventId(record: AuditLogRecord, newId: () => string): string {
  const given = record.attributes[AUDIT_ID_ATTRIBUTE];
  if (isValidEventId(given)) return given;
  let id = generatedIds.get(record);
  if (id === undefined) {
    id = newId();
    generatedIds.set(record, id);
  }
  return id;
}
