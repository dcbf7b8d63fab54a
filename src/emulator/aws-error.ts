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
  // CloudTrail's control plane (AWS JSON 1.1): every modelled exception is a client error, 400.
  ChannelAlreadyExistsException: 400,
  ChannelARNInvalidException: 400,
  ChannelExistsForEDSException: 400,
  ChannelMaxLimitExceededException: 400,
  ChannelNotFoundException: 400,
  EventDataStoreAlreadyExistsException: 400,
  EventDataStoreARNInvalidException: 400,
  EventDataStoreNotFoundException: 400,
  EventDataStoreTerminationProtectedException: 400,
  InactiveEventDataStoreException: 400,
  InactiveQueryException: 400,
  InvalidDateRangeException: 400,
  InvalidEventDataStoreStatusException: 400,
  InvalidMaxResultsException: 400,
  InvalidNextTokenException: 400,
  InvalidParameterException: 400,
  InvalidQueryStatementException: 400,
  InvalidQueryStatusException: 400,
  InvalidSourceException: 400,
  MaxConcurrentQueriesException: 400,
  QueryIdNotFoundException: 400,
  ResourceARNNotValidException: 400,
  ResourceNotFoundException: 400,
  ResourcePolicyNotFoundException: 400,
  ResourcePolicyNotValidException: 400,
  ResourceTypeNotSupportedException: 400,
  /** The request body is above the endpoint's limit; refused before it is read. */
  RequestEntityTooLargeException: 413,
  /** Host or Origin not one the emulator serves (DNS rebinding, cross-site requests). */
  ForbiddenRequestException: 403,
  UnsupportedMediaTypeException: 415,
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
