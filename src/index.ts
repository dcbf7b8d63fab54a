// The public API of `otel-cloudtrail-lake`: what an application wires into its LoggerProvider. Pure
// building blocks (mapping, validation, packing, limits) are in `otel-cloudtrail-lake/core`; server
// code (emulator, bridge) lives behind its own subpaths so that applications which only export never
// load it. test/unit/public-api.test.ts pins these names, so that every addition is deliberate.

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
export { DEFAULTS } from './defaults.js';
export { ENV_VARS } from './env.js';
export type { ExportStats, ChannelCounts } from './pipeline/export-stats.js';
export type { ChannelArnFunction, ChannelDestination } from './pipeline/channel-destination.js';
export type { OnRejected } from './pipeline/report-rejections.js';
export type { PipelineStats } from './telemetry/pipeline-stats.js';
export type { LedgerStats, DropReason } from './processor/ledger.js';

export {
  AuditFilterLogRecordProcessor,
  type AuditFilterLogRecordProcessorOptions,
  type AuditFilterCounters,
} from './processors/audit-filter-log-record-processor.js';
export {
  RedactingLogRecordProcessor,
  type RedactingLogRecordProcessorOptions,
} from './processors/redacting-log-record-processor.js';
export type { RedactOptions } from './processors/redact.js';
export { REDACTED_VALUE } from './limits.js';

export type { MappingOptions, MappingDefaults, EventDataDraft } from './mapping/mapping-options.js';
export type { AuditLogRecord } from './mapping/audit-log-record.js';
export { AUDIT_ATTRIBUTES } from './mapping/audit-attributes.js';

export type {
  PutAuditEventsFunction,
  PutAuditEventsInput,
  PutAuditEventsResponse,
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
  RoutingError,
  ChannelError,
  type ErrorCode,
  type EventRejection,
  type ValidationReason,
} from './errors.js';
