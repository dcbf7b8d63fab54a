import { AUDIT_EVENT_ID_PATTERN } from '../limits.js';
import { AUDIT_ATTRIBUTES, OTEL_AUDIT_ATTRIBUTES } from './audit-attributes.js';
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
  for (const key of EVENT_ID_ATTRIBUTES) {
    const value = record.attributes[key];
    if (isValidEventId(value)) return value;
  }
  return undefined;
}

/**
 * The id of a record's event: the first valid id among {@link EVENT_ID_ATTRIBUTES}, else an id made by
 * `newId()` the first time this record object is seen and reused on every later call, so a retried
 * event is never sent under two ids. A value that does not fit the id pattern is ignored here (the UID
 * may still carry it).
 */
export function resolveEventId(record: AuditLogRecord, newId: () => string): string {
  const given = givenEventId(record);
  if (given !== undefined) return given;
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
