/**
 * Benchmark of the OTLP/HTTP bridge: audit records per second from OTLP clients through the bridge
 * into the emulator (protobuf and JSON), and the CPU the bridge spends per record beside the CPU of
 * the in-process path (LoggerProvider + CloudTrailLakeLogRecordProcessor + exporter); the bridge feeds
 * the same processor, so the difference is the HTTP receiving, decoding and redaction. The emulator and
 * the OTLP load generator run in a child process, so this process's CPU is the bridge's (or the
 * in-process exporter's) alone. Throughput is capped by the exporter's maxRequestsPerSecond (at most
 * the service quota, 100 requests of 100 events: 10,000 events/s per bridge).
 * A second table sends DEFAULTS.bridgeMaxConcurrentRequests maximal requests (default limits) at once,
 * per encoding, and reports /healthz latency while they are decoded and the process's peak RSS.
 * Run: `npx tsx bench/bridge.ts`; `runBridgeBench()` returns the markdown.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startBridge } from '../src/bridge/index.js';
import {
  healthRow,
  HEALTHZ_TARGET_MILLIS,
  maximalLoad,
  measureUnderMaximalLoad,
  slowestAnswer,
  type MaximalReply,
} from './bridge-healthz.js';
import { DEFAULTS } from '../src/defaults.js';
import type { TargetRow } from './side-by-side-report.js';
import { CloudTrailLakeLogExporter } from '../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../src/cloudtrail-lake-log-record-processor.js';
import { startEmulator } from '../src/emulator/index.js';
import { RedactingLogRecordProcessor } from '../src/processors/redacting-log-record-processor.js';

export interface BridgeBenchOptions {
  /** Audit records per measured run. @default 10000 */
  records?: number;
  /** Records per OTLP request, as a client's BatchLogRecordProcessor would send. @default 512 */
  recordsPerRequest?: number;
  /** OTLP requests in flight at once from the load generator. @default 4 */
  concurrency?: number;
}

interface RunResult {
  label: string;
  recordsPerSecond: number;
  cpuMicrosPerRecord: number;
}

const CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret-not-real' };

/** An audit record's attributes of about 1 kB of eventData, shared by the client and the in-process path. */
export function attributesFor(i: number): Record<string, unknown> {
  return {
    'audit.event_name': 'order.refund',
    'audit.user_identity.principal_id': `customer-${i}`,
    'audit.recipient_account_id': '123456789012',
    'audit.request_parameters': {
      orderId: `o-${i}`,
      items: [1, 2, 3].map((n) => ({ sku: `SKU-${i}-${n}`, qty: n, price: 12.5 + n })),
      password: 'hidden-by-the-redactor',
    },
    'audit.response_elements': { status: 'refunded', refundId: `r-${i}` },
    'client.address': '203.0.113.7',
    'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) Shop/1.0',
  };
}

const CHILD_FLAG = '--bridge-bench-child';

/** Serialises `total` audit records into OTLP request bodies with the SDK's own serialisers. */
function otlpBodies(encoding: 'protobuf' | 'json', total: number, perRequest: number): Uint8Array[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'audit.user_identity.type': 'Customer' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('shop-audit', '1.0.0');
  for (let i = 0; i < total; i++)
    logger.emit({ body: 'order refunded', attributes: attributesFor(i) as never });
  const records = exporter.getFinishedLogRecords();
  const serializer = encoding === 'protobuf' ? ProtobufLogsSerializer : JsonLogsSerializer;
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < records.length; i += perRequest) {
    bodies.push(serializer.serializeRequest(records.slice(i, i + perRequest))!);
  }
  return bodies;
}

/** What the parent asks the child over IPC. */
interface ChildMessage {
  type: 'prepare' | 'load' | 'stats' | 'close' | 'maximal';
  encoding: 'protobuf' | 'json';
  total: number;
  perRequest: number;
  url: string;
  concurrency: number;
}

/** The child process: the emulator plus an OTLP load generator, driven over IPC. */
async function runChild(): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  const send = (message: object): void => void process.send!(message);
  let prepared: Uint8Array[] = [];
  process.on('message', (message: ChildMessage) => {
    void (async () => {
      if (message.type === 'prepare') {
        prepared = otlpBodies(message.encoding, message.total, message.perRequest);
        send({ type: 'prepared' });
      } else if (message.type === 'load') {
        const contentType = message.encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < prepared.length) {
            const body = prepared[next++]!;
            for (;;) {
              const response = await fetch(message.url, {
                method: 'POST',
                body,
                headers: { 'content-type': contentType },
              });
              await response.arrayBuffer();
              if (response.status !== 429 && response.status !== 503) break;
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
        };
        await Promise.all(Array.from({ length: message.concurrency }, worker));
        send({ type: 'loaded' });
      } else if (message.type === 'maximal') {
        send(await maximalLoad(message));
      } else if (message.type === 'stats') {
        send({ type: 'stats', accepted: emulator.stats.acceptedEvents });
      } else if (message.type === 'close') {
        await emulator.close();
        process.exit(0);
      }
    })();
  });
  send({ type: 'ready', url: emulator.url, channelArn: emulator.channelArn });
}

function request<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string }): void => {
      if (m.type !== reply) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function waitAccepted(child: ChildProcess, target: number): Promise<void> {
  for (;;) {
    const { accepted } = await request<{ accepted: number }>(child, { type: 'stats' }, 'stats');
    if (accepted >= target) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measure(label: string, records: number, run: () => Promise<void>): Promise<RunResult> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    label,
    recordsPerSecond: records / seconds,
    cpuMicrosPerRecord: (used.user + used.system) / records,
  };
}

/** The bridge's CPU per record at most this multiple of the in-process exporter's. */
export const BRIDGE_CPU_TARGET_RATIO = 1.2;

/** Runs the measurements and returns a markdown section and the targets it measured. */
export async function runBridgeBench(
  options: BridgeBenchOptions = {},
): Promise<{ markdown: string; targets: TargetRow[] }> {
  const total = options.records ?? 10_000;
  const perRequest = options.recordsPerRequest ?? 512;
  const concurrency = options.concurrency ?? 4;
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], {
    execArgv: ['--import', 'tsx'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  const results: RunResult[] = [];
  const healthRows: string[] = [];
  const targets: TargetRow[] = [];
  try {
    const { url, channelArn } = await new Promise<{ url: string; channelArn: string }>((resolve) =>
      child.once('message', (m) => resolve(m as { url: string; channelArn: string })),
    );
    const exporterOptions = { endpoint: url, channelArn, credentials: CREDENTIALS };
    // First, so the process's peak RSS is that of this scenario: the bridge with its default limits.
    const rssBeforeMiB = process.resourceUsage().maxRSS / 1024;
    for (const encoding of ['protobuf', 'json'] as const) {
      const bridge = await startBridge({ port: 0, exporterOptions }, {});
      const healthUrl = new URL('/healthz', bridge.logsUrl).href;
      const concurrency = DEFAULTS.bridgeMaxConcurrentRequests;
      const reply = await measureUnderMaximalLoad(
        () =>
          request<MaximalReply>(
            child,
            { type: 'maximal', encoding, url: bridge.logsUrl, concurrency },
            'maximal-done',
          ),
        healthUrl,
      );
      healthRows.push(healthRow(encoding, reply, rssBeforeMiB));
      const slowest = slowestAnswer(reply);
      targets.push({
        target: `Bridge: /healthz within ${HEALTHZ_TARGET_MILLIS} ms under ${concurrency} concurrent maximal requests (OTLP ${encoding})`,
        measured: `slowest ${slowest.toFixed(1)} ms (event loop held at most ${reply.loopDelayMaxMillis.toFixed(1)} ms)`,
        pass: slowest <= HEALTHZ_TARGET_MILLIS,
      });
      await bridge.close();
    }
    let expected = 0;
    // The first pass warms up the JIT, the schema and the connections and is not reported.
    for (const [encoding, measured] of [
      ['protobuf', false],
      ['json', false],
      ['protobuf', true],
      ['json', true],
    ] as const) {
      const count = measured ? total : Math.ceil(total / 5);
      const bridge = await startBridge(
        { port: 0, maxQueueSize: total, exporterOptions, batch: { scheduledDelayMillis: 50 } },
        {},
      );
      await request(child, { type: 'prepare', encoding, total: count, perRequest }, 'prepared');
      expected += count;
      const result = await measure(`bridge, OTLP ${encoding}`, count, async () => {
        await request(child, { type: 'load', encoding, url: bridge.logsUrl, concurrency }, 'loaded');
        await waitAccepted(child, expected);
      });
      if (measured) results.push(result);
      await bridge.close();
    }
    const processor = new CloudTrailLakeLogRecordProcessor(
      {
        exporter: new CloudTrailLakeLogExporter(exporterOptions, {}),
        maxQueueSize: total,
        scheduledDelayMillis: 50,
      },
      {},
    );
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'shop', 'audit.user_identity.type': 'Customer' }),
      processors: [new RedactingLogRecordProcessor(), processor],
    });
    const logger = provider.getLogger('shop-audit', '1.0.0');
    expected += total;
    results.push(
      await measure('in-process exporter (redacting processor, no bridge)', total, async () => {
        for (let i = 0; i < total; i++)
          logger.emit({ body: 'order refunded', attributes: attributesFor(i) as never });
        await provider.forceFlush();
        await waitAccepted(child, expected);
      }),
    );
    await provider.shutdown();
  } finally {
    child.send({ type: 'close' });
    await new Promise((resolve) => child.once('exit', resolve));
  }
  const baseline = results[results.length - 1]!.cpuMicrosPerRecord;
  for (const r of results.slice(0, -1)) {
    const ratio = r.cpuMicrosPerRecord / baseline;
    targets.push({
      target: `Bridge CPU per record ≤ ${BRIDGE_CPU_TARGET_RATIO}x the in-process exporter (${r.label.replace('bridge, ', '')})`,
      measured: `${ratio.toFixed(2)}x (${r.cpuMicrosPerRecord.toFixed(1)} vs ${baseline.toFixed(1)} µs)`,
      pass: ratio <= BRIDGE_CPU_TARGET_RATIO,
    });
  }
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${Math.round(r.recordsPerSecond).toLocaleString('en-US')} | ${r.cpuMicrosPerRecord.toFixed(1)} | ${(r.cpuMicrosPerRecord / baseline).toFixed(2)}x |`,
  );
  const markdown = [
    '## OTLP/HTTP bridge',
    '',
    `${total.toLocaleString('en-US')} audit records (~1 kB eventData, redaction on) per run, ${perRequest} per OTLP request, ${concurrency} requests in flight.`,
    'CPU is this process only: the emulator and the OTLP clients run in a child process. Throughput is capped by the',
    "exporter's rate limit (100 PutAuditEvents requests/s of 100 events).",
    '',
    '| path | records/s into the emulator | CPU µs per record | CPU vs in-process |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
    `### /healthz under ${DEFAULTS.bridgeMaxConcurrentRequests} concurrent maximal requests`,
    '',
    `Each request at the default limits: ${DEFAULTS.bridgeMaxRecordsPerRequest.toLocaleString('en-US')} audit records with as many`,
    `attributes as fit in maxDecodedBytes (${DEFAULTS.bridgeMaxDecodedBytes / 1024 / 1024} MiB decoded), sent by the process that hosts the emulator.`,
    'A prober in a process of its own asks /healthz in turn (a request, its answer, 10 ms) while they are decoded; target: every',
    `answer within ${HEALTHZ_TARGET_MILLIS} ms. Loop delay is the longest the bridge's event loop was held (5 ms resolution). RSS is this`,
    "process's peak (before: at the start).",
    '',
    '| encoding | body | responses | /healthz p50 | /healthz p99 | /healthz max | answers | loop delay max | peak RSS (before) | load average | result |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...healthRows,
    '',
  ].join('\n');
  return { markdown, targets };
}

if (process.argv.includes(CHILD_FLAG)) {
  await runChild();
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runBridgeBench(process.env['BENCH_QUICK'] === '1' ? { records: 2_000 } : {});
  // `npm run bench` runs this file in a process of its own and reads both parts as JSON.
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : result.markdown);
}
