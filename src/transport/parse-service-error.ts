import { ServiceError } from '../errors.js';
import { classifyError, errorCodeFor } from './is-retryable.js';

/**
 * REST-JSON error responses as the AWS SDK for JavaScript v3 reads them (the generated `Aws_restJson1`
 * deserializer of client-cloudtrail-data): name from `x-amzn-errortype`, else body `code`, else `__type`.
 */

/** `com.amazonaws.cloudtraildata#ChannelNotFound` and `ChannelNotFound:http://...` both give `ChannelNotFound`. */
export function sanitizeErrorCode(raw: unknown): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  let value = String(raw).split(',')[0] ?? '';
  value = value.split(':')[0] ?? '';
  const hash = value.indexOf('#');
  if (hash >= 0) value = value.slice(hash + 1);
  value = value.trim();
  return value === '' ? undefined : value;
}

/** Response headers, lower-cased names as node:http gives them. */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * `Retry-After` as milliseconds from `nowMillis`: delta-seconds or an HTTP date (RFC 9110 section 10.2.3).
 * `undefined` when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMillis: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis);
}

function parseJsonObject(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Keeps a service message one short line, whatever a proxy may have answered instead. */
function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}...` : line;
}

/**
 * Builds the ServiceError of a non-2xx response. `target` is `METHOD URL` without the query string, so
 * that neither `externalId` nor anything signed ends up in logs.
 */
export function parseServiceError(init: {
  statusCode: number;
  headers: ResponseHeaders;
  body: string;
  target: string;
}): ServiceError {
  const body = parseJsonObject(init.body);
  const awsErrorCode =
    sanitizeErrorCode(headerValue(init.headers, 'x-amzn-errortype')) ??
    sanitizeErrorCode(body['code']) ??
    sanitizeErrorCode(body['__type']);
  const rawMessage = body['message'] ?? body['Message'];
  const serviceMessage = typeof rawMessage === 'string' ? shorten(rawMessage) : undefined;
  const requestId =
    headerValue(init.headers, 'x-amzn-requestid') ?? headerValue(init.headers, 'x-amz-request-id');
  const what = awsErrorCode === undefined ? `${init.statusCode}` : `${init.statusCode} ${awsErrorCode}`;
  const message = `PutAuditEvents failed with ${what}: ${init.target}${serviceMessage === undefined ? '' : `: ${serviceMessage}`}`;
  return new ServiceError({
    message,
    statusCode: init.statusCode,
    awsErrorCode,
    requestId,
    code: errorCodeFor(classifyError({ awsErrorCode, statusCode: init.statusCode })),
  });
}
