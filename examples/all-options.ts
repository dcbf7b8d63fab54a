// Every option of the exporter and of its processor, each set to its default (DEFAULTS) or to an
// example value. Start from simplest.ts; copy from here only what you need to change.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import {
  CloudTrailLakeLogExporter,
  CloudTrailLakeLogRecordProcessor,
  DEFAULTS,
  createMemorySpool,
} from 'otel-cloudtrail-lake';

const exporter = new CloudTrailLakeLogExporter({
  // Where to send. Env: OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN (an option always beats its env var).
  channelArn:
    process.env['OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN'] ??
    'arn:aws:cloudtrail:eu-west-1:123456789012:channel/01234567-89ab-cdef-0123-456789abcdef',
  // region: 'eu-west-1',                  // only with a bare channel id; else the ARN's region
  // endpoint: 'http://127.0.0.1:4599',    // VPC endpoint or emulator; env OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT
  useFipsEndpoint: false,
  useDualstackEndpoint: false,
  // credentials: fromIni({ profile: 'audit' }), // default: the AWS default credential chain
  // externalId: 'my-external-id',        // when the channel's resource policy requires one
  // recipientAccountId: '123456789012',  // default: the account in the channel ARN
  maxEventsPerRequest: DEFAULTS.maxEventsPerRequest,
  maxRequestBytes: DEFAULTS.maxRequestBytes,
  timeoutMillis: DEFAULTS.exportTimeoutMillis,
  maxConcurrentRequests: DEFAULTS.maxConcurrentRequests,
  maxRequestsPerSecond: DEFAULTS.maxRequestsPerSecond,
  retry: { ...DEFAULTS.retry },
  // The mapping from log record to eventData.
  defaults: {
    userIdentityType: 'Customer',
    eventSource: 'shop.example.com',
    version: DEFAULTS.eventDataVersion,
  },
  includeAttributes: DEFAULTS.includeAttributes,
  truncate: DEFAULTS.truncate,
  filter: (record) => Object.keys(record.attributes).some((key) => key.startsWith('audit.')),
  mapRecord: (_record, mapped) => mapped,
  // Permanent rejections (schema errors, or the service's per-event refusals); must not throw.
  onRejected: (rejections) => {
    for (const rejection of rejections)
      console.error(`audit event not stored: ${rejection.code} ${rejection.message}`);
  },
  // deadLetter: { path: '/var/lib/my-app/audit-dead-letters.jsonl' }, // rejected events, one JSON line each
  // putAuditEvents: (input, { abortSignal }) => client.send(new PutAuditEventsCommand(input), { abortSignal }),
  // meterProvider,                        // exporter metrics (see METRIC_NAMES)
});

const processor = new CloudTrailLakeLogRecordProcessor({
  exporter,
  maxExportBatchSize: DEFAULTS.maxExportBatchSize,
  scheduledDelayMillis: DEFAULTS.scheduledDelayMillis,
  exportTimeoutMillis: DEFAULTS.processorExportTimeoutMillis,
  maxQueueSize: DEFAULTS.maxQueueSize,
  droppedWarningIntervalMillis: DEFAULTS.droppedWarningIntervalMillis,
  shutdownOnSignals: DEFAULTS.shutdownSignals,
  // The default; `{ directory: '/var/lib/my-app/audit-spool' }` keeps records on disk until settled.
  spool: createMemorySpool(),
  redeliveryDelayMillis: DEFAULTS.spoolRedeliveryDelayMillis,
});

const provider = new LoggerProvider({ processors: [processor] });
provider.getLogger('shop').emit({
  body: 'alice signed in',
  attributes: { 'audit.event_name': 'Login', 'audit.user_identity.principal_id': 'alice' },
});
await provider.shutdown();
console.log('exporter stats:', exporter.stats);
