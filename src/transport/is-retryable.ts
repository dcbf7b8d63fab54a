import { ERROR_CODES } from '../errors.js';

/**
 * The one table of what is worth retrying, so every caller agrees. Order of evidence: the AWS error name,
 * then the HTTP status, then the Node.js errno. Names follow the PutAuditEvents API reference
 * (https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_PutAuditEvents.html#API_PutAuditEvents_Errors),
 * the AWS common errors, and smithy-typescript's `service-error-classification` constants.
 */

/** AWS names meaning "slow down": retry after a backoff, and lower the client-side rate. */
const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
]);

/** AWS names of a passing fault on the service side. */
const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/**
 * Permanent AWS errors and the likely fix, for the one diagnostic the exporter writes. Resending the same
 * request fails the same way. ExpiredToken* is here too: the HTTP transport already refreshes the
 * credentials and resends once on its own, so when it reaches this table a refresh did not help.
 */
const PERMANENT_HINTS: Readonly<Record<string, string>> = Object.freeze({
  ChannelNotFound:
    'no such channel in this account and region: check `channelArn` (its region selects the endpoint) and that the channel was not deleted',
  InvalidChannelARN: 'the channel ARN is malformed: copy it from `aws cloudtrail list-channels`',
  ChannelInsufficientPermission:
    'the credentials belong to another account than the channel owner: use credentials of the channel owner account, or a resource policy that allows this principal',
  ChannelUnsupportedSchema:
    'the channel does not accept this event schema: use a channel with source `Custom` or your integration',
  UnsupportedOperationException:
    'PutAuditEvents is not available for this account or region (CloudTrail Lake closed to new customers on 2026-05-31)',
  AccessDeniedException:
    'the principal lacks `cloudtrail-data:PutAuditEvents` on the channel, or the channel policy requires an `externalId` that is missing or wrong',
  UnrecognizedClientException:
    'the access key id is unknown: check the credentials and the partition (aws, aws-cn, aws-us-gov)',
  InvalidClientTokenId:
    'the access key id is unknown: check the credentials and the partition (aws, aws-cn, aws-us-gov)',
  InvalidSignatureException:
    'the secret access key does not match the access key id (or the request was altered by a proxy)',
  SignatureDoesNotMatch:
    'the secret access key does not match the access key id (or the request was altered by a proxy)',
  IncompleteSignature: 'the request signature is incomplete: a proxy may strip headers',
  IncompleteSignatureException: 'the request signature is incomplete: a proxy may strip headers',
  MissingAuthenticationToken:
    'no credentials were sent: configure `credentials` or the AWS default credential chain',
  MissingAuthenticationTokenException:
    'no credentials were sent: configure `credentials` or the AWS default credential chain',
  ExpiredToken:
    'the session token expired (a refresh, where possible, did not help): renew the session (e.g. `aws sso login`) or give `credentials` as a provider that refreshes',
  ExpiredTokenException:
    'the session token expired (a refresh, where possible, did not help): renew the session (e.g. `aws sso login`) or give `credentials` as a provider that refreshes',
  RequestExpired: 'the request was signed too long ago: check the system clock',
  InvalidSignatureTimestamp: 'the request was signed too long ago: check the system clock',
  RequestTimeTooSkewed: 'the system clock is off by more than 5 minutes: sync it (NTP)',
  ValidationException:
    'the request breaks an API constraint: check `externalId` (2-1224 chars of [\\w+=,.@:/-]) and the channel ARN',
  ValidationError:
    'the request breaks an API constraint: check `externalId` (2-1224 chars of [\\w+=,.@:/-]) and the channel ARN',
  OptInRequired: 'the account is not subscribed to CloudTrail Lake',
  NotAuthorized: 'the principal is not allowed to call PutAuditEvents',
  DuplicatedAuditEventId:
    'two events in one request shared an id: this is a bug in otel-cloudtrail-lake, please report it with the diagnostic log',
});

/** Errno codes of a connection that failed or broke and may work on a new attempt. */
const TRANSIENT_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Where to give a CA to trust: the option, or a PEM file in either variable. */
const TRUST_CA = 'give its CA as `ca`, `AWS_CA_BUNDLE` or `NODE_EXTRA_CA_CERTS`';

const PERMANENT_ERRNO_HINTS: Readonly<Record<string, string>> = Object.freeze({
  CERT_HAS_EXPIRED: 'the endpoint certificate expired: check `endpoint` and any TLS-intercepting proxy',
  DEPTH_ZERO_SELF_SIGNED_CERT: `the endpoint presents a self-signed certificate: ${TRUST_CA}`,
  SELF_SIGNED_CERT_IN_CHAIN: `the endpoint certificate chains to an untrusted CA: ${TRUST_CA}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `the endpoint certificate cannot be verified: ${TRUST_CA}`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `the endpoint certificate's issuer is unknown: ${TRUST_CA}`,
  ERR_TLS_CERT_ALTNAME_INVALID: 'the endpoint certificate does not name this host: check `endpoint`',
});

const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** What is known about a failed attempt. */
export interface ErrorFacts {
  /** The sanitised AWS error name (`x-amzn-errortype`, body `code`/`__type`, or an SDK error's `name`). */
  awsErrorCode?: string | undefined;
  /** HTTP status, when a response came back. */
  statusCode?: number | undefined;
  /** Node.js error code when no response came back (`ECONNRESET`, ...). */
  errno?: string | undefined;
  /** The error message, for errors without an errno such as "socket hang up". */
  message?: string | undefined;
  /** The attempt ran past its own timeout. */
  timedOut?: boolean | undefined;
}

export interface Classification {
  retryable: boolean;
  /** The service asked us to slow down (the rate limiter lowers its rate). */
  throttled: boolean;
  /** The error means a bug in this library (error code `CTL_ERR_BUG`). */
  bug: boolean;
  /** The likely fix of a permanent error, for diagnostics. */
  hint: string | undefined;
}

const RETRY: Classification = { retryable: true, throttled: false, bug: false, hint: undefined };
const THROTTLE: Classification = { retryable: true, throttled: true, bug: false, hint: undefined };

function permanent(hint: string | undefined, bug = false): Classification {
  return { retryable: false, throttled: false, bug, hint };
}

function permanentHintForName(name: string): string | undefined {
  const hint = PERMANENT_HINTS[name];
  if (hint !== undefined) return hint;
  // AccessDenied, AccessDeniedException and service-specific variants all mean a missing permission.
  return name.startsWith('AccessDenied') ? PERMANENT_HINTS['AccessDeniedException'] : undefined;
}

/** Classifies a failed attempt. Unknown 4xx are permanent; unknown failures without a status are retried. */
export function classifyError(facts: ErrorFacts): Classification {
  const name = facts.awsErrorCode;
  if (name !== undefined && name !== '') {
    if (THROTTLING_NAMES.has(name)) return THROTTLE;
    if (TRANSIENT_NAMES.has(name)) return RETRY;
    const hint = permanentHintForName(name);
    if (hint !== undefined) return permanent(hint, name === 'DuplicatedAuditEventId');
  }
  const status = facts.statusCode;
  if (status !== undefined) {
    if (status === 429) return THROTTLE;
    if (TRANSIENT_STATUSES.has(status)) return RETRY;
    if (status >= 200 && status < 300)
      return permanent('the response could not be read as a PutAuditEvents response');
    if (status === 403) return permanent(PERMANENT_HINTS['AccessDeniedException']);
    if (status === 404) return permanent('nothing answers PutAuditEvents at this URL: check `endpoint`');
    return permanent(undefined);
  }
  if (facts.timedOut === true) return RETRY;
  const errno = facts.errno;
  if (errno !== undefined) {
    if (TRANSIENT_ERRNOS.has(errno)) return RETRY;
    const hint = PERMANENT_ERRNO_HINTS[errno];
    if (hint !== undefined) return permanent(hint);
  }
  if (facts.message !== undefined && /socket hang up|other side closed|terminated/i.test(facts.message))
    return RETRY;
  // No response and no known cause: the network is the likely culprit, and one more try is cheap.
  return errno === undefined ? RETRY : permanent(undefined);
}

/**
 * The likely fix for an error the transport reported, or `undefined`. Reads `awsErrorCode`, `statusCode`
 * and `errno` off the error (ServiceError, NetworkError, or an AWS SDK error with `name`).
 */
export function likelyFix(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const awsErrorCode = typeof record['awsErrorCode'] === 'string' ? record['awsErrorCode'] : undefined;
  const statusCode = typeof record['statusCode'] === 'number' ? record['statusCode'] : undefined;
  const errno = typeof record['errno'] === 'string' ? record['errno'] : undefined;
  return classifyError({ awsErrorCode, statusCode, errno }).hint;
}

/** The error code for a permanent error: `CTL_ERR_BUG` when it means a bug in this library. */
export function errorCodeFor(
  classification: Classification,
): typeof ERROR_CODES.BUG | typeof ERROR_CODES.SERVICE {
  return classification.bug ? ERROR_CODES.BUG : ERROR_CODES.SERVICE;
}
