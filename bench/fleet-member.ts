/**
 * One member of the fleet benchmark: an application process with the processor adapter and the
 * exporter at their defaults (each alone would take the whole quota), offering `FLEET_RATE` small audit
 * events per second for `FLEET_SECONDS`, then shutting down with a long deadline so that what the
 * throttling held back is delivered. Prints one JSON line: what it emitted and its exporter counters.
 * Started by bench/fleet.ts, which it tells `ready` on stdout and waits for `go` on stdin; ids are
 * `m<member>x<n>` so the parent can tell members apart in the Lake.
 *
 * Before `ready` each member warms its code (emit, the processor, mapping, packing, signing, HTTP) on
 * records of its own through a second pipeline into a second emulator without a quota, which also warms
 * the emulator's code, as the other sections warm up before they measure: cold, the ten members and the
 * emulator on this machine's two cores answered the first requests 1 to 8 seconds late, so the limiters
 * heard of the first throttles seconds after sending into them. The warm-up spends none of the quota.
 */
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter, CloudTrailLakeLogRecordProcessor } from '../src/index.js';

const member = Number(process.env['FLEET_MEMBER']);
const ratePerSecond = Number(process.env['FLEET_RATE']);
const seconds = Number(process.env['FLEET_SECONDS']);
const TICK_MILLIS = 20;

/** One fleet event: the same attributes whichever pipeline it goes to. */
function emitEvent(logger: ReturnType<LoggerProvider['getLogger']>, id: string): void {
  logger.emit({
    body: 'fleet event',
    attributes: {
      'audit.id': id,
      'audit.event_source': 'fleet.example.com',
      'audit.event_name': 'FleetEvent',
      'audit.user_identity.type': 'Service',
      'audit.user_identity.principal_id': `member-${member}`,
    },
  });
}

/** Records through a pipeline of their own into the warm-up emulator, in bursts as the app emits. */
async function warmUp(records: number): Promise<void> {
  const warmExporter = new CloudTrailLakeLogExporter({
    endpoint: process.env['FLEET_WARM_ENDPOINT'] ?? '',
    channelArn: process.env['FLEET_WARM_CHANNEL'] ?? '',
  });
  const warmProvider = new LoggerProvider({
    processors: [new CloudTrailLakeLogRecordProcessor({ exporter: warmExporter, maxQueueSize: records })],
  });
  const warmLogger = warmProvider.getLogger('fleet');
  for (let index = 0; index < records; index += 1) {
    emitEvent(warmLogger, `w${member}x${index}`);
    if (index % 100 === 99) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await warmProvider.shutdown();
}
await warmUp(Number(process.env['FLEET_WARM_RECORDS']));

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
    for (; emitted < due; emitted += 1) emitEvent(logger, `m${member}x${emitted}`);
    if (emitted >= seconds * ratePerSecond) {
      clearInterval(timer);
      resolve();
    }
  }, TICK_MILLIS);
});
await provider.shutdown();
process.stdout.write(`${JSON.stringify({ member, emitted, ledger: processor.stats.ledger })}\n`);
