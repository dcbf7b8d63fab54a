/**
 * The two SDK pipelines of the side-by-side benchmark, built the way an application would build them:
 * a LoggerProvider with (1) this library's processor adapter and exporter, or (2) the OTLP/HTTP JSON
 * exporter behind the sdk's BatchLogRecordProcessor. Both keep their default batching and queue sizes.
 * `settled()` counts records whose export has finished (acked or given up): the ack the pacing waits for.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type LogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { CloudTrailLakeLogExporter } from '../../src/cloudtrail-lake-log-exporter.js';
import { CloudTrailLakeLogRecordProcessor } from '../../src/cloudtrail-lake-log-record-processor.js';
import { DEFAULTS } from '../../src/defaults.js';
import type { PutAuditEventsFunction } from '../../src/transport/transport.js';
import { BENCH_CREDENTIALS } from '../server-process.js';
import { WORKLOAD_RESOURCE_ATTRIBUTES, WORKLOAD_SCOPE, type WorkloadRecord } from '../workload.js';

export type ContenderName = 'ours' | 'otlp';

/**
 * The size sweep's contenders: the two pipelines, and this exporter with a `putAuditEvents` client that
 * answers at once. That one does all of this exporter's work but the request's (no SigV4 signature, no
 * HTTP exchange, no response to parse), so the difference to `ours` is what the requests cost.
 */
export type SweepContenderName = ContenderName | 'ours-instant-client';

export interface Pipeline {
  emit(record: WorkloadRecord): void;
  /** Records whose export finished (accepted, rejected or failed), since the pipeline was built. */
  settled(): number;
  /**
   * Resolves when the next export finishes, so the pacing waits for an ack instead of polling: on these
   * 2-core VMs every 1 ms timer wake-up costs about 0.15 ms of CPU, which polling charged to whichever
   * contender waits longest (this exporter waits on its 100 requests/s rate limit).
   */
  nextSettle(): Promise<void>;
  /** Records that failed or were rejected or dropped: anything but zero makes the run invalid. */
  lost(): number;
  /** The most records that may be emitted and not yet settled without the queue dropping any. */
  readonly window: number;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  /** Counters of the pipeline's exporter, for the report. */
  details(): Record<string, number>;
}

export interface Endpoints {
  emulatorUrl: string;
  channelArn: string;
  sinkUrl: string;
}

/** Lets a measurement wrap the pipeline's processor (the emit-cost job times `onEmit` alone). */
export type WrapProcessor = (processor: LogRecordProcessor) => LogRecordProcessor;

function provider(processor: LogRecordProcessor, wrapProcessor: WrapProcessor | undefined): LoggerProvider {
  return new LoggerProvider({
    resource: resourceFromAttributes(WORKLOAD_RESOURCE_ATTRIBUTES),
    processors: [wrapProcessor === undefined ? processor : wrapProcessor(processor)],
  });
}

/** Wakes whoever waits for the next finished export. */
function settleSignal(): { next(): Promise<void>; fire(): void } {
  let waiting: Array<() => void> = [];
  return {
    next: () => new Promise<void>((resolve) => waiting.push(resolve)),
    fire() {
      const woken = waiting;
      waiting = [];
      for (const wake of woken) wake();
    },
  };
}

function wrap(provider: LoggerProvider, rest: Omit<Pipeline, 'emit' | 'forceFlush' | 'shutdown'>): Pipeline {
  const logger = provider.getLogger(WORKLOAD_SCOPE.name, WORKLOAD_SCOPE.version);
  return {
    ...rest,
    emit(record) {
      logger.emit({
        timestamp: record.timeMillis,
        severityText: record.severityText,
        body: record.body,
        attributes: record.attributes as never,
      });
    },
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** A client that accepts every event at once, with no request on the wire. */
const instantClient: PutAuditEventsFunction = (input) =>
  Promise.resolve({ successful: input.auditEvents.map((event) => ({ id: event.id, eventID: event.id })) });

/**
 * This library: CloudTrailLakeLogRecordProcessor + CloudTrailLakeLogExporter with their defaults;
 * `instant` swaps the HTTP client for {@link instantClient}.
 */
export function ourPipeline(endpoints: Endpoints, wrapProcessor?: WrapProcessor, instant = false): Pipeline {
  const exporter = new CloudTrailLakeLogExporter(
    instant
      ? { channelArn: endpoints.channelArn, putAuditEvents: instantClient }
      : { endpoint: endpoints.emulatorUrl, channelArn: endpoints.channelArn, credentials: BENCH_CREDENTIALS },
    {},
  );
  // Counts results only: one callback per send (100 records), as the OTLP side's counting wrapper does.
  const signal = settleSignal();
  const { pipeline } = exporter;
  const send = pipeline.send.bind(pipeline);
  pipeline.send = (entries, options) => {
    const task = send(entries, options);
    void task.then(() => queueMicrotask(() => signal.fire()));
    return task;
  };
  const processor = new CloudTrailLakeLogRecordProcessor({ exporter }, {});
  const lost = (): number => {
    const stats = exporter.stats;
    return stats.rejected + stats.failed + stats.dropped;
  };
  return wrap(provider(processor, wrapProcessor), {
    settled: () => exporter.stats.exported + lost(),
    nextSettle: () => signal.next(),
    lost,
    window: DEFAULTS.maxQueueSize,
    // The totals only: the per-channel breakdown is not a number.
    details: () =>
      Object.fromEntries(Object.entries(exporter.stats).filter(([, value]) => typeof value === 'number')),
  });
}

/** BatchLogRecordProcessor's default `maxQueueSize` (sdk-logs 0.223 and 3.x). */
const SDK_BLRP_MAX_QUEUE_SIZE = 2048;

/** The peer: OTLPLogExporter (HTTP/JSON) behind the sdk's BatchLogRecordProcessor, both with defaults. */
export function otlpPipeline(endpoints: Endpoints, wrapProcessor?: WrapProcessor): Pipeline {
  const otlp = new OTLPLogExporter({ url: endpoints.sinkUrl });
  let acked = 0;
  let failed = 0;
  let requests = 0;
  const signal = settleSignal();
  // Counts results only; it adds one closure per export, not per record.
  const counting: LogRecordExporter = {
    export(logs, resultCallback) {
      requests += 1;
      otlp.export(logs, (result) => {
        if (result.code === ExportResultCode.SUCCESS) acked += logs.length;
        else failed += logs.length;
        resultCallback(result);
        signal.fire();
      });
    },
    forceFlush: () => otlp.forceFlush(),
    shutdown: () => otlp.shutdown(),
  };
  return wrap(provider(new BatchLogRecordProcessor({ exporter: counting }), wrapProcessor), {
    settled: () => acked + failed,
    nextSettle: () => signal.next(),
    lost: () => failed,
    window: SDK_BLRP_MAX_QUEUE_SIZE,
    details: () => ({ exported: acked, failed, exports: requests }),
  });
}

export function pipelineFor(
  name: SweepContenderName,
  endpoints: Endpoints,
  wrapProcessor?: WrapProcessor,
): Pipeline {
  if (name === 'otlp') return otlpPipeline(endpoints, wrapProcessor);
  return ourPipeline(endpoints, wrapProcessor, name === 'ours-instant-client');
}
