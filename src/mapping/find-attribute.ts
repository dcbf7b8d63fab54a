import type { JsonValue } from './audit-event.js';
import type { AuditLogRecord } from './audit-log-record.js';
import { isPlainObject, toJsonObject, toJsonValue } from './any-value.js';

/**
 * First match wins: each key on the record's attributes, then each key on its resource's attributes
 * (mapping contract: "Attributes of the record are read first, then the resource's"). `null` and
 * `undefined` count as absent; the SDK stores `setAttribute(k, undefined)` as a key with no value.
 */
export function findAttribute(record: AuditLogRecord, keys: readonly string[]): unknown {
  const own = record.attributes;
  for (const key of keys) {
    const value = own[key];
    if (value !== undefined && value !== null) return value;
  }
  const resource = record.resource.attributes;
  for (const key of keys) {
    const value = resource[key];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/**
 * A value for a string field: strings as they are, numbers and booleans as their text (an `audit.error_code`
 * of 403 is meant as "403"). Anything else is passed on converted, for validation to reject by type.
 */
export function toStringField(value: unknown): JsonValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return toJsonValue(value);
}

/**
 * A value for a JSON-object field: a map, or a string holding a JSON object. Anything else (including a
 * string that is not a JSON object) is passed on as it is, for validation to reject by type.
 */
export function toJsonObjectField(value: unknown): JsonValue | undefined {
  if (isPlainObject(value)) return toJsonObject(value);
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isPlainObject(parsed)) return parsed as JsonValue;
    } catch {
      // Not JSON: fall through and let validation name the field.
    }
  }
  return toJsonValue(value);
}
