// Covers REST-JSON error parsing (name from x-amzn-errortype, body code, __type; message; request id),
// name sanitising, and Retry-After parsing. The classification of those names is in is-retryable.test.ts.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ServiceError } from '../../../src/errors.js';
import {
  parseRetryAfter,
  parseServiceError,
  sanitizeErrorCode,
} from '../../../src/transport/parse-service-error.js';

const target = 'POST https://cloudtrail-data.us-east-1.amazonaws.com/PutAuditEvents';

describe('sanitizeErrorCode', () => {
  it.each([
    ['com.amazonaws.cloudtraildata#ChannelNotFound', 'ChannelNotFound'],
    ['ChannelNotFound:http://internal.amazon.com/coral/', 'ChannelNotFound'],
    ['AccessDeniedException,extra', 'AccessDeniedException'],
    ['aws.protocoltests#Foo:bar,baz', 'Foo'],
    ['ThrottlingException', 'ThrottlingException'],
  ])('turns %s into %s', (raw, expected) => {
    expect(sanitizeErrorCode(raw)).toBe(expected);
  });

  it('returns undefined for nothing usable', () => {
    expect(sanitizeErrorCode(undefined)).toBeUndefined();
    expect(sanitizeErrorCode('')).toBeUndefined();
    expect(sanitizeErrorCode({})).toBeUndefined();
  });
});

describe('parseServiceError', () => {
  it('takes the name from x-amzn-errortype before the body', () => {
    const error = parseServiceError({
      statusCode: 403,
      headers: { 'x-amzn-errortype': 'AccessDeniedException:http://x', 'x-amzn-requestid': 'req-1' },
      body: JSON.stringify({ __type: 'Other', message: 'User is not authorized' }),
      target,
    });
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.awsErrorCode).toBe('AccessDeniedException');
    expect(error.requestId).toBe('req-1');
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe(ERROR_CODES.SERVICE);
    expect(error.message).toBe(
      `PutAuditEvents failed with 403 AccessDeniedException: ${target}: User is not authorized`,
    );
  });

  it('falls back to body code, then __type, and reads Message with a capital M', () => {
    expect(
      parseServiceError({
        statusCode: 400,
        headers: {},
        body: '{"code":"ChannelNotFound","__type":"X"}',
        target,
      }).awsErrorCode,
    ).toBe('ChannelNotFound');
    const error = parseServiceError({
      statusCode: 400,
      headers: {},
      body: '{"__type":"com.amazonaws.cloudtraildata#InvalidChannelARN","Message":"bad arn"}',
      target,
    });
    expect(error.awsErrorCode).toBe('InvalidChannelARN');
    expect(error.message).toContain('bad arn');
  });

  it('gives DuplicatedAuditEventId the bug code', () => {
    expect(
      parseServiceError({ statusCode: 400, headers: {}, body: '{"__type":"DuplicatedAuditEventId"}', target })
        .code,
    ).toBe(ERROR_CODES.BUG);
  });

  it('copes with a body that is not JSON, such as a proxy page', () => {
    const error = parseServiceError({
      statusCode: 502,
      headers: {},
      body: '<html>Bad Gateway</html>',
      target,
    });
    expect(error.awsErrorCode).toBeUndefined();
    expect(error.message).toBe(`PutAuditEvents failed with 502: ${target}`);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(' 0.5 ', 0)).toBe(500);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
