/**
 * Paced emission and the measurements every contender child takes: CPU (user + system) of this
 * process, wall time, peak RSS, and the CPU the workload generator itself costs (measured apart, on the
 * same records, and subtracted, since the records are generated lazily inside the measured loop).
 */
import { setImmediate as immediate, setTimeout as sleep } from 'node:timers/promises';
import type { Pipeline } from './pipelines.js';
import type { WorkloadRecord } from '../workload.js';

/** Records emitted between two yields to the event loop: an app emitting in bursts. */
const CHUNK = 100;

/**
 * Emits `count` records as fast as the pipeline takes them without its queue dropping any: never more
 * than `pipeline.window` records emitted and not yet settled. Then flushes and waits for every ack.
 */
export async function drive(
  pipeline: Pipeline,
  count: number,
  emitOne: (index: number) => void,
  timeoutMillis = 300_000,
): Promise<void> {
  const base = pipeline.settled();
  const settled = (): number => pipeline.settled() - base;
  const deadline = performance.now() + timeoutMillis;
  let index = 0;
  while (index < count) {
    const allowed = Math.min(count, settled() + pipeline.window);
    if (index >= allowed) {
      if (performance.now() > deadline)
        throw new Error(`no ack for ${timeoutMillis} ms after ${index} records`);
      await nextSettle(pipeline);
      continue;
    }
    const end = Math.min(allowed, index + CHUNK);
    while (index < end) emitOne(index++);
    await immediate();
  }
  await pipeline.forceFlush();
  while (settled() < count) {
    if (performance.now() > deadline) throw new Error(`only ${settled()} of ${count} records acked in time`);
    await nextSettle(pipeline);
  }
}

/** The next finished export, or a second, whichever comes first (so the deadline is still checked). */
async function nextSettle(pipeline: Pipeline): Promise<void> {
  const ac = new AbortController();
  await Promise.race([
    pipeline.nextSettle(),
    sleep(1000, undefined, { signal: ac.signal }).catch(() => undefined),
  ]);
  ac.abort();
}

export interface CpuWall {
  cpuMicros: number;
  wallMillis: number;
}

/** CPU and wall time of `work`. */
export async function measure(work: () => Promise<void> | void): Promise<CpuWall> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMillis = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMicros: used.user + used.system, wallMillis };
}

let sink = 0;
/** What generating `count` records costs on its own, to subtract from the measured loop. */
export function generationCost(count: number, record: (index: number) => WorkloadRecord): CpuWall {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let index = 0; index < count; index++) sink += Object.keys(record(index).attributes).length;
  const wallMillis = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuMicros: used.user + used.system, wallMillis };
}

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function sinkValue(): number {
  return sink;
}
