/**
 * Memory while the endpoint is stalled (the emulator holds every answer for minutes) and the
 * application keeps emitting. The processor's queue should fill, then drop and count, so heap growth
 * stops at what the queue and the one export in flight hold, however many records follow.
 */
import { setImmediate as immediate } from 'node:timers/promises';
import { workloadRecord } from '../workload.js';
import { collectGarbage } from './drive.js';
import { pipelineFor, type Endpoints } from './pipelines.js';

export interface StallJob {
  kind: 'stall';
  /** Cumulative record counts at which heap is measured, e.g. [20000, 80000]. */
  checkpoints: number[];
  endpoints: Endpoints;
}

export interface StallPoint {
  emitted: number;
  heapUsedBytes: number;
  rssBytes: number;
  dropped: number;
}

export async function runStallJob(job: StallJob): Promise<StallPoint[]> {
  const pipeline = pipelineFor('ours', job.endpoints);
  const point = (emitted: number): StallPoint => {
    collectGarbage();
    const memory = process.memoryUsage();
    return {
      emitted,
      heapUsedBytes: memory.heapUsed,
      rssBytes: memory.rss,
      dropped: pipeline.details()['dropped'] ?? 0,
    };
  };
  const points = [point(0)];
  let index = 0;
  for (const checkpoint of job.checkpoints) {
    while (index < checkpoint) {
      const end = Math.min(checkpoint, index + 500);
      while (index < end) pipeline.emit(workloadRecord(index++));
      await immediate();
    }
    points.push(point(index));
  }
  // No shutdown: it would wait out the stalled requests. The parent ends this process.
  return points;
}
