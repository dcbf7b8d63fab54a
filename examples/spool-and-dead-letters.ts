// Nothing lost: a file spool keeps every accepted audit record on disk until CloudTrail Lake settled it
// (sent again after a crash, under the same id), and events rejected for good go to a dead-letter file
// that `otel-cloudtrail-lake send` can send again once fixed.
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from 'otel-cloudtrail-lake';

const spoolDirectory = process.env['AUDIT_SPOOL_DIRECTORY'] ?? '/var/lib/my-app/audit-spool';
const deadLetterPath = process.env['AUDIT_DEAD_LETTER_PATH'] ?? '/var/lib/my-app/audit-dead-letters.jsonl';

// #region dead-letters
const exporter = new CloudTrailLakeLogExporter({
  defaults: { userIdentityType: 'Customer', eventSource: 'shop.example.com' },
  deadLetter: { path: deadLetterPath },
  // or: deadLetter: { onDeadLetter(entries) { /* send to a queue, a bucket, a ticket */ } }
});
// #endregion dead-letters

// #region spool
const processor = new CloudTrailLakeLogRecordProcessor({
  exporter,
  spool: { directory: spoolDirectory, maxBytes: 256 * 1024 * 1024, fsync: 'interval' },
  shutdownOnSignals: true,
});
// #endregion spool

const provider = new LoggerProvider({ processors: [processor] });
const logger = provider.getLogger('shop');
logger.emit({ attributes: { 'audit.event_name': 'Checkout', 'user.id': 'alice' } });
// No principal: rejected for good (CTL_ERR_FIELD_MISSING) and written to the dead-letter file.
logger.emit({ attributes: { 'audit.event_name': 'Checkout', 'audit.uid': 'checkout-without-user' } });
await provider.shutdown();

console.log(processor.stats);
