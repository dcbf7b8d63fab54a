/**
 * A small in-process probe of the processor's fixed cost per record: 200-byte sweep records emitted
 * faster than the quota through the real SDK, this library's processor and exporter, and a plug-in
 * that accepts every event at once, so only the process's own work is measured (CPU per record, the
 * young-generation GC's pauses, peak RSS). Run: `node --expose-gc --import tsx bench/entry-probe.ts`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter } from '../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../src/cloudtrail-lake-log-record-processor.js';
import { WORKLOAD_RESOURCE_ATTRIBUTES, WORKLOAD_SCOPE, sweepRecord } from './workload.js';

const RECORDS = Number(process.env['PROBE_RECORDS'] ?? 30_000);
const EVENT_BYTES = Number(process.env['PROBE_BYTES'] ?? 200);
/** Below the default queue (10,000), so nothing is dropped while the rate limit paces the sends. */
const WINDOW = 9_000;

const exporter = new CloudTrailLakeLogExporter(
  {
    channelArn: 'arn:aws:cloudtrail:us-east-1:111122223333:channel/probe',
    putAuditEvents: (input) =>
      Promise.resolve({
        successful: input.auditEvents.map((event) => ({ id: event.id, eventID: event.id })),
        failed: [],
      }),
  },
  {},
);
const processor = new CloudTrailLakeLogRecordProcessor({ exporter }, {});
const provider = new LoggerProvider({
  resource: resourceFromAttributes(WORKLOAD_RESOURCE_ATTRIBUTES),
  processors: [processor],
});
const logger = provider.getLogger(WORKLOAD_SCOPE.name, WORKLOAD_SCOPE.version);
const records = Array.from({ length: 1_000 }, (_, index) => sweepRecord(index, EVENT_BYTES));

let gcMillis = 0;
let scavenges = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMillis += entry.duration;
    if ((entry as { detail?: { kind?: number } }).detail?.kind === 1) scavenges += 1;
  }
});
observer.observe({ entryTypes: ['gc'] });

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
// Heap per waiting record, measured once half way (one full GC, outside the per-record figures' point).
let heldBytes: number | undefined;
let heldRecords = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
let emitted = 0;
while (emitted < RECORDS) {
  while (emitted < RECORDS && processor.pendingRecords < WINDOW) {
    const record = records[emitted % records.length]!;
    logger.emit({
      timestamp: record.timeMillis,
      severityText: record.severityText,
      body: record.body,
      attributes: record.attributes as never,
    });
    emitted += 1;
  }
  if (heldBytes === undefined && emitted >= RECORDS / 2) {
    global.gc?.();
    heldBytes = process.memoryUsage().heapUsed - heapBefore;
    heldRecords = processor.pendingRecords;
    if (process.env['PROBE_SNAPSHOT'] !== undefined) writeHeapSnapshot(process.env['PROBE_SNAPSHOT']);
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await provider.forceFlush();
const cpu = process.cpuUsage(cpuBefore);
const wallMillis = performance.now() - started;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
await provider.shutdown();
observer.disconnect();
const stats = exporter.stats;
const perRecord = (micros: number): string => (micros / RECORDS).toFixed(1);
process.stdout.write(
  `${RECORDS} records of ${EVENT_BYTES} B in ${wallMillis.toFixed(0)} ms: ` +
    `CPU ${perRecord(cpu.user + cpu.system)} µs/record, GC ${perRecord(gcMillis * 1000)} µs/record ` +
    `(${scavenges} scavenges), peak RSS ${(peakRss / 2 ** 20).toFixed(1)} MiB, ` +
    `heap ${((heldBytes ?? 0) / Math.max(1, heldRecords)).toFixed(0)} B per waiting record (${heldRecords}), ` +
    `exported ${stats.exported}, lost ${stats.rejected + stats.failed + stats.dropped}\n`,
);
