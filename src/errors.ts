/**
 * One error hierarchy with stable string codes, so callers branch on `code` rather than on messages.
 * Every error names what went wrong and where; none ever carries a credential or a secret value.
 */

/** Every stable code this library produces. The README's troubleshooting section is keyed by these. */
export const ERROR_CODES = Object.freeze({
  CONFIG: 'CTL_ERR_CONFIG',
  FIELD_MISSING: 'CTL_ERR_FIELD_MISSING',
  FIELD_TOO_LONG: 'CTL_ERR_FIELD_TOO_LONG',
  FIELD_INVALID: 'CTL_ERR_FIELD_INVALID',
  EVENT_TOO_LARGE: 'CTL_ERR_EVENT_TOO_LARGE',
  MAPPING_FAILED: 'CTL_ERR_MAPPING_FAILED',
  SERVICE: 'CTL_ERR_SERVICE',
  REJECTED_BY_SERVICE: 'CTL_ERR_REJECTED_BY_SERVICE',
  TIMEOUT: 'CTL_ERR_TIMEOUT',
  NETWORK: 'CTL_ERR_NETWORK',
  RETRIES_EXHAUSTED: 'CTL_ERR_RETRIES_EXHAUSTED',
  QUEUE_FULL: 'CTL_ERR_QUEUE_FULL',
  SPOOL: 'CTL_ERR_SPOOL',
  SHUTDOWN: 'CTL_ERR_SHUTDOWN',
  EXPORT_FAILED: 'CTL_ERR_EXPORT_FAILED',
  BUG: 'CTL_ERR_BUG',
  ROUTE: 'CTL_ERR_ROUTE',
  CHANNEL: 'CTL_ERR_CHANNEL',
} as const);

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export interface CloudTrailLakeErrorOptions {
  cause?: unknown;
}

/** The base of every error this library throws or reports. */
export class CloudTrailLakeError extends Error {
  override readonly name: string = 'CloudTrailLakeError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: CloudTrailLakeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** A configuration option or environment variable is wrong. Thrown at construction, never later. */
export class ConfigError extends CloudTrailLakeError {
  override readonly name = 'ConfigError';
  /** The option (or env var) at fault. */
  readonly option: string;

  constructor(option: string, message: string, options: CloudTrailLakeErrorOptions = {}) {
    super(ERROR_CODES.CONFIG, message, options);
    this.option = option;
  }
}

/** Why a field of eventData failed validation. */
export type ValidationReason = 'missing' | 'too_long' | 'too_large' | 'invalid';

const REASON_CODES = {
  missing: ERROR_CODES.FIELD_MISSING,
  too_long: ERROR_CODES.FIELD_TOO_LONG,
  too_large: ERROR_CODES.FIELD_TOO_LONG,
  invalid: ERROR_CODES.FIELD_INVALID,
} as const satisfies Record<ValidationReason, ErrorCode>;

/**
 * One field of one event breaks the schema. `limit` and `actual` are in the unit of the rule:
 * characters for strings, UTF-8 bytes for objects; for a format rule `actual` is a short excerpt.
 */
export class ValidationError extends CloudTrailLakeError {
  override readonly name = 'ValidationError';
  readonly eventId: string;
  readonly field: string;
  readonly reason: ValidationReason;
  readonly limit: number | string | undefined;
  readonly actual: number | string | undefined;

  constructor(init: {
    eventId: string;
    field: string;
    reason: ValidationReason;
    message: string;
    limit?: number | string;
    actual?: number | string;
  }) {
    // It describes data, not a fault in the program: the stack would only say where the check ran, and
    // capturing it cost about 7 µs an error against 0.6 without (a flood of invalid records at the
    // bridge makes one or more per record). So none is captured.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(REASON_CODES[init.reason], `event ${init.eventId}: ${init.message}`);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.eventId = init.eventId;
    this.field = init.field;
    this.reason = init.reason;
    this.limit = init.limit;
    this.actual = init.actual;
  }
}

/** An event cannot fit in a request on its own, even alone. */
export class EventTooLargeError extends CloudTrailLakeError {
  override readonly name = 'EventTooLargeError';
  readonly eventId: string;
  /** The event's size inside a request body, in UTF-8 bytes. */
  readonly bytes: number;
  /** The request limit it had to fit in, in UTF-8 bytes. */
  readonly limit: number;

  constructor(eventId: string, bytes: number, limit: number) {
    super(
      ERROR_CODES.EVENT_TOO_LARGE,
      `event ${eventId}: needs ${bytes} bytes in a PutAuditEvents request body, above maxRequestBytes (${limit})`,
    );
    this.eventId = eventId;
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** The user's `mapRecord` or `filter` threw for one record; that record is rejected, the others go on. */
export class MappingError extends CloudTrailLakeError {
  override readonly name = 'MappingError';
  readonly eventId: string;

  constructor(eventId: string, message: string, options: CloudTrailLakeErrorOptions = {}) {
    super(ERROR_CODES.MAPPING_FAILED, `event ${eventId}: ${message}`, options);
    this.eventId = eventId;
  }
}

/** The service answered a whole request with an error (REST-JSON error body, or a 5xx). */
export class ServiceError extends CloudTrailLakeError {
  override readonly name = 'ServiceError';
  /** The AWS error name: `x-amzn-errortype`, else body `code`, else body `__type`. */
  readonly awsErrorCode: string | undefined;
  readonly statusCode: number;
  readonly requestId: string | undefined;

  constructor(init: {
    message: string;
    statusCode: number;
    awsErrorCode?: string | undefined;
    requestId?: string | undefined;
    cause?: unknown;
    /** Overrides `CTL_ERR_SERVICE`, e.g. `CTL_ERR_BUG` for DuplicatedAuditEventId. */
    code?: ErrorCode | undefined;
  }) {
    super(init.code ?? ERROR_CODES.SERVICE, init.message, { cause: init.cause });
    this.statusCode = init.statusCode;
    this.awsErrorCode = init.awsErrorCode;
    this.requestId = init.requestId;
  }
}

/** The service accepted the request but refused one event in `failed[]` with a permanent code. */
export class RejectedByServiceError extends CloudTrailLakeError {
  override readonly name = 'RejectedByServiceError';
  readonly eventId: string;
  /** The service's per-event code, e.g. `InvalidData`, `FieldTooLong`. */
  readonly serviceErrorCode: string;

  constructor(eventId: string, serviceErrorCode: string, serviceMessage: string) {
    super(
      ERROR_CODES.REJECTED_BY_SERVICE,
      `event ${eventId}: rejected by CloudTrail Lake with ${serviceErrorCode}: ${serviceMessage}`,
    );
    this.eventId = eventId;
    this.serviceErrorCode = serviceErrorCode;
  }
}

/** A request never got an HTTP response: connection refused or reset, DNS failure, TLS failure. */
export class NetworkError extends CloudTrailLakeError {
  override readonly name = 'NetworkError';
  /** The Node.js error code, e.g. `ECONNRESET`, `ENOTFOUND`; `undefined` when there was none. */
  readonly errno: string | undefined;

  constructor(message: string, errno: string | undefined, options: CloudTrailLakeErrorOptions = {}) {
    super(ERROR_CODES.NETWORK, message, options);
    this.errno = errno;
  }
}

/** A request or an export ran past its deadline. */
export class TimeoutError extends CloudTrailLakeError {
  override readonly name = 'TimeoutError';
  readonly timeoutMillis: number;

  constructor(message: string, timeoutMillis: number, options: CloudTrailLakeErrorOptions = {}) {
    super(ERROR_CODES.TIMEOUT, message, options);
    this.timeoutMillis = timeoutMillis;
  }
}

/**
 * The `channelArn` function could not route one record: it threw, or returned something other than a
 * channel ARN or `{ channelArn, externalId }`. That record alone is rejected (failing closed: it is never
 * sent to some default channel instead).
 */
export class RoutingError extends CloudTrailLakeError {
  override readonly name = 'RoutingError';
  readonly eventId: string;
  /** The option or returned member at fault: `channelArn` or `channelArn().externalId`. */
  readonly field: string;

  constructor(eventId: string, field: string, message: string, options: CloudTrailLakeErrorOptions = {}) {
    super(ERROR_CODES.ROUTE, `event ${eventId}: ${message}`, options);
    this.eventId = eventId;
    this.field = field;
  }
}

/**
 * A routed record's channel refused the whole request for a reason that concerns that channel alone
 * (`ChannelNotFound`, `ChannelInsufficientPermission`, ...): the record is rejected, and the other
 * channels' records are not held back.
 */
export class ChannelError extends CloudTrailLakeError {
  override readonly name = 'ChannelError';
  readonly eventId: string;
  readonly channelArn: string;
  /** The AWS error name the channel answered with, e.g. `ChannelNotFound`. */
  readonly awsErrorCode: string;

  constructor(
    eventId: string,
    channelArn: string,
    awsErrorCode: string,
    options: CloudTrailLakeErrorOptions = {},
  ) {
    super(
      ERROR_CODES.CHANNEL,
      `event ${eventId}: channel ${channelArn} refused PutAuditEvents with ${awsErrorCode}`,
      options,
    );
    this.eventId = eventId;
    this.channelArn = channelArn;
    this.awsErrorCode = awsErrorCode;
  }
}

/** Any error that is one event's rejection, reported through `onRejected`, counters and dead letters. */
export type EventRejection =
  ValidationError | EventTooLargeError | MappingError | RejectedByServiceError | RoutingError | ChannelError;
