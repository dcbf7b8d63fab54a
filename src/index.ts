// The public API of `otel-cloudtrail-lake`. Server code (emulator, bridge) lives behind subpaths so that
// applications which only export never load it.

export { CloudTrailLakeLogExporter } from './cloudtrail-lake-log-exporter.js';
export {
  CloudTrailLakeLogRecordProcessor,
  type CloudTrailLakeLogRecordProcessorOptions,
} from './cloudtrail-lake-log-record-processor.js';
export type {
  CloudTrailLakeLogExporterOptions,
  CloudTrailLakeLogRecordProcessorOptionsBase,
  ShutdownSignal,
} from './options.js';
export { ENV_VARS } from './env.js';
export { DEFAULTS } from './defaults.js';
export { METRIC_NAMES, type ExportStats } from './pipeline/export-stats.js';
export type { OnRejected } from './pipeline/report-rejections.js';

export {
  AuditFilterLogRecordProcessor,
  type AuditFilterLogRecordProcessorOptions,
  type AuditFilterCounters,
} from './processors/audit-filter-log-record-processor.js';
export {
  RedactingLogRecordProcessor,
  type RedactingLogRecordProcessorOptions,
} from './processors/redacting-log-record-processor.js';
export { redact, createRedactor, type RedactOptions, type Redactor } from './processors/redact.js';

export type { MappingOptions, MappingDefaults } from './mapping/mapping-options.js';
export type { AuditLogRecord } from './mapping/audit-log-record.js';
export type {
  EventData,
  AuditEventEntry,
  PreparedEvent,
  PutAuditEventsOutput,
  JsonObject,
  JsonValue,
} from './mapping/audit-event.js';
export { AUDIT_ATTRIBUTES, AUDIT_ATTRIBUTE_PREFIX } from './mapping/audit-attributes.js';
export { AUDIT_ID_ATTRIBUTE } from './mapping/event-id.js';
export {
  prepareAuditEvents,
  type PrepareOptions,
  type PrepareContext,
  type PrepareResult,
} from './prepare-audit-events.js';
export {
  prepareEventData,
  eventDataChecksum,
  type PrepareEventDataOptions,
  type PrepareEventDataResult,
} from './mapping/prepare-event.js';
export {
  validateEventData,
  type ValidateEventDataOptions,
  type ValidateEventDataResult,
} from './validation/validate-event-data.js';
export { isValidEventTime, isValidIpAddress, isValidAccountId } from './validation/predicates.js';
export { splitIntoRequests, type RequestLimits, type SplitResult } from './batch/split-into-requests.js';
export { requestBody, requestBodyBytes } from './batch/request-body.js';

export type {
  PutAuditEventsFunction,
  PutAuditEventsInput,
  PutAuditEventsResponse,
  PreparedRequest,
  Transport,
  SendResult,
} from './transport/transport.js';
export type {
  AwsCredentials,
  AwsCredentialsProvider,
  CredentialsOption,
} from './transport/credentials-provider.js';
export type { RetryOptions } from './transport/retrying-transport.js';

export { createMemorySpool } from './spool/memory-spool.js';
export { createFileSpool, type FileSpoolOptions, type SpoolFsyncPolicy } from './spool/file-spool.js';
export type { Spool, SpoolEntry, SpoolStats } from './spool/spool.js';
export type { SpoolOption } from './spool/resolve-spool.js';
export type {
  DeadLetter,
  DeadLetterReason,
  DeadLetterOption,
  OnDeadLetter,
} from './dead-letter/dead-letter.js';
export type { PipelineStats } from './telemetry/pipeline-stats.js';

export {
  PUT_AUDIT_EVENTS_MAX_EVENTS,
  PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
  PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
  EVENT_DATA_STRING_MAX_CHARS,
  EVENT_DATA_OBJECT_MAX_BYTES,
  REDACTED_VALUE,
} from './limits.js';
export {
  ERROR_CODES,
  CloudTrailLakeError,
  ConfigError,
  ValidationError,
  EventTooLargeError,
  MappingError,
  ServiceError,
  RejectedByServiceError,
  TimeoutError,
  NetworkError,
  type ErrorCode,
  type EventRejection,
  type ValidationReason,
} from './errors.js';
