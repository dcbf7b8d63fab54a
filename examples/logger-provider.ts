// Quick start with the OpenTelemetry logs SDK: a LoggerProvider whose audit records are redacted,
// batched and sent to CloudTrail Lake. The channel comes from OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import {
  CloudTrailLakeLogExporter,
  CloudTrailLakeLogRecordProcessor,
  RedactingLogRecordProcessor,
} from 'otel-cloudtrail-lake';

const exporter = new CloudTrailLakeLogExporter({
  // Used when a record does not say it with `audit.user_identity.type`.
  defaults: { userIdentityType: 'Customer' },
});

const provider = new LoggerProvider({
  // `service.name` becomes eventSource unless a record sets `audit.event_source`.
  resource: resourceFromAttributes({ 'service.name': 'orders.example.com' }),
  processors: [
    // Redaction first: records can only be changed in onEmit, before the exporter's processor queues them.
    new RedactingLogRecordProcessor(),
    // Flushes and shuts down on SIGTERM/SIGINT, so a container stop loses nothing queued.
    new CloudTrailLakeLogRecordProcessor({ exporter, shutdownOnSignals: true }),
  ],
});

const logger = provider.getLogger('orders');

// An audit event is a log record with `audit.*` attributes; semantic-convention keys fill in the rest.
logger.emit({
  severityText: 'INFO',
  body: 'order cancelled',
  attributes: {
    'audit.event_name': 'CancelOrder',
    'user.id': 'alice',
    'client.address': '203.0.113.10',
    'user_agent.original': 'Mozilla/5.0',
    'audit.request_parameters': { orderId: 'o-1001', reason: 'duplicate', apiToken: 'never stored' },
    'audit.response_elements': { status: 'cancelled' },
  },
});

// Records without `audit.*` attributes are skipped, so the provider can serve other exporters too.
logger.emit({ body: 'cache refreshed' });

await provider.shutdown();
