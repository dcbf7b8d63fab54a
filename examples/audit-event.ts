// The first way to write an audit event: the OpenTelemetry Logs API's `emit({ eventName, attributes })`
// with the draft OpenTelemetry audit attributes (`audit.actor.*`, `audit.action`, `audit.outcome`, ...).
// The channel comes from OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';

const provider = new LoggerProvider({
  // `service.name` becomes the eventSource of every audit event.
  resource: resourceFromAttributes({ 'service.name': 'documents.example.com' }),
  processors: [
    new CloudTrailLakeLogRecordProcessor({
      exporter: new CloudTrailLakeLogExporter(),
      shutdownOnSignals: true, // flush on SIGTERM/SIGINT, so a container stop loses nothing queued
    }),
  ],
});
const logger = provider.getLogger('documents');

// eventName is the Lake's eventName; the audit.* attributes say who did what to which object.
logger.emit({
  eventName: 'DeleteFile',
  body: 'file deleted',
  attributes: {
    'audit.actor.id': 'alice',
    'audit.actor.type': 'user', // userIdentity.type "User"
    'audit.action': 'DELETE',
    'audit.outcome': 'success',
    'audit.target.id': 'file-42',
    'audit.target.type': 'file',
    'client.address': '203.0.113.10',
  },
});

// A failed action: `audit.outcome: 'failure'` gives the event an errorCode.
logger.emit({
  eventName: 'SignIn',
  attributes: {
    'audit.actor.id': 'bob',
    'audit.actor.type': 'user',
    'audit.action': 'LOGIN',
    'audit.outcome': 'failure',
  },
});

await provider.shutdown(); // flushes what is queued
