import { createHash } from 'node:crypto';
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
  eventDataChecksum?: string | undefined;
}

const OPTIONAL_STRING_FIELDS = ['userAgent', 'errorCode', 'errorMessage', 'sourceIPAddress'] as const;
const OBJECT_FIELDS = ['requestParameters', 'responseElements', 'additionalEventData'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPath(data: Record<string, unknown>, path: string): unknown {
  let current: unknown = data;
  for (const key of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function fail(errorCode: EventErrorCode, errorMessage: string): EventCheck {
  return { ok: false, errorCode, errorMessage };
}

/** True when the string is a real UTC instant in the schema's `yyyy-MM-ddTHH:mm:ssZ` form (no Feb 30). */
function isValidEventTime(value: string): boolean {
  if (!EVENT_TIME_PATTERN.test(value)) return false;
  const parsed = new Date(value);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === value.slice(0, 19);
}

/**
 * Checks one event. Lengths of strings are counted in UTF-16 code units (as the service's Java string
 * length would); sizes of objects in UTF-8 bytes of their compact JSON.
 */
export function validateEvent(event: EventToCheck, channelOwnerAccountId: string): EventCheck {
  if (event.eventDataChecksum !== undefined) {
    const actual = createHash('sha256').update(event.eventData, 'utf8').digest('base64');
    if (actual !== event.eventDataChecksum) {
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

  for (const field of EVENT_DATA_REQUIRED_FIELDS) {
    const value = readPath(parsed, field);
    if (value === undefined || value === null)
      return fail('FieldNotFound', `Required field ${field} is missing.`);
    // A userIdentity that is not an object has no type or principalId to find: its type is the fault.
    if (field === 'userIdentity' && !isObject(value))
      return fail('InvalidData', 'userIdentity must be a JSON object.');
  }
  for (const field of Object.keys(EVENT_DATA_STRING_MAX_CHARS) as Array<
    keyof typeof EVENT_DATA_STRING_MAX_CHARS
  >) {
    const value = readPath(parsed, field);
    if (value === undefined) continue;
    if (typeof value !== 'string')
      return fail('InvalidData', `${field} must be a string, got ${typeof value}.`);
    const limit = EVENT_DATA_STRING_MAX_CHARS[field];
    if (value.length > limit) {
      return fail('FieldTooLong', `${field} is ${value.length} characters, above the limit of ${limit}.`);
    }
  }
  for (const field of ['eventTime', 'recipientAccountId', ...OPTIONAL_STRING_FIELDS] as const) {
    const value = parsed[field];
    if (value !== undefined && typeof value !== 'string') {
      return fail('InvalidData', `${field} must be a string, got ${typeof value}.`);
    }
  }
  const details = readPath(parsed, 'userIdentity.details');
  if (details !== undefined && !isObject(details))
    return fail('InvalidData', 'userIdentity.details must be a JSON object.');
  for (const field of OBJECT_FIELDS) {
    const value = parsed[field];
    if (value === undefined) continue;
    if (!isObject(value)) return fail('InvalidData', `${field} must be a JSON object.`);
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    const limit = EVENT_DATA_OBJECT_MAX_BYTES[field];
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
