/**
 * The bridge bench's /healthz scenario: DEFAULTS.bridgeMaxConcurrentRequests maximal requests (at the
 * default limits) sent at once, /healthz asked in turn by a prober process of its own while the bridge
 * decodes and admits them, the bridge's own event-loop delay, and the bridge process's peak RSS.
 * `maximalLoad` runs in the bench's child process, the rest in the bridge's.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { scanJsonLogsRequest } from '../src/bridge/scan-json-logs.js';
import { scanProtobufLogsRequest } from '../src/bridge/scan-protobuf-logs.js';
import { DEFAULTS } from '../src/defaults.js';
import type { ProberReply } from './healthz-prober.js';

/** What the bench asks the child for this scenario. */
export interface MaximalMessage {
  encoding: 'protobuf' | 'json';
  url: string;
  concurrency: number;
}

/** The default decode limits, which a maximal request fills. */
const DEFAULT_LIMITS = {
  maxRecordsPerRequest: DEFAULTS.bridgeMaxRecordsPerRequest,
  maxAttributesPerRecord: DEFAULTS.bridgeMaxAttributesPerRecord,
  maxAnyValueDepth: DEFAULTS.bridgeMaxAnyValueDepth,
  maxDecodedBytes: DEFAULTS.bridgeMaxDecodedBytes,
};

/** /healthz answers within this under eight concurrent maximal requests (milliseconds). */
export const HEALTHZ_TARGET_MILLIS = 100;

/**
 * A maximal request: maxRecordsPerRequest audit records with as many string attributes as keep the
 * decoded size within maxDecodedBytes, as the bridge's own scan counts it.
 */
function maximalBody(encoding: 'protobuf' | 'json'): Uint8Array {
  const within = (body: Uint8Array): boolean => {
    try {
      if (encoding === 'protobuf') scanProtobufLogsRequest(body, DEFAULT_LIMITS);
      else scanJsonLogsRequest(body, DEFAULT_LIMITS);
      return true;
    } catch {
      return false;
    }
  };
  let best: Uint8Array | undefined;
  for (let extra = 0; extra < DEFAULT_LIMITS.maxAttributesPerRecord; extra++) {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const logger = provider.getLogger('shop-audit', '1.0.0');
    for (let i = 0; i < DEFAULT_LIMITS.maxRecordsPerRequest; i++) {
      const attributes: Record<string, string> = { 'audit.event_name': 'order.refund' };
      for (let a = 0; a < extra; a++) attributes[`shop.attribute.${a}`] = `value-${i}-${a}`;
      logger.emit({ body: 'order refunded', attributes });
    }
    const serializer = encoding === 'protobuf' ? ProtobufLogsSerializer : JsonLogsSerializer;
    const body = serializer.serializeRequest(exporter.getFinishedLogRecords())!;
    if (!within(body) || body.length > DEFAULTS.bridgeMaxBodyBytes) break;
    best = body;
  }
  return best!;
}

/** In the child: sends `concurrency` maximal requests at once and waits for their answers. */
export async function maximalLoad(message: MaximalMessage): Promise<object> {
  const body = maximalBody(message.encoding);
  const contentType = message.encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
  const statuses = await Promise.all(
    Array.from({ length: message.concurrency }, async () => {
      const response = await fetch(message.url, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  return { type: 'maximal-done', statuses, bodyBytes: body.length };
}

export interface MaximalReply {
  statuses: number[];
  bodyBytes: number;
}

/**
 * Runs the scenario from the bridge's process: the prober in a process of its own (`healthz-prober.ts`),
 * the load from `child`, and this process's own event-loop delay (the bridge's) measured beside them.
 */
export async function measureUnderMaximalLoad(
  sendLoad: () => Promise<MaximalReply>,
  healthUrl: string,
): Promise<HealthMeasurement> {
  const prober = fork(fileURLToPath(new URL('./healthz-prober.ts', import.meta.url)), [healthUrl], {
    execArgv: ['--import', 'tsx'],
  });
  try {
    await once(prober, 'message');
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const reply = await sendLoad();
    loopDelay.disable();
    const probed = once(prober, 'message');
    prober.send({ type: 'stop' });
    const [{ latencies }] = (await probed) as [ProberReply];
    return { ...reply, latencies, loopDelayMaxMillis: loopDelay.max / 1e6 };
  } finally {
    prober.kill();
  }
}

export interface HealthMeasurement extends MaximalReply {
  /** Each /healthz answer's latency as the prober saw it (milliseconds). */
  latencies: number[];
  /** The longest the bridge's event loop was held (milliseconds, at a 5 ms resolution). */
  loopDelayMaxMillis: number;
}

/** The slowest /healthz answer of the scenario (milliseconds). */
export function slowestAnswer(reply: HealthMeasurement): number {
  return reply.latencies.length === 0 ? Number.NaN : Math.max(...reply.latencies);
}

export function healthRow(encoding: string, reply: HealthMeasurement, rssBeforeMiB: number): string {
  const sorted = [...reply.latencies].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? Number.NaN;
  const max = sorted[sorted.length - 1] ?? Number.NaN;
  const statuses = [...new Set(reply.statuses)]
    .sort()
    .map((status) => `${reply.statuses.filter((s) => s === status).length}× ${status}`)
    .join(', ');
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  return `| ${encoding} | ${(reply.bodyBytes / 1024 / 1024).toFixed(1)} MiB | ${statuses} | ${p50.toFixed(1)} ms | ${p99.toFixed(1)} ms | ${max.toFixed(1)} ms | ${sorted.length} | ${reply.loopDelayMaxMillis.toFixed(1)} ms | ${peakMiB.toFixed(0)} MiB (${rssBeforeMiB.toFixed(0)}) | ${loadavg()[0]!.toFixed(2)} | ${max <= HEALTHZ_TARGET_MILLIS ? 'PASS' : 'FAIL'} |`;
}
