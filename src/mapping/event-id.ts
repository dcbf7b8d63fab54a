import { AUDIT_EVENT_ID_PATTERN } from '../limits.js';
import { AUDIT_ATTRIBUTES } from './audit-attributes.js';
import type { AuditLogRecord } from './audit-log-record.js';

/**
 * The attribute an application (or the OTLP bridge) sets to choose an event's id. The library does not
 * write it into records: an id it makes is kept per record object (below), and a spool stores it beside
 * the record.
 */
export const AUDIT_ID_ATTRIBUTE = AUDIT_ATTRIBUTES.id;

// An id made here is kept on the record object itself under a symbol (invisible to JSON, Object.keys and
// attribute readers): the processor adapter's onEmit and the exporter see the same object, as does a
// retry of the same export. A property store costs a third of a WeakMap insertion on the application's
// thread, and leaves the garbage collector no ephemeron table to trace. Non-extensible records (frozen,
// sealed) use a WeakMap instead.
const EVENT_ID = Symbol('otel-cloudtrail-lake.eventId');
const idsOfFrozenRecords = new WeakMap<object, string>();

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
  const holder = record as unknown as Record<symbol, string | undefined>;
  let id = holder[EVENT_ID];
  if (id !== undefined) return id;
  if (!Object.isExtensible(record)) {
    id = idsOfFrozenRecords.get(record);
    if (id === undefined) {
      id = newId();
      idsOfFrozenRecords.set(record, id);
    }
    return id;
  }
  id = newId();
  holder[EVENT_ID] = id;
  return id;
}
