// Child process for the shutdownOnSignals test: queues audit records with a long scheduled delay, prints
// "ready", and idles until a signal arrives. Only the processor's signal handler can flush the records.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../../src/cloudtrail-lake-log-record-processor.js';

const count = Number(process.env['RECORDS'] ?? '10');
const exporter = new CloudTrailLakeLogExporter(
  {
    channelArn: process.env['CHANNEL_ARN'] ?? '',
    endpoint: process.env['EMULATOR_URL'] ?? '',
    credentials: { accessKeyId: 'AKIDSIGNALCHILD00001', secretAccessKey: 'child-secret' },
  },
  {},
);
const processor = new CloudTrailLakeLogRecordProcessor(
  { exporter, scheduledDelayMillis: 600_000, shutdownOnSignals: true },
  {},
);
const provider = new LoggerProvider({ processors: [processor] });
const logger = provider.getLogger('signal-child');
for (let i = 0; i < count; i++) {
  logger.emit({
    eventName: 'user.logout',
    attributes: {
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': `child-${i}`,
      'audit.event_source': 'signal-child',
    },
  });
}
setInterval(() => undefined, 1_000);
process.stdout.write('ready\n');
