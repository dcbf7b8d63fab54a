/**
 * What `logger.emit()` costs the application's thread, timed call by call, with the SDK alone
 * (a processor that does nothing), with the peer's BatchLogRecordProcessor, and with this library's
 * processor adapter. Records are generated before each timed call; pacing waits are not timed.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { workloadRecord, WORKLOAD_RESOURCE_ATTRIBUTES, WORKLOAD_SCOPE, WORKLOAD_SEED } from '../workload.js';
import { collectGarbage, drive } from './drive.js';
import { pipelineFor, type Endpoints, type Pipeline, type WrapProcessor } from './pipelines.js';

export interface EmitCostJob {
  kind: 'emit-cost';
  records: number;
  warmupRecords: number;
  endpoints: Endpoints;
}

export interface EmitCostRow {
  label: string;
  samples: number;
  p50Nanos: number;
  p99Nanos: number;
  p999Nanos: number;
  maxNanos: number;
  meanNanos: number;
}

/** The SDK alone: a processor that takes every record and does nothing with it. */
function sdkOnly(wrap: WrapProcessor): Pipeline {
  let emitted = 0;
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(WORKLOAD_RESOURCE_ATTRIBUTES),
    processors: [
      wrap({
        onEmit: () => void (emitted += 1),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      }),
    ],
  });
  const logger = provider.getLogger(WORKLOAD_SCOPE.name, WORKLOAD_SCOPE.version);
  return {
    emit: (record) =>
      logger.emit({
        timestamp: record.timeMillis,
        severityText: record.severityText,
        body: record.body,
        attributes: record.attributes as never,
      }),
    settled: () => emitted,
    // Every record settles as it is emitted: nothing to wait for.
    nextSettle: () => Promise.resolve(),
    lost: () => 0,
    window: Number.POSITIVE_INFINITY,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
    details: () => ({}),
  };
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function row(label: string, samples: Float64Array): EmitCostRow {
  const total = samples.reduce((a, b) => a + b, 0);
  const sorted = samples.slice().sort();
  return {
    label,
    samples: sorted.length,
    p50Nanos: percentile(sorted, 0.5),
    p99Nanos: percentile(sorted, 0.99),
    p999Nanos: percentile(sorted, 0.999),
    maxNanos: sorted[sorted.length - 1]!,
    meanNanos: total / sorted.length,
  };
}

/** Times every emit() and, when the pipeline has a processor of its own, every call of its onEmit. */
async function timeEmits(
  label: string,
  build: (wrap: WrapProcessor) => Pipeline,
  job: EmitCostJob,
): Promise<EmitCostRow[]> {
  const onEmitSamples = new Float64Array(job.records);
  let current = -1;
  const pipeline = build((inner) => ({
    onEmit(record, context) {
      if (current < 0) return inner.onEmit(record, context);
      const start = process.hrtime.bigint();
      inner.onEmit(record, context);
      onEmitSamples[current] = Number(process.hrtime.bigint() - start);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  }));
  await drive(pipeline, job.warmupRecords, (i) => pipeline.emit(workloadRecord(i, WORKLOAD_SEED + 1)));
  collectGarbage();
  const samples = new Float64Array(job.records);
  await drive(pipeline, job.records, (i) => {
    const record = workloadRecord(i);
    current = i;
    const start = process.hrtime.bigint();
    pipeline.emit(record);
    samples[i] = Number(process.hrtime.bigint() - start);
  });
  current = -1;
  await pipeline.shutdown();
  return [row(`emit(), ${label}`, samples), row(`its processor's onEmit() alone`, onEmitSamples)];
}

export async function runEmitCostJob(job: EmitCostJob): Promise<EmitCostRow[]> {
  // What two back-to-back clock reads cost: the floor under every sample.
  const clock = new Float64Array(10_000);
  for (let i = 0; i < clock.length; i++) {
    const start = process.hrtime.bigint();
    clock[i] = Number(process.hrtime.bigint() - start);
  }
  const rows: EmitCostRow[] = [row('clock read overhead (no emit)', clock)];
  rows.push(...(await timeEmits('SDK alone (no-op processor)', (wrap) => sdkOnly(wrap), job)));
  rows.push(
    ...(await timeEmits(
      'BatchLogRecordProcessor + OTLPLogExporter',
      (wrap) => pipelineFor('otlp', job.endpoints, wrap),
      job,
    )),
  );
  rows.push(
    ...(await timeEmits(
      'CloudTrailLakeLogRecordProcessor',
      (wrap) => pipelineFor('ours', job.endpoints, wrap),
      job,
    )),
  );
  return rows;
}
