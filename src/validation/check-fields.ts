import { EVENT_DATA_STRING_MAX_CHARS } from '../limits.js';
import { ValidationError, type ValidationReason } from '../errors.js';
import { isPlainObject } from '../mapping/any-value.js';
import type { JsonObject } from '../mapping/audit-event.js';
import { TRUNCATED_FIELDS_KEY } from './bound-additional-event-data.js';
import { isJsonObject, isValidAccountId, isValidEventTime, isValidIpAddress } from './predicates.js';

/**
 * Every eventData rule except the byte sizes of object fields (see check-object-sizes.ts, which needs
 * the serialised form): fields known, required fields present and non-empty, types, string lengths,
 * eventTime, sourceIPAddress and recipientAccountId formats. This runs once per event, so it is written
 * as straight-line code with no per-call closures.
 */

const TOP_LEVEL_FIELDS: ReadonlySet<string> = new Set([
  'version',
  'userIdentity',
  'userAgent',
  'eventSource',
  'eventName',
  'eventTime',
  'UID',
  'requestParameters',
  'responseElements',
  'errorCode',
  'errorMessage',
  'sourceIPAddress',
  'recipientAccountId',
  'additionalEventData',
]);
const USER_IDENTITY_FIELDS: ReadonlySet<string> = new Set(['type', 'principalId', 'details']);
const MAX = EVENT_DATA_STRING_MAX_CHARS;

// Longest excerpt of an offending value quoted in a message.
const EXCERPT_CHARS = 64;

export interface CheckFieldsOptions {
  eventId: string;
  /** Cut over-long strings to their limit and list them in additionalEventData.truncatedFields. */
  truncate: boolean;
  /**
   * The data came from our own mapping: it has no unknown fields and its objects are plain JSON, so the
   * unknown-field scan and the deep JSON walk are skipped.
   */
  trusted: boolean;
}

export interface CheckFieldsResult {
  /** The data, or a copy with strings cut when `truncate` cut any. */
  data: Record<string, unknown>;
  errors: ValidationError[];
}

interface State {
  readonly options: CheckFieldsOptions;
  readonly errors: ValidationError[];
  /** Fields cut by truncation, and their cut values; made on the first cut (most events have none). */
  cut: Map<string, string> | undefined;
}

export function checkFields(input: unknown, options: CheckFieldsOptions): CheckFieldsResult {
  const state: State = { options, errors: [], cut: undefined };
  if (!isPlainObject(input)) {
    fail(state, 'eventData', 'invalid', `eventData must be a JSON object, got ${typeName(input)}`);
    return { data: {}, errors: state.errors };
  }
  const data = input;
  if (!options.trusted) checkKnownFields(state, data, TOP_LEVEL_FIELDS, '');

  checkString(state, 'version', data['version'], MAX.version, true);
  checkUserIdentity(state, data['userIdentity']);
  checkString(state, 'userAgent', data['userAgent'], MAX.userAgent, false);
  checkString(state, 'eventSource', data['eventSource'], MAX.eventSource, true);
  checkString(state, 'eventName', data['eventName'], MAX.eventName, true);
  const eventTime = data['eventTime'];
  if (checkString(state, 'eventTime', eventTime, undefined, true) && !isValidEventTime(eventTime)) {
    const shown = excerpt(eventTime as string);
    fail(
      state,
      'eventTime',
      'invalid',
      `eventTime must be a UTC time like 2026-11-21T09:30:00Z, got ${shown}`,
      'yyyy-MM-ddTHH:mm:ssZ',
      shown,
    );
  }
  checkString(state, 'UID', data['UID'], MAX.UID, true);
  checkObject(state, 'requestParameters', data['requestParameters']);
  checkObject(state, 'responseElements', data['responseElements']);
  checkString(state, 'errorCode', data['errorCode'], MAX.errorCode, false);
  checkString(state, 'errorMessage', data['errorMessage'], MAX.errorMessage, false);
  const ip = data['sourceIPAddress'];
  if (typeof ip !== 'string') {
    checkString(state, 'sourceIPAddress', ip, undefined, false);
  } else if (!isValidIpAddress(ip)) {
    const shown = excerpt(ip);
    fail(
      state,
      'sourceIPAddress',
      'invalid',
      `sourceIPAddress must be an IPv4 or IPv6 address, got ${shown}`,
      'IPv4 or IPv6',
      shown,
    );
  }
  const account = data['recipientAccountId'];
  if (checkString(state, 'recipientAccountId', account, undefined, true) && !isValidAccountId(account)) {
    const shown = excerpt(account as string);
    fail(
      state,
      'recipientAccountId',
      'invalid',
      `recipientAccountId must be a 12-digit AWS account id, got ${shown}`,
      '12 digits',
      shown,
    );
  }
  checkObject(state, 'additionalEventData', data['additionalEventData']);

  if (state.errors.length > 0 || state.cut === undefined) return { data, errors: state.errors };
  return { data: applyCuts(data, state.cut), errors: state.errors };
}

function checkUserIdentity(state: State, userIdentity: unknown): void {
  if (userIdentity === undefined) {
    fail(state, 'userIdentity', 'missing', 'userIdentity is required but missing');
    return;
  }
  if (!isPlainObject(userIdentity)) {
    fail(
      state,
      'userIdentity',
      'invalid',
      `userIdentity must be a JSON object, got ${typeName(userIdentity)}`,
    );
    return;
  }
  if (!state.options.trusted) checkKnownFields(state, userIdentity, USER_IDENTITY_FIELDS, 'userIdentity.');
  checkString(state, 'userIdentity.type', userIdentity['type'], MAX['userIdentity.type'], true);
  checkString(
    state,
    'userIdentity.principalId',
    userIdentity['principalId'],
    MAX['userIdentity.principalId'],
    true,
  );
  checkObject(state, 'userIdentity.details', userIdentity['details']);
}

function checkKnownFields(
  state: State,
  object: Record<string, unknown>,
  known: ReadonlySet<string>,
  prefix: string,
): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key) && object[key] !== undefined) {
      fail(state, `${prefix}${key}`, 'invalid', `${prefix}${key} is not a field of the eventData schema`);
    }
  }
}

/**
 * Checks an optional or required string field and its length. Returns true when the value is a
 * non-empty string (so format checks may follow); an over-long string is recorded for cutting under
 * `truncate`, else reported.
 */
function checkString(
  state: State,
  field: string,
  value: unknown,
  max: number | undefined,
  required: boolean,
): boolean {
  if (value === undefined) {
    if (required) fail(state, field, 'missing', `${field} is required but missing`);
    return false;
  }
  if (typeof value !== 'string') {
    fail(state, field, 'invalid', `${field} must be a string, got ${typeName(value)}`);
    return false;
  }
  if (value === '') {
    if (required) fail(state, field, 'missing', `${field} is required but empty`);
    return false;
  }
  if (max !== undefined && value.length > max) {
    if (state.options.truncate) (state.cut ??= new Map()).set(field, cutString(value, max));
    else
      fail(
        state,
        field,
        'too_long',
        `${field} is ${value.length} characters long, above its limit of ${max}`,
        max,
        value.length,
      );
  }
  return true;
}

function checkObject(state: State, field: string, value: unknown): void {
  if (value === undefined) return;
  const ok = state.options.trusted ? isPlainObject(value) : isJsonObject(value);
  if (!ok) {
    const what = state.options.trusted ? 'a JSON object' : 'a JSON object of plain JSON values';
    fail(state, field, 'invalid', `${field} must be ${what}, got ${typeName(value)}`);
  }
}

function fail(
  state: State,
  field: string,
  reason: ValidationReason,
  message: string,
  limit?: number | string,
  actual?: number | string,
): void {
  state.errors.push(
    new ValidationError({
      eventId: state.options.eventId,
      field,
      reason,
      message,
      ...(limit === undefined ? {} : { limit }),
      ...(actual === undefined ? {} : { actual }),
    }),
  );
}

/** A copy of `data` with the cut strings in place and the cut fields listed in additionalEventData. */
function applyCuts(data: Record<string, unknown>, cut: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  let userIdentity: Record<string, unknown> | undefined;
  for (const [field, value] of cut) {
    if (field.startsWith('userIdentity.')) {
      userIdentity ??= { ...(data['userIdentity'] as Record<string, unknown>) };
      userIdentity[field.slice('userIdentity.'.length)] = value;
    } else {
      out[field] = value;
    }
  }
  if (userIdentity !== undefined) out['userIdentity'] = userIdentity;
  const additional = (data['additionalEventData'] ?? {}) as JsonObject;
  const marker = additional[TRUNCATED_FIELDS_KEY];
  out['additionalEventData'] = {
    ...additional,
    [TRUNCATED_FIELDS_KEY]: [...(Array.isArray(marker) ? marker : []), ...cut.keys()],
  };
  return out;
}

/** Cuts to `max` UTF-16 code units without splitting a surrogate pair (an emoji counts as two). */
export function cutString(value: string, max: number): string {
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The JSON-ish type of a value, for messages: `null`, `array`, `object`, `Date`, `string`... */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    const name = (proto as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return isPlainObject(value) || typeof name !== 'string' ? 'object' : name;
  }
  return typeof value;
}

function excerpt(value: string): string {
  return `\`${value.length > EXCERPT_CHARS ? `${value.slice(0, EXCERPT_CHARS)}…` : value}\``;
}
