/**
 * This exporter side by side with the OTLP exporter, a naive per-event client and the
 * floor (serialise + hash only), on the same generated records, each contender in its own child process
 * and the servers in another. Also the end-to-end figures (end to end with emulator latency, emit() cost,
 * heap while stalled), a size sweep and a CPU profile of this exporter.
 * Run: `npx tsx bench/side-by-side.ts` (BENCH_QUICK=1 for small counts); `npm run bench` runs it with the rest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { forkBench, type BenchMessage } from './bench-child.js';
import type { ContenderJob } from './contender-process.js';
import type { EmitCostRow } from './contenders/emit-cost-job.js';
import type { FloorResult } from './contenders/floor-job.js';
import type { PipelineResult, SweepRow } from './contenders/pipeline-job.js';
import type { ContenderName, Endpoints } from './contenders/pipelines.js';
import type { StallPoint } from './contenders/stall-job.js';
import { summariseCpuProfile, type ProfileSummary } from './cpu-profile.js';
import type { ServerConfig, ServerStats } from './server-process.js';
import { formatSideBySide } from './side-by-side-report.js';
import { SIZE_SWEEP, type SweepSize } from './workload.js';

export interface SideBySideOptions {
  /** Records of the main runs. @default 100_000 */
  records: number;
  /** The second record count, to see whether peak RSS follows the record count. @default 25_000 */
  smallRecords: number;
  /** Records the naive client sends (then extrapolated per record). @default 2_000 */
  naiveRecords: number;
  /** Runs of each contender; the tables show the median and the spread. @default 3 */
  repeats: number;
  warmupRecords: number;
  /** Multiplies the record counts of the size sweep. @default 1 */
  sweepScale: number;
  /** Records of the end-to-end run with 50 ms of emulator latency. @default 20_000 */
  latencyRecords: number;
  latencyMillis: number;
  /** Timed emit() calls per processor. @default 20_000 */
  emitCostRecords: number;
  /** Cumulative records emitted while the endpoint is stalled, measured after each. */
  stallCheckpoints: number[];
  /** Records of the profiled run of this exporter. @default 30_000 */
  profileRecords: number;
}

export const FULL_OPTIONS: SideBySideOptions = {
  records: 100_000,
  smallRecords: 25_000,
  naiveRecords: 2_000,
  repeats: 3,
  warmupRecords: 2_000,
  sweepScale: 1,
  latencyRecords: 20_000,
  latencyMillis: 50,
  emitCostRecords: 20_000,
  stallCheckpoints: [20_000, 80_000],
  profileRecords: 30_000,
};

export const QUICK_OPTIONS: SideBySideOptions = {
  records: 5_000,
  smallRecords: 2_000,
  naiveRecords: 200,
  repeats: 2,
  warmupRecords: 500,
  sweepScale: 0.1,
  latencyRecords: 2_000,
  latencyMillis: 50,
  emitCostRecords: 5_000,
  stallCheckpoints: [12_000, 24_000],
  profileRecords: 3_000,
};

export interface RunOutcome<T> {
  result: T;
  server: ServerStats | undefined;
}

export interface SideBySideResults {
  options: SideBySideOptions;
  main: Record<ContenderName, Array<RunOutcome<PipelineResult>>>;
  small: Record<ContenderName, Array<RunOutcome<PipelineResult>>>;
  naive: Array<RunOutcome<PipelineResult>>;
  floor: FloorResult[];
  latency: RunOutcome<PipelineResult>;
  emitCost: EmitCostRow[];
  stall: StallPoint[];
  sweep: {
    sizes: SweepSize[];
    ours: SweepRow[];
    otlp: SweepRow[];
    floor: FloorResult[];
    /** This exporter with a client that answers at once, at the smallest size only. */
    instantClient: SweepRow[];
  };
  profiles: Partial<Record<ContenderName, ProfileSummary>>;
  /** The same at the sweep's smallest size, where the fixed cost per record shows. */
  smallProfiles: Partial<Record<ContenderName, ProfileSummary>>;
  profileError: string | undefined;
}

/** Runs one contender job against a fresh server process; returns its result and the server's counters. */
async function runJob<T>(
  job: ContenderJob | ((endpoints: Endpoints) => ContenderJob),
  server: ServerConfig | undefined,
  execArgv: readonly string[] = [],
): Promise<RunOutcome<T>> {
  const serverChild = server === undefined ? undefined : forkBench('server-process.ts', server);
  try {
    const endpoints =
      serverChild === undefined
        ? undefined
        : await serverChild.next<Endpoints & BenchMessage>('ready', 60_000);
    const resolved = typeof job === 'function' ? job(endpoints!) : job;
    const child = forkBench('contender-process.ts', resolved, execArgv);
    const handshake = resolved.kind === 'pipeline' || resolved.kind === 'naive';
    if (handshake) {
      await child.next('warmed', 300_000);
      await serverChild!.request({ type: 'reset' }, 'reset-done');
      child.send({ type: 'go' });
    }
    const { result } = await child.next<{ type: string; result: T }>('result', 600_000);
    const stats =
      serverChild === undefined
        ? undefined
        : await serverChild.request<ServerStats>({ type: 'stats' }, 'stats');
    await child.exited(resolved.kind === 'stall' ? 0 : 10_000);
    return { result, server: stats };
  } finally {
    serverChild?.send({ type: 'close' });
    await serverChild?.exited();
  }
}

function endpointsOf(ready: Endpoints): Endpoints {
  return { emulatorUrl: ready.emulatorUrl, channelArn: ready.channelArn, sinkUrl: ready.sinkUrl };
}

const progress = (line: string): void => void process.stderr.write(`[side-by-side] ${line}\n`);

export async function measureSideBySide(options: SideBySideOptions): Promise<SideBySideResults> {
  const o = options;
  const pipeline = (contender: ContenderName, records: number) => (ready: Endpoints) =>
    ({
      kind: 'pipeline',
      contender,
      records,
      warmupRecords: o.warmupRecords,
      endpoints: endpointsOf(ready),
    }) as const;
  const main: SideBySideResults['main'] = { ours: [], otlp: [] };
  const small: SideBySideResults['small'] = { ours: [], otlp: [] };
  const naive: SideBySideResults['naive'] = [];
  const floor: FloorResult[] = [];
  // Contenders take turns within each round, so machine noise falls on all of them alike.
  for (let round = 1; round <= o.repeats; round++) {
    for (const name of ['ours', 'otlp'] as const) {
      progress(`round ${round}: ${name}, ${o.records} records`);
      main[name].push(await runJob<PipelineResult>(pipeline(name, o.records), {}));
    }
    progress(`round ${round}: naive client, ${o.naiveRecords} records`);
    naive.push(
      await runJob<PipelineResult>(
        (ready) => ({
          kind: 'naive',
          records: o.naiveRecords,
          warmupRecords: Math.min(200, o.naiveRecords),
          endpoints: endpointsOf(ready),
        }),
        {},
      ),
    );
    progress(`round ${round}: floor`);
    floor.push((await runJob<FloorResult[]>({ kind: 'floor', records: o.records }, undefined)).result[0]!);
    for (const name of ['ours', 'otlp'] as const) {
      progress(`round ${round}: ${name}, ${o.smallRecords} records`);
      small[name].push(await runJob<PipelineResult>(pipeline(name, o.smallRecords), {}));
    }
  }

  progress(`ours with ${o.latencyMillis} ms emulator latency`);
  const latency = await runJob<PipelineResult>(pipeline('ours', o.latencyRecords), {
    faults: { latencyMillis: o.latencyMillis },
  });
  progress('emit() cost');
  const emitCost = (
    await runJob<EmitCostRow[]>(
      (ready) => ({
        kind: 'emit-cost',
        records: o.emitCostRecords,
        warmupRecords: o.warmupRecords,
        endpoints: endpointsOf(ready),
      }),
      {},
    )
  ).result;
  progress('stalled endpoint');
  const stall = (
    await runJob<StallPoint[]>(
      (ready) => ({ kind: 'stall', checkpoints: o.stallCheckpoints, endpoints: endpointsOf(ready) }),
      { faults: { latencyMillis: 600_000 } },
    )
  ).result;

  const sizes = SIZE_SWEEP.map((s) => ({
    ...s,
    records: Math.max(20, Math.round(s.records * o.sweepScale)),
  }));
  progress('size sweep');
  const sweep = {
    sizes,
    ours: (
      await runJob<SweepRow[]>(
        (ready) => ({ kind: 'sweep', contender: 'ours', sizes, endpoints: endpointsOf(ready) }),
        {},
      )
    ).result,
    otlp: (
      await runJob<SweepRow[]>(
        (ready) => ({ kind: 'sweep', contender: 'otlp', sizes, endpoints: endpointsOf(ready) }),
        {},
      )
    ).result,
    floor: (await runJob<FloorResult[]>({ kind: 'floor', records: 0, sweep: sizes }, undefined)).result,
    instantClient: (
      await runJob<SweepRow[]>(
        (ready) => ({
          kind: 'sweep',
          contender: 'ours-instant-client',
          sizes: [sizes[0]!],
          endpoints: endpointsOf(ready),
        }),
        {},
      )
    ).result,
  };

  progress('CPU profiles of this exporter and of the OTLP exporter');
  const profiles: Partial<Record<ContenderName, ProfileSummary>> = {};
  const smallProfiles: Partial<Record<ContenderName, ProfileSummary>> = {};
  let profileError: string | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'ctl-bench-prof-'));
  try {
    for (const name of ['ours', 'otlp'] as const) {
      const profileFile = join(dir, `${name}.cpuprofile`);
      await runJob<PipelineResult>(
        (ready) => ({ ...pipeline(name, o.profileRecords)(ready), profileFile }),
        {},
      );
      profiles[name] = await summariseCpuProfile(profileFile);
    }
    for (const name of ['ours', 'otlp'] as const) {
      const profileFile = join(dir, `${name}-smallest.cpuprofile`);
      await runJob<SweepRow[]>(
        (ready) => ({
          kind: 'sweep',
          contender: name,
          sizes: [sizes[0]!],
          endpoints: endpointsOf(ready),
          profileFile,
        }),
        {},
      );
      smallProfiles[name] = await summariseCpuProfile(profileFile);
    }
  } catch (error) {
    profileError = error instanceof Error ? error.message : String(error);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    options: o,
    main,
    small,
    naive,
    floor,
    latency,
    emitCost,
    stall,
    sweep,
    profiles,
    smallProfiles,
    profileError,
  };
}

/** Runs the side-by-side benchmark and returns its markdown section. */
export async function runSideBySideBench(options: Partial<SideBySideOptions> = {}): Promise<string> {
  const base = process.env['BENCH_QUICK'] === '1' ? QUICK_OPTIONS : FULL_OPTIONS;
  return formatSideBySide(await measureSideBySide({ ...base, ...options })).markdown;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runSideBySideBench());
}
