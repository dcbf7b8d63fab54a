import { isIP } from 'node:net';
import { ACCOUNT_ID_PATTERN } from '../limits.js';
import { isPlainJsonTree, isPlainObject } from '../mapping/any-value.js';

/**
 * Pure checks of single eventData values, shared by the exporter's validation and the emulator's.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-integration-event-schema.html
 */

/**
 * `yyyy-MM-ddTHH:mm:ssZ`, UTC at one-second precision, and a real calendar date (no 31 April). Read
 * by char code rather than with EVENT_TIME_PATTERN: it runs once per event, and this accepts exactly
 * what that pattern accepts at a fraction of its cost (a test holds the two side by side).
 */
export function isValidEventTime(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 20) return false;
  if (
    value.charCodeAt(4) !== DASH ||
    value.charCodeAt(7) !== DASH ||
    value.charCodeAt(10) !== UPPER_T ||
    value.charCodeAt(13) !== COLON ||
    value.charCodeAt(16) !== COLON ||
    value.charCodeAt(19) !== UPPER_Z
  ) {
    return false;
  }
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  // digits() gives -1 for a non-digit, which every range check below rejects.
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  return day <= 28 || day <= daysInMonth(year, month);
}

const DASH = 0x2d;
const COLON = 0x3a;
const UPPER_T = 0x54;
const UPPER_Z = 0x5a;

/** The number written by `count` ASCII digits of `text` from `start`, or -1 if one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** An IPv4 or IPv6 address as node:net reads them (no host names, ports or CIDR). */
export function isValidIpAddress(value: unknown): value is string {
  return typeof value === 'string' && isIP(value) !== 0;
}

/** An AWS account id: twelve digits. */
export function isValidAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID_PATTERN.test(value);
}

/**
 * True when `value` is a plain object that JSON.stringify writes back unchanged: plain objects and
 * arrays only, finite numbers, no cycles, no `undefined` array items, no functions, Dates or class
 * instances anywhere inside. (Object properties that are `undefined` are allowed: JSON drops them.)
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  // The allocation-free walk settles the common case; only a failure or a very deep tree needs the
  // exact walk with its ancestor list.
  return isPlainObject(value) && (isPlainJsonTree(value) || isJson(value, []));
}

function isJson(value: unknown, ancestors: object[]): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (ancestors.includes(value)) return false;
      ancestors.push(value);
      const ok = Array.isArray(value)
        ? isJsonArray(value, ancestors)
        : isPlainObject(value) && isJsonMembers(value, ancestors);
      ancestors.pop();
      return ok;
    }
    default:
      return false;
  }
}

function isJsonArray(array: readonly unknown[], ancestors: object[]): boolean {
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    if (item === undefined || !isJson(item, ancestors)) return false;
  }
  return true;
}

function isJsonMembers(object: Record<string, unknown>, ancestors: object[]): boolean {
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (item !== undefined && !isJson(item, ancestors)) return false;
  }
  return true;
}
