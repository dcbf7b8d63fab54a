// Quick start with the NodeSDK (@opentelemetry/sdk-node): pass the processors as `logRecordProcessors`
// and log through the global logs API. The channel comes from OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN.
import { logs } from '@opentelemetry/api-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  CloudTrailLakeLogExporter,
  CloudTrailLakeLogRecordProcessor,
  RedactingLogRecordProcessor,
} from 'otel-cloudtrail-lake';

const sdk = new NodeSDK({
  serviceName: 'accounts.example.com', // the eventSource of every audit event
  logRecordProcessors: [
    new RedactingLogRecordProcessor(),
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter({ defaults: { userIdentityType: 'Employee' } }),
      shutdownOnSignals: true,
    }),
  ],
});
sdk.start();

logs.getLogger('accounts').emit({
  body: 'role changed',
  attributes: {
    'audit.event_name': 'UpdateUserRole',
    'user.id': 'alice',
    'client.address': '203.0.113.10',
    'audit.request_parameters': { userName: 'bob', role: 'admin' },
  },
});

await sdk.shutdown(); // flushes the processors
