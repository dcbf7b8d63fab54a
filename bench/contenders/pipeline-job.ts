/**
 * Contenders 1 and 2 end to end (this exporter into the emulator, the OTLP exporter into the sink),
 * on the main workload or on the size sweep. Runs inside a contender child process.
 */
import { fromParent, toParent } from '../bench-child.js';
import { SIZE_SWEEP, sweepRecord, workloadRecord, WORKLOAD_SEED, type SweepSize } from '../workload.js';
import { collectGarbage, drive, generationCost, measure, peakRssBytes } from './drive.js';
import { pipelineFor, type ContenderName, type Endpoints } from './pipelines.js';

export interface PipelineJob {
  kind: 'pipeline';
  contender: ContenderName;
  records: number;
  warmupRecords: number;
  endpoints: Endpoints;
}

export interface PipelineResult {
  records: number;
  cpuMicros: number;
  generationCpuMicros: number;
  wallMillis: number;
  generationWallMillis: number;
  peakRssBytes: number;
  rssAtStartBytes: number;
  lost: number;
  details: Record<string, number>;
}

export async function runPipelineJob(job: PipelineJob): Promise<PipelineResult> {
  const pipeline = pipelineFor(job.contender, job.endpoints);
  // Warm-up records come from another seed so the measured ones stay the workload's.
  await drive(pipeline, job.warmupRecords, (i) => pipeline.emit(workloadRecord(i, WORKLOAD_SEED + 1)));
  const lostBefore = pipeline.lost();
  const generation = generationCost(job.records, (i) => workloadRecord(i));
  collectGarbage();
  toParent({ type: 'warmed' });
  await fromParent('go');
  const rssAtStartBytes = process.memoryUsage().rss;
  const run = await measure(() => drive(pipeline, job.records, (i) => pipeline.emit(workloadRecord(i))));
  const result: PipelineResult = {
    records: job.records,
    cpuMicros: run.cpuMicros,
    generationCpuMicros: generation.cpuMicros,
    wallMillis: run.wallMillis,
    generationWallMillis: generation.wallMillis,
    peakRssBytes: peakRssBytes(),
    rssAtStartBytes,
    lost: pipeline.lost() - lostBefore,
    details: pipeline.details(),
  };
  await pipeline.shutdown();
  return result;
}

export interface SweepJob {
  kind: 'sweep';
  contender: ContenderName;
  sizes?: readonly SweepSize[];
  endpoints: Endpoints;
}

export interface SweepRow {
  label: string;
  records: number;
  cpuMicros: number;
  generationCpuMicros: number;
  wallMillis: number;
  lost: number;
}

export async function runSweepJob(job: SweepJob): Promise<SweepRow[]> {
  const pipeline = pipelineFor(job.contender, job.endpoints);
  const rows: SweepRow[] = [];
  for (const size of job.sizes ?? SIZE_SWEEP) {
    const record = (i: number) => sweepRecord(i, size.eventDataBytes);
    const warm = Math.max(20, Math.floor(size.records / 5));
    await drive(pipeline, warm, (i) => pipeline.emit(sweepRecord(i, size.eventDataBytes, WORKLOAD_SEED + 1)));
    const lostBefore = pipeline.lost();
    const generation = generationCost(size.records, record);
    collectGarbage();
    const run = await measure(() => drive(pipeline, size.records, (i) => pipeline.emit(record(i))));
    rows.push({
      label: size.label,
      records: size.records,
      cpuMicros: run.cpuMicros,
      generationCpuMicros: generation.cpuMicros,
      wallMillis: run.wallMillis,
      lost: pipeline.lost() - lostBefore,
    });
  }
  await pipeline.shutdown();
  return rows;
}
