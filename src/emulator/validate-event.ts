import { sha256 } from '../internal/sha256.js';
import { isIP } from 'node:net';
import {
  EVENT_DATA_OBJECT_MAX_BYTES,
  EVENT_DATA_REQUIRED_FIELDS,
  EVENT_DATA_STRING_MAX_CHARS,
  EVENT_TIME_PATTERN,
} from '../limits.js';

/**
 * The emulator's own per-event referee, kept apart from the client-side validator on purpose: an
 * independent reading of the integration event schema
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-integration-event-schema.html).
 * It answers with the service's per-event codes, first failing rule wins, in the order below.
 */

/** The per-event codes this referee produces (the service has a few more it never needs here). */
export type EventErrorCode =
  'InvalidChecksum' | 'InvalidData' | 'FieldNotFound' | 'FieldTooLong' | 'InvalidRecipient';

export type EventCheck =
  | { ok: true; eventData: Record<string, unknown> }
  | { ok: false; errorCode: EventErrorCode; errorMessage: string };

/** The request-level shape check has already made sure `id` and `eventData` are strings. */
export interface EventToCheck {
  id: string;
  eventData: string;
  eventDataChecksum?: string;
}

const TOP_LEVEL_STRING_FIELDS = [
  'eventTime',
  'recipientAccountId',
  'userAgent',
  'errorCode',
  'errorMessage',
  'sourceIPAddress',
] as const;
const OBJECT_FIELDS = ['requestParameters', 'responseElements', 'additionalEventData'] as const;

// Field paths are split once here, not for every event.
const REQUIRED_FIELDS = EVENT_DATA_REQUIRED_FIELDS.map((field) => ({ field, keys: field.split('.') }));
const STRING_LIMITS = (
  Object.keys(EVENT_DATA_STRING_MAX_CHARS) as Array<keyof typeof EVENT_DATA_STRING_MAX_CHARS>
).map((field) => ({ field, keys: field.split('.'), limit: EVENT_DATA_STRING_MAX_CHARS[field] }));
const DETAILS_KEYS = ['userIdentity', 'details'];

/**
 * Compact JSON of any value inside an eventData text takes at most this many UTF-8 bytes per UTF-16
 * unit of that text: the worst cases are a lone surrogate (1 unit, written back as a 6-byte `\uXXXX`)
 * and a number such as `1e20` (4 units, 21 digits). Whitespace and escapes only shrink.
 */
const MAX_JSON_BYTES_PER_SOURCE_UNIT = 6;

/** A digit then an exponent mark: maybe a number such as `1e20` or `1e-5`, which compact JSON writes longer. */
const NUMBER_EXPONENT = /\d[eE]/;
/** A lone surrogate, which compact JSON writes as a 6-byte escape but UTF-8 counts as 3 bytes. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Whether the compact JSON of some value inside the eventData `text` could take more than `limit`
 * UTF-8 bytes. Writing a parsed value back never makes its strings longer in UTF-8 (escapes stay or
 * shrink) unless one holds a lone surrogate, and never makes a number longer unless it had an exponent;
 * without either, the text's own UTF-8 size bounds every value in it. Otherwise the bound is
 * MAX_JSON_BYTES_PER_SOURCE_UNIT per UTF-16 unit. A false positive only means measuring exactly.
 */
function mayHoldMoreThan(text: string, limit: number): boolean {
  if (text.length * MAX_JSON_BYTES_PER_SOURCE_UNIT <= limit) return false;
  if (NUMBER_EXPONENT.test(text) || LONE_SURROGATE.test(text)) return true;
  // At most 3 UTF-8 bytes per UTF-16 unit: a cheap bound before counting.
  return text.length * 3 > limit && Buffer.byteLength(text, 'utf8') > limit;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPath(data: Record<string, unknown>, keys: readonly string[]): unknown {
  let current: unknown = data;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function fail(errorCode: EventErrorCode, errorMessage: string): EventCheck {
  return { ok: false, errorCode, errorMessage };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** True when the string is a real UTC instant in the schema's `yyyy-MM-ddTHH:mm:ssZ` form (no Feb 30). */
function isValidEventTime(value: string): boolean {
  if (!EVENT_TIME_PATTERN.test(value)) return false;
  // The pattern bounds every field but the day against its month (proleptic Gregorian, as Date is).
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/**
 * Checks one event. Lengths of strings are counted in UTF-16 code units (as the service's Java string
 * length would); sizes of objects in UTF-8 bytes of their compact JSON.
 */
export function validateEvent(event: EventToCheck, channelOwnerAccountId: string): EventCheck {
  if (event.eventDataChecksum !== undefined) {
    if (sha256(event.eventData, 'base64') !== event.eventDataChecksum) {
      return fail('InvalidChecksum', 'eventDataChecksum does not match the SHA-256 of eventData.');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.eventData);
  } catch {
    return fail('InvalidData', 'eventData is not valid JSON.');
  }
  if (!isObject(parsed)) return fail('InvalidData', 'eventData must be a JSON object.');

  for (const { field, keys } of REQUIRED_FIELDS) {
    const value = readPath(parsed, keys);
    if (value === undefined || value === null)
      return fail('FieldNotFound', `Required field ${field} is missing.`);
    // A userIdentity that is not an object has no type or principalId to find: its type is the fault.
    if (field === 'userIdentity' && !isObject(value))
      return fail('InvalidData', 'userIdentity must be a JSON object.');
  }
  for (const { field, keys, limit } of STRING_LIMITS) {
    const value = readPath(parsed, keys);
    if (value === undefined) continue;
    if (typeof value !== 'string')
      return fail('InvalidData', `${field} must be a string, got ${typeof value}.`);
    if (value.length > limit) {
      return fail('FieldTooLong', `${field} is ${value.length} characters, above the limit of ${limit}.`);
    }
  }
  for (const field of TOP_LEVEL_STRING_FIELDS) {
    const value = parsed[field];
    if (value !== undefined && typeof value !== 'string') {
      return fail('InvalidData', `${field} must be a string, got ${typeof value}.`);
    }
  }
  const details = readPath(parsed, DETAILS_KEYS);
  if (details !== undefined && !isObject(details))
    return fail('InvalidData', 'userIdentity.details must be a JSON object.');
  for (const field of OBJECT_FIELDS) {
    const value = parsed[field];
    if (value === undefined) continue;
    if (!isObject(value)) return fail('InvalidData', `${field} must be a JSON object.`);
    const limit = EVENT_DATA_OBJECT_MAX_BYTES[field];
    // Serialising costs as much as the parse; a text too short to hold an oversized object skips it.
    if (!mayHoldMoreThan(event.eventData, limit)) continue;
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > limit)
      return fail('FieldTooLong', `${field} is ${bytes} bytes, above the limit of ${limit} bytes.`);
  }
  const eventTime = parsed['eventTime'] as string;
  if (!isValidEventTime(eventTime)) {
    return fail(
      'InvalidData',
      `eventTime must be a UTC time in the form yyyy-MM-ddTHH:mm:ssZ, got ${JSON.stringify(eventTime.slice(0, 40))}.`,
    );
  }
  const sourceIp = parsed['sourceIPAddress'];
  if (typeof sourceIp === 'string' && isIP(sourceIp) === 0) {
    return fail(
      'InvalidData',
      `sourceIPAddress must be an IPv4 or IPv6 address, got ${JSON.stringify(sourceIp.slice(0, 64))}.`,
    );
  }
  if (parsed['recipientAccountId'] !== channelOwnerAccountId) {
    return fail('InvalidRecipient', 'recipientAccountId must be the account that owns the channel.');
  }
  return { ok: true, eventData: parsed };
}
