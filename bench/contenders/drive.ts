/**
 * Paced emission and the measurements every contender child takes: CPU (user + system) of this
 * process, wall time, peak RSS, and the CPU the workload generator itself costs (measured apart, on the
 * same records, and subtracted, since the records are generated lazily inside the measured loop).
 */
import { readFileSync } from 'node:fs';
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
  /**
   * The part of `cpuMicros` spent on the main (JavaScript) thread; the rest ran on V8's helper threads
   * (parallel and concurrent garbage collection, compilation) and libuv's pool. Undefined where the
   * operating system does not say (Linux only, in ticks of 10 ms).
   */
  mainThreadCpuMicros?: number;
  wallMillis: number;
}

/** USER_HZ: Linux reports a thread's CPU time in ticks of 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time of the calling (main) thread so far, in microseconds, from /proc/thread-self/stat
 * (`utime` and `stime`, fields 14 and 15 of proc(5)); undefined elsewhere. Node 20 has no
 * `process.threadCpuUsage()`, and the sampling profiler sees the main thread alone, so this is how the
 * report tells GC helper threads' work apart.
 */
export function mainThreadCpuMicros(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    // Fields after the command name (which may hold spaces), starting at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU and wall time of `work`. */
export async function measure(work: () => Promise<void> | void): Promise<CpuWall> {
  const cpu = process.cpuUsage();
  const mainBefore = mainThreadCpuMicros();
  const start = performance.now();
  await work();
  const wallMillis = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const mainAfter = mainThreadCpuMicros();
  return {
    cpuMicros: used.user + used.system,
    ...(mainBefore === undefined || mainAfter === undefined
      ? {}
      : { mainThreadCpuMicros: mainAfter - mainBefore }),
    wallMillis,
  };
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
