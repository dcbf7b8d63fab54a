/**
 * Benchmark of the spool: what durability costs the application. For the in-memory spool and the file
 * spool under each fsync policy it measures
 * - emit(): the time one `logger.emit()` takes through LoggerProvider -> CloudTrailLakeLogRecordProcessor
 *   (p50 / p99), the cost the application's thread pays, and
 * - events/s end to end: emit N records, then flush them through the exporter to a `putAuditEvents`
 *   plug-in that accepts at once (no network, so the spool, not the service, is what is measured;
 *   the client-side rate limit of 100 requests/s still caps it at 10,000 events/s), and
 * - appends/s of the spool alone (append + ack in batches of 100, no processor).
 * Run: `npx tsx bench/spool.ts`; `runSpoolBench()` returns the markdown for `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { CloudTrailLakeLogExporter } from '../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../src/cloudtrail-lake-log-record-processor.js';
import type { AuditLogRecord } from '../src/mapping/audit-log-record.js';
import { createFileSpool, type SpoolFsyncPolicy } from '../src/spool/file-spool.js';
import { createMemorySpool } from '../src/spool/memory-spool.js';
import type { Spool } from '../src/spool/spool.js';

export interface SpoolBenchOptions {
  /** Scale counts down for a quick run. @default false */
  quick?: boolean;
  /** Records per variant (a tenth of it for `fsync: 'always'`). @default 20,000 (2,000 when quick) */
  records?: number;
}

type Variant = { label: string; fsync: SpoolFsyncPolicy | undefined };

const VARIANTS: readonly Variant[] = [
  { label: 'memory (default)', fsync: undefined },
  { label: "file, fsync 'never'", fsync: 'never' },
  { label: "file, fsync 'interval' (200 ms)", fsync: 'interval' },
  { label: "file, fsync 'always'", fsync: 'always' },
];

interface Row {
  label: string;
  records: number;
  emitP50Micros: number;
  emitP99Micros: number;
  eventsPerSecond: number;
  appendsPerSecond: number;
}

function attributes(n: number): Record<string, string | number> {
  return {
    'audit.user_identity.type': 'User',
    'audit.user_identity.principal_id': `user-${n % 1000}`,
    'audit.event_name': 'UpdateRecord',
    'audit.event_source': 'bench.example.com',
    'audit.source_ip_address': '203.0.113.7',
    'audit.request_parameters': JSON.stringify({
      recordId: n,
      fields: ['name', 'email'],
      note: 'x'.repeat(400),
    }),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function openSpool(variant: Variant, directory: string): Spool {
  return variant.fsync === undefined
    ? createMemorySpool()
    : createFileSpool({ directory, fsync: variant.fsync });
}

async function measurePipeline(
  variant: Variant,
  records: number,
  directory: string,
): Promise<Omit<Row, 'appendsPerSecond'>> {
  const exporter = new CloudTrailLakeLogExporter(
    {
      channelArn: 'arn:aws:cloudtrail:us-east-1:123456789012:channel/bench',
      maxRequestsPerSecond: 100,
      putAuditEvents: (input) =>
        Promise.resolve({
          successful: input.auditEvents.map((e) => ({ id: e.id, eventID: e.id })),
          failed: [],
        }),
    },
    {},
  );
  const processor = new CloudTrailLakeLogRecordProcessor(
    { exporter, spool: openSpool(variant, directory), maxQueueSize: records + 1 },
    {},
  );
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    processors: [processor],
  });
  const logger = provider.getLogger('bench');
  const costs = new Float64Array(records);
  const started = performance.now();
  for (let n = 0; n < records; n++) {
    const before = performance.now();
    logger.emit({ eventName: 'record.updated', attributes: attributes(n) });
    costs[n] = (performance.now() - before) * 1000;
    // Let exports run between bursts, as they would in an application serving requests.
    if (n % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  await processor.forceFlush();
  const seconds = (performance.now() - started) / 1000;
  const exported = exporter.stats.exported;
  await provider.shutdown();
  if (exported !== records) throw new Error(`${variant.label}: exported ${exported} of ${records}`);
  const sorted = [...costs].sort((a, b) => a - b);
  return {
    label: variant.label,
    records,
    emitP50Micros: percentile(sorted, 50),
    emitP99Micros: percentile(sorted, 99),
    eventsPerSecond: records / seconds,
  };
}

async function measureAppends(
  variant: Variant,
  records: number,
  directory: string,
  sample: AuditLogRecord,
): Promise<number> {
  const spool = openSpool(variant, directory);
  const started = performance.now();
  const batch: string[] = [];
  for (let n = 0; n < records; n++) {
    const id = `bench-${n}`;
    spool.append(id, sample);
    batch.push(id);
    if (batch.length === 100) spool.ack(batch.splice(0));
  }
  spool.ack(batch);
  const seconds = (performance.now() - started) / 1000;
  await spool.close();
  return records / seconds;
}

/** A record with the shape the processor hands to the spool. */
function sampleRecord(): AuditLogRecord {
  return {
    hrTime: [1_795_000_000, 0],
    hrTimeObserved: [1_795_000_000, 0],
    attributes: { ...attributes(1), 'audit.id': 'bench-id' },
    resource: { attributes: { 'service.name': 'bench' } },
    instrumentationScope: { name: 'bench' },
    eventName: 'record.updated',
  };
}

const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';

/** Runs every variant and returns a markdown section. */
export async function runSpoolBench(options: SpoolBenchOptions = {}): Promise<string> {
  const records = options.records ?? (options.quick === true ? 2_000 : 20_000);
  const rows: Row[] = [];
  for (const variant of VARIANTS) {
    const count = variant.fsync === 'always' ? Math.max(100, Math.floor(records / 10)) : records;
    const directory = mkdtempSync(join(tmpdir(), 'ctl-spool-bench-'));
    try {
      const pipeline = await measurePipeline(variant, count, join(directory, 'pipeline'));
      const appendsPerSecond = await measureAppends(
        variant,
        count,
        join(directory, 'appends'),
        sampleRecord(),
      );
      rows.push({ ...pipeline, appendsPerSecond });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  return [
    '## Spool: what durability costs emit()',
    '',
    `Each ~0.7 kB audit record through LoggerProvider -> processor -> exporter -> an instant \`putAuditEvents\` plug-in (100 requests/s cap = 10,000 events/s). Temp dir: ${tmpdir()}.`,
    '',
    '| spool | records | emit() p50 (µs) | emit() p99 (µs) | events/s end to end | spool appends/s (alone) |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.label} | ${fmt(row.records)} | ${fmt(row.emitP50Micros, 1)} | ${fmt(row.emitP99Micros, 1)} | ${fmt(row.eventsPerSecond)} | ${fmt(row.appendsPerSecond)} |`,
    ),
    '',
    "'never' and 'interval' survive a process crash (the write is in the OS before emit() returns); only 'always' also survives a power loss, at one disk flush per record.",
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(await runSpoolBench({ quick: process.env['BENCH_QUICK'] === '1' }));
}
