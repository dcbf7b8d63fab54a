/**
 * One member of the fleet benchmark: an application process with the processor adapter and the
 * exporter at their defaults (each alone would take the whole quota), offering `FLEET_RATE` small audit
 * events per second for `FLEET_SECONDS`, then shutting down with a long deadline so that what the
 * throttling held back is delivered. Prints one JSON line: what it emitted and its exporter counters.
 * Started by bench/fleet.ts, which it tells `ready` on stdout and waits for `go` on stdin; ids are
 * `m<member>x<n>` so the parent can tell members apart in the Lake.
 */
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from '../src/index.js';

const member = Number(process.env['FLEET_MEMBER']);
const ratePerSecond = Number(process.env['FLEET_RATE']);
const seconds = Number(process.env['FLEET_SECONDS']);
const TICK_MILLIS = 20;

const exporter = new CloudTrailLakeLogExporter({
  endpoint: process.env['FLEET_ENDPOINT'] ?? '',
  channelArn: process.env['FLEET_CHANNEL'] ?? '',
  // Room to drain the backlog at shutdown on a loaded machine: this measures sharing the quota, not
  // the shutdown deadline (which has its own tests).
  timeoutMillis: 120_000,
});
const processor = new CloudTrailLakeLogRecordProcessor({
  exporter,
  // Room for the backlog that builds while the member offers more than its share.
  maxQueueSize: Math.ceil(ratePerSecond * seconds),
});
const provider = new LoggerProvider({ processors: [processor] });
const logger = provider.getLogger('fleet');

// Loaded and set up: wait for the parent's go, so that every member starts emitting at once.
process.stdout.write('ready\n');
await new Promise<void>((resolve) =>
  process.stdin.once('data', () => {
    process.stdin.destroy();
    resolve();
  }),
);

let emitted = 0;
const started = performance.now();
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const due = Math.min(
      Math.floor(((performance.now() - started) / 1000) * ratePerSecond),
      Math.floor(seconds * ratePerSecond),
    );
    for (; emitted < due; emitted += 1) {
      logger.emit({
        body: 'fleet event',
        attributes: {
          'audit.id': `m${member}x${emitted}`,
          'audit.event_source': 'fleet.example.com',
          'audit.event_name': 'FleetEvent',
          'audit.user_identity.type': 'Service',
          'audit.user_identity.principal_id': `member-${member}`,
        },
      });
    }
    if (emitted >= seconds * ratePerSecond) {
      clearInterval(timer);
      resolve();
    }
  }, TICK_MILLIS);
});
await provider.shutdown();
process.stdout.write(`${JSON.stringify({ member, emitted, ledger: processor.stats.ledger })}\n`);
