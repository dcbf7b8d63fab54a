import { isIP } from 'node:net';
import { ACCOUNT_ID_PATTERN, EVENT_TIME_PATTERN } from '../limits.js';
import { isPlainObject } from '../mapping/any-value.js';

/**
 * Pure checks of single eventData values, shared by the exporter's validation and the emulator's.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-integration-event-schema.html
 */

/** `yyyy-MM-ddTHH:mm:ssZ`, UTC at one-second precision, and a real calendar date (no 31 April). */
export function isValidEventTime(value: unknown): value is string {
  if (typeof value !== 'string' || !EVENT_TIME_PATTERN.test(value)) return false;
  const day = Number(value.slice(8, 10));
  return day <= 28 || day <= daysInMonth(Number(value.slice(0, 4)), Number(value.slice(5, 7)));
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
  return isPlainObject(value) && isJson(value, []);
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
      let ok: boolean;
      if (Array.isArray(value)) {
        ok = value.every((item) => item !== undefined && isJson(item, ancestors));
      } else if (isPlainObject(value)) {
        ok = Object.values(value).every((item) => item === undefined || isJson(item, ancestors));
      } else {
        ok = false;
      }
      ancestors.pop();
      return ok;
    }
    default:
      return false;
  }
}
