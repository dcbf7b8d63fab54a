import type { JsonObject, JsonValue } from './audit-event.js';
import type { AuditLogRecord } from './audit-log-record.js';
import { AUDIT_ATTRIBUTE_PREFIX, AUDIT_ATTRIBUTES } from './audit-attributes.js';
import { isPlainObject, setKey, toJsonValue } from './any-value.js';
import { findAttribute, toJsonObjectField } from './find-attribute.js';

/**
 * The keys the mapping adds to additionalEventData, beside the user's `audit.additional_event_data`.
 * A key the user already set in that map wins over the library's value.
 */
export const ADDITIONAL_EVENT_DATA_KEYS = Object.freeze({
  body: 'body',
  severityText: 'severityText',
  traceId: 'traceId',
  spanId: 'spanId',
  instrumentationScope: 'instrumentationScope',
  attributes: 'attributes',
} as const);

const ADDITIONAL_EVENT_DATA_ATTRIBUTE = [AUDIT_ATTRIBUTES.additionalEventData];

// The all-zero ids of an invalid span context; the SDK leaves spanContext unset then, the bridge may not.
const INVALID_TRACE_ID = /^0*$/;

/**
 * Builds additionalEventData as docs/mapping.md, section "additionalEventData", says. Returns `undefined`
 * when there is nothing to put in it, and the raw value when `audit.additional_event_data` is not a
 * map (validation then rejects the record rather than dropping the user's data quietly).
 */
export function buildAdditionalEventData(record: AuditLogRecord, includeAttributes: boolean): unknown {
  return buildAdditionalEventDataFrom(
    findAttribute(record, ADDITIONAL_EVENT_DATA_ATTRIBUTE),
    record,
    includeAttributes,
  );
}

/**
 * {@link buildAdditionalEventData} with `audit.additional_event_data` already looked up (`given`).
 * `auditContext` (what the OTel audit attributes say, see otel-audit-context.ts) comes right after the
 * user's keys: when the 28 kB bound cuts keys from the end, those are kept longest after the user's own.
 */
export function buildAdditionalEventDataFrom(
  given: unknown,
  record: AuditLogRecord,
  includeAttributes: boolean,
  auditContext?: JsonObject,
): unknown {
  let out: JsonObject;
  const fromUser = given !== undefined;
  if (!fromUser) {
    out = {};
  } else {
    const object = toJsonObjectField(given);
    if (!isPlainObject(object)) return object;
    // A copy: we add keys, and the user's attribute value must stay untouched.
    out = { ...object };
  }
  if (auditContext !== undefined) {
    for (const key of Object.keys(auditContext)) addKey(out, key, auditContext[key]!, fromUser);
  }
  const body = toJsonValue(record.body);
  if (body !== undefined && !isEmpty(body)) addKey(out, ADDITIONAL_EVENT_DATA_KEYS.body, body, fromUser);
  if (typeof record.severityText === 'string' && record.severityText !== '') {
    addKey(out, ADDITIONAL_EVENT_DATA_KEYS.severityText, record.severityText, fromUser);
  }
  const span = record.spanContext;
  if (span !== undefined && !INVALID_TRACE_ID.test(span.traceId) && !INVALID_TRACE_ID.test(span.spanId)) {
    addKey(out, ADDITIONAL_EVENT_DATA_KEYS.traceId, span.traceId, fromUser);
    addKey(out, ADDITIONAL_EVENT_DATA_KEYS.spanId, span.spanId, fromUser);
  }
  const scopeName = record.instrumentationScope.name;
  if (typeof scopeName === 'string' && scopeName !== '') {
    addKey(out, ADDITIONAL_EVENT_DATA_KEYS.instrumentationScope, scopeName, fromUser);
  }
  if (includeAttributes) {
    const attributes = otherAttributes(record.attributes);
    if (attributes !== undefined) addKey(out, ADDITIONAL_EVENT_DATA_KEYS.attributes, attributes, fromUser);
  }
  for (const _key in out) return out;
  return undefined;
}

/** The record's attributes whose keys do not start with `audit.`, converted to JSON; `undefined` if none. */
function otherAttributes(attributes: Readonly<Record<string, unknown>>): JsonObject | undefined {
  let out: JsonObject | undefined;
  for (const key of Object.keys(attributes)) {
    if (key.startsWith(AUDIT_ATTRIBUTE_PREFIX)) continue;
    const value = toJsonValue(attributes[key]);
    if (value === undefined) continue;
    out ??= {};
    setKey(out, key, value);
  }
  return out;
}

/** Adds a library key unless the user's map (`keepUserKeys`) already has it. */
function addKey(out: JsonObject, key: string, value: JsonValue, keepUserKeys: boolean): void {
  if (!keepUserKeys || !Object.hasOwn(out, key)) out[key] = value;
}

function isEmpty(value: JsonValue): boolean {
  if (value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
