/**
 * Contenders 1 and 2 end to end (this exporter into the emulator, the OTLP exporter into the sink),
 * on the main workload or on the size sweep. Runs inside a contender child process.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { getHeapStatistics } from 'node:v8';
import { fromParent, toParent } from '../bench-child.js';
import { SIZE_SWEEP, sweepRecord, workloadRecord, WORKLOAD_SEED, type SweepSize } from '../workload.js';
import { collectGarbage, drive, generationCost, measure, peakRssBytes } from './drive.js';
import { pipelineFor, type ContenderName, type Endpoints, type SweepContenderName } from './pipelines.js';

export interface PipelineJob {
  kind: 'pipeline';
  contender: ContenderName;
  records: number;
  warmupRecords: number;
  endpoints: Endpoints;
  /** When set, a V8 CPU profile of the measured part only is written to this file. */
  profileFile?: string;
}

export interface PipelineResult {
  records: number;
  cpuMicros: number;
  generationCpuMicros: number;
  wallMillis: number;
  generationWallMillis: number;
  peakRssBytes: number;
  rssAtStartBytes: number;
  /** The largest V8 heap (heapTotal) seen during the measured run, sampled every 100 ms. */
  peakHeapTotalBytes?: number;
  lost: number;
  details: Record<string, number>;
}

/**
 * The V8 sampling profiler that `node --cpu-prof` uses, started through the inspector so the profile
 * covers the measured run only, not module loading, warm-up or shutdown.
 */
async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
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
  const profiler = job.profileFile === undefined ? undefined : await startProfiler();
  let peakHeapTotalBytes = 0;
  // getHeapStatistics, not process.memoryUsage(): the latter reads /proc for RSS, a cost the profile shows.
  const sampler = setInterval(() => {
    peakHeapTotalBytes = Math.max(peakHeapTotalBytes, getHeapStatistics().total_heap_size);
  }, 100);
  const run = await measure(() => drive(pipeline, job.records, (i) => pipeline.emit(workloadRecord(i))));
  clearInterval(sampler);
  if (profiler !== undefined) await profiler.stop(job.profileFile!);
  const result: PipelineResult = {
    records: job.records,
    cpuMicros: run.cpuMicros,
    generationCpuMicros: generation.cpuMicros,
    wallMillis: run.wallMillis,
    generationWallMillis: generation.wallMillis,
    peakRssBytes: peakRssBytes(),
    rssAtStartBytes,
    peakHeapTotalBytes,
    lost: pipeline.lost() - lostBefore,
    details: pipeline.details(),
  };
  await pipeline.shutdown();
  return result;
}

export interface SweepJob {
  kind: 'sweep';
  contender: SweepContenderName;
  sizes?: readonly SweepSize[];
  endpoints: Endpoints;
  /** When set, a V8 CPU profile of the measured parts (warm-ups included) is written to this file. */
  profileFile?: string;
}

export interface SweepRow {
  label: string;
  records: number;
  cpuMicros: number;
  /** Of `cpuMicros`, what the main thread spent (see `measure`); undefined where unknown. */
  mainThreadCpuMicros?: number;
  generationCpuMicros: number;
  wallMillis: number;
  lost: number;
}

export async function runSweepJob(job: SweepJob): Promise<SweepRow[]> {
  const pipeline = pipelineFor(job.contender, job.endpoints);
  const rows: SweepRow[] = [];
  const profiler = job.profileFile === undefined ? undefined : await startProfiler();
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
      ...(run.mainThreadCpuMicros === undefined ? {} : { mainThreadCpuMicros: run.mainThreadCpuMicros }),
      generationCpuMicros: generation.cpuMicros,
      wallMillis: run.wallMillis,
      lost: pipeline.lost() - lostBefore,
    });
  }
  if (profiler !== undefined) await profiler.stop(job.profileFile!);
  await pipeline.shutdown();
  return rows;
}
