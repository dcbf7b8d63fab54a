// Covers the classification table (AWS name, then status, then errno) and the likely-fix hints.
// How the HTTP transport extracts those facts from a response is in parse-service-error.test.ts.
import { describe, expect, it } from 'vitest';
import { NetworkError, ServiceError } from '../../../src/errors.js';
import { classifyError, likelyFix } from '../../../src/transport/is-retryable.js';

describe('classifyError', () => {
  it.each(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded'])(
    'treats %s as retryable throttling, whatever the status',
    (awsErrorCode) => {
      expect(classifyError({ awsErrorCode, statusCode: 400 })).toMatchObject({
        retryable: true,
        throttled: true,
      });
    },
  );

  it.each(['InternalServerError', 'ServiceUnavailable', 'InternalFailure'])(
    'treats %s as retryable, not throttling',
    (awsErrorCode) => {
      expect(classifyError({ awsErrorCode, statusCode: 500 })).toMatchObject({
        retryable: true,
        throttled: false,
      });
    },
  );

  it('treats 429 as throttling and 500, 502, 503, 504 as retryable when the name is unknown', () => {
    expect(classifyError({ statusCode: 429 })).toMatchObject({ retryable: true, throttled: true });
    for (const statusCode of [500, 502, 503, 504]) {
      expect(classifyError({ statusCode })).toMatchObject({ retryable: true, throttled: false });
    }
    for (const statusCode of [400, 401, 404, 413, 501]) {
      expect(classifyError({ statusCode }).retryable).toBe(false);
    }
  });

  it.each([
    ['ChannelNotFound', /channelArn/],
    ['InvalidChannelARN', /malformed/],
    ['ChannelInsufficientPermission', /owner account/],
    ['ChannelUnsupportedSchema', /schema/],
    ['UnsupportedOperationException', /not available/],
    ['AccessDeniedException', /cloudtrail-data:PutAuditEvents.*externalId/],
    ['AccessDenied', /cloudtrail-data:PutAuditEvents/],
    ['UnrecognizedClientException', /access key id/],
    ['InvalidSignatureException', /secret access key/],
    ['IncompleteSignature', /incomplete/],
    ['ExpiredTokenException', /renew/],
    ['ValidationException', /externalId/],
  ])('treats %s as permanent with a likely fix', (awsErrorCode, hint) => {
    const classification = classifyError({ awsErrorCode, statusCode: 400 });
    expect(classification).toMatchObject({ retryable: false, bug: false });
    expect(classification.hint).toMatch(hint);
  });

  it('flags DuplicatedAuditEventId as a bug of this library', () => {
    expect(classifyError({ awsErrorCode: 'DuplicatedAuditEventId', statusCode: 400 })).toMatchObject({
      retryable: false,
      bug: true,
    });
  });

  it('lets the AWS name win over the status', () => {
    expect(classifyError({ awsErrorCode: 'ThrottlingException', statusCode: 400 }).retryable).toBe(true);
    expect(classifyError({ awsErrorCode: 'ChannelNotFound', statusCode: 503 }).retryable).toBe(false);
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENOTFOUND',
    'ENETUNREACH',
    'EHOSTUNREACH',
  ])('retries the network error %s', (errno) => {
    expect(classifyError({ errno })).toMatchObject({ retryable: true, throttled: false });
  });

  it('retries timeouts and "socket hang up" without an errno', () => {
    expect(classifyError({ timedOut: true }).retryable).toBe(true);
    expect(classifyError({ message: 'socket hang up' }).retryable).toBe(true);
  });

  it('does not retry certificate errors', () => {
    expect(classifyError({ errno: 'CERT_HAS_EXPIRED' })).toMatchObject({ retryable: false });
    expect(classifyError({ errno: 'ERR_TLS_CERT_ALTNAME_INVALID' }).hint).toMatch(/endpoint/);
  });
});

describe('likelyFix', () => {
  it('reads the AWS error code of a ServiceError', () => {
    const error = new ServiceError({
      message: 'x',
      statusCode: 400,
      awsErrorCode: 'ChannelInsufficientPermission',
    });
    expect(likelyFix(error)).toMatch(/owner account/);
  });

  it('reads the errno of a NetworkError and returns undefined for a retryable one', () => {
    expect(likelyFix(new NetworkError('x', 'DEPTH_ZERO_SELF_SIGNED_CERT'))).toMatch(/NODE_EXTRA_CA_CERTS/);
    expect(likelyFix(new NetworkError('x', 'ECONNRESET'))).toBeUndefined();
    expect(likelyFix('not an error')).toBeUndefined();
  });
});
