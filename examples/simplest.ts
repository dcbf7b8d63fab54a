// The least code that sends audit events to CloudTrail Lake. Every setting comes from the environment:
// OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN, and AWS credentials from the default chain.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';

const provider = new LoggerProvider({
  processors: [
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter(),
      shutdownOnSignals: true,
    }),
  ],
});

provider.getLogger('shop').emit({
  body: 'alice signed in',
  attributes: {
    'audit.event_source': 'shop.example.com',
    'audit.event_name': 'Login',
    'audit.user_identity.type': 'Customer',
    'audit.user_identity.principal_id': 'alice',
  },
});

await provider.shutdown(); // flushes what is queued
