/**
 * eventTime is UTC at one-second precision, `yyyy-MM-ddTHH:mm:ssZ`: every AWS example and partner sample
 * sends that shape, and fractional seconds or offsets are undocumented
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-integration-event-schema.html).
 */

// ISO 8601 date-time with an explicit zone; Date.parse alone would also take local-time and free-form
// strings, which would silently shift an audit timestamp.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

// Date's own range, in milliseconds either side of the epoch.
const MAX_DATE_MILLIS = 8.64e15;

// Records of one batch often share a second: remembering the last one skips the formatting.
let lastSeconds = Number.NaN;
let lastText = '';

/** Formats epoch milliseconds as `yyyy-MM-ddTHH:mm:ssZ`, dropping the fraction; `undefined` if out of range. */
export function formatEventTime(epochMillis: number): string | undefined {
  if (!Number.isFinite(epochMillis) || Math.abs(epochMillis) > MAX_DATE_MILLIS) return undefined;
  const seconds = Math.floor(epochMillis / 1000);
  if (seconds !== lastSeconds) {
    lastText = seconds >= 0 && seconds < YEAR_10000_SECONDS ? formatSeconds(seconds) : isoSeconds(seconds);
    lastSeconds = seconds;
  }
  return lastText;
}

// 10000-01-01T00:00:00Z: below it every year has four digits.
const YEAR_10000_SECONDS = 253_402_300_800;

// Records of a batch mostly share a day even when their seconds differ: the date part is remembered
// and only the time of day is written per record. In a CPU profile of the mapping in bench/core.ts (whose
// records are a second apart) the eventTime field fell from 14% of the mapping to 5%.
let lastDay = Number.NaN;
let lastDatePrefix = '';

/** `yyyy-MM-ddTHH:mm:ssZ` of a second from 0000 to 9999. */
function formatSeconds(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  if (days !== lastDay) {
    lastDatePrefix = datePrefix(days);
    lastDay = days;
  }
  const secondOfDay = seconds - days * 86_400;
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  return `${lastDatePrefix}${TWO_DIGITS[hour]!}:${TWO_DIGITS[minute]!}:${TWO_DIGITS[secondOfDay % 60]!}Z`;
}

/**
 * `yyyy-MM-ddT` of a day since the epoch, by the civil-from-days algorithm (H. Hinnant,
 * "chrono-compatible low-level date algorithms"), about ten times faster than `new Date().toISOString()`.
 */
function datePrefix(days: number): string {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${TWO_DIGITS[month]!}-${TWO_DIGITS[day]!}T`;
}

// '00' to '59': every two-digit field of a date and time, made once.
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

function isoSeconds(seconds: number): string {
  // Years outside 0000-9999 print as ±YYYYYY; validation rejects them against the pattern.
  return `${new Date(seconds * 1000).toISOString().slice(0, -5)}Z`;
}

/**
 * Reads an `audit.event_time` value: an ISO 8601 string with a zone, or epoch milliseconds.
 * Returns the formatted time, or `undefined` when the value is neither.
 */
export function parseEventTime(value: unknown): string | undefined {
  if (typeof value === 'number') return formatEventTime(value);
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return undefined;
  return formatEventTime(Date.parse(value));
}

/** Epoch milliseconds of an OTel `HrTime` (`[seconds, nanoseconds]`), or `undefined` when it is unset or zero. */
export function hrTimeToEpochMillis(hrTime: readonly [number, number] | undefined): number | undefined {
  if (hrTime === undefined) return undefined;
  // Indexing rather than destructuring: no iterator per call.
  const seconds = hrTime[0];
  const nanos = hrTime[1];
  if (!Number.isFinite(seconds) || !Number.isFinite(nanos) || (seconds === 0 && nanos === 0))
    return undefined;
  return seconds * 1000 + Math.floor(nanos / 1e6);
}
