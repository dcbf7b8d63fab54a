/**
 * Whole-request errors as the REST-JSON front door of AWS sends them: the name in `x-amzn-errortype`,
 * a JSON body `{ "__type", "message" }`. Status codes: 400 for the modelled exceptions (restJson1 default
 * when the model has no `httpError`), 403 for authentication failures, 5xx for server faults.
 */

/** Every whole-request error the emulator can answer, with its HTTP status. */
export const AWS_ERROR_STATUS = Object.freeze({
  ChannelInsufficientPermission: 400,
  ChannelNotFound: 400,
  InvalidChannelARN: 400,
  ChannelUnsupportedSchema: 400,
  DuplicatedAuditEventId: 400,
  UnsupportedOperationException: 400,
  ValidationException: 400,
  SerializationException: 400,
  ThrottlingException: 400,
  AccessDeniedException: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  ExpiredTokenException: 403,
  UnknownOperationException: 404,
  InternalServerError: 500,
  ServiceUnavailableException: 503,
} as const);

export type AwsErrorType = keyof typeof AWS_ERROR_STATUS;

/** A whole-request failure the handler throws; the server turns it into the HTTP answer. */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  readonly type: AwsErrorType;
  readonly statusCode: number;
  /** Seconds for a `Retry-After` header (throttling faults). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    type: AwsErrorType,
    message: string,
    init: { statusCode?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.type = type;
    this.statusCode = init.statusCode ?? AWS_ERROR_STATUS[type];
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}
