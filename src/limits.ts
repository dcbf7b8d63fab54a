/**
 * Limits of the CloudTrail Lake ingestion API, each named with its unit.
 * They come from the PutAuditEvents API reference and the integration event schema:
 * https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_PutAuditEvents.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-integration-event-schema.html
 */

/** At most this many `auditEvents` in one PutAuditEvents request (botocore model: min 1, max 100). */
export const PUT_AUDIT_EVENTS_MAX_EVENTS = 100;

/**
 * The service documents "up to 1 MB" per request without a unit; we read it as the UTF-8 size of the
 * request body as sent and never let a user configure more than 1 MiB.
 */
export const PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES = 1_048_576;

/** Service quota for PutAuditEvents (archived CloudTrail user guide, "cannot be increased"). */
export const PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND = 100;

/** Event `id`: 1 to 128 characters of `[-_A-Za-z0-9]` (botocore shape `Uuid`). */
export const AUDIT_EVENT_ID_MAX_CHARS = 128;
export const AUDIT_EVENT_ID_PATTERN = /^[-_A-Za-z0-9]{1,128}$/;

/** `externalId` query parameter: 2 to 1224 characters of `[\w+=,.@:/-]`. */
export const EXTERNAL_ID_MIN_CHARS = 2;
export const EXTERNAL_ID_MAX_CHARS = 1224;
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]*$/;

/** Per-event `failed[]` codes the service may retry successfully; every other code fails again unchanged. */
export const RETRYABLE_EVENT_ERROR_CODES: ReadonlySet<string> = new Set(['Throttling', 'InternalFailure']);

/** String fields of eventData and their maximum length in characters (integration event schema). */
export const EVENT_DATA_STRING_MAX_CHARS = Object.freeze({
  version: 256,
  'userIdentity.type': 128,
  'userIdentity.principalId': 1024,
  userAgent: 1024,
  eventSource: 1024,
  eventName: 1024,
  UID: 1024,
  errorCode: 256,
  errorMessage: 256,
} as const);

/**
 * JSON-object fields of eventData and their maximum serialised size in UTF-8 bytes. The schema says
 * "100 kB" and "28 kB"; we read kB as 1,000 bytes, the stricter reading.
 */
export const EVENT_DATA_OBJECT_MAX_BYTES = Object.freeze({
  requestParameters: 100_000,
  responseElements: 100_000,
  additionalEventData: 28_000,
} as const);

/** Fields the service requires in eventData (it answers `FieldNotFound` without them). */
export const EVENT_DATA_REQUIRED_FIELDS = Object.freeze([
  'version',
  'userIdentity',
  'userIdentity.type',
  'userIdentity.principalId',
  'eventSource',
  'eventName',
  'eventTime',
  'UID',
  'recipientAccountId',
] as const);

/** eventTime is UTC at one-second precision: `yyyy-MM-ddTHH:mm:ssZ`. */
export const EVENT_TIME_PATTERN =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/** An AWS account id: twelve digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** Signature V4 signing name of the CloudTrail Data service. */
export const CLOUDTRAIL_DATA_SIGNING_NAME = 'cloudtrail-data';

/** The value CloudTrail writes in place of a sensitive value in its own events. */
export const REDACTED_VALUE = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The longest delay Node.js timers accept (a signed 32-bit count of milliseconds); longer fires at once. */
export const MAX_TIMER_MILLIS = 2_147_483_647;
