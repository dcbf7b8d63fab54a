/**
 * Markdown of the side-by-side benchmark: the contenders' figures (median of the runs, with their
 * spread), the ratios against the peer and the floor with PASS/FAIL beside each target, the end-to-end
 * figures, the size sweep and the profile of this exporter.
 */
import { DEFAULTS } from '../src/defaults.js';
import { formatAreaComparison, formatProfileSummary, type ProfileSummary } from './cpu-profile.js';
import { failureNotes } from './failure-notes.js';
import { sweepSection } from './sweep-section.js';
import type { PipelineResult } from './contenders/pipeline-job.js';
import type { RunOutcome, SideBySideResults } from './side-by-side.js';
import { fmt, fmtSpread, mib, passFail, spreadOf, type Spread } from './summary-stats.js';

/** One line of the targets table; run.ts adds the rows of the other benchmarks. */
export interface TargetRow {
  target: string;
  measured: string;
  pass: boolean | undefined;
  /** The 1-minute load average when the figure was taken (run.ts stamps it as each section ends). */
  load?: number;
}

export interface ContenderFigures {
  cpuMicrosPerRecord: Spread;
  wallSeconds: Spread;
  recordsPerSecond: Spread;
  requests: Spread;
  wireBytesPerRecord: Spread;
  bodyBytes: Spread;
  peakRssMib: Spread;
  serverCpuMicrosPerRecord: Spread;
  lost: number;
}

function figures(
  runs: ReadonlyArray<RunOutcome<PipelineResult>>,
  server: 'emulator' | 'sink',
): ContenderFigures {
  const of = (f: (run: RunOutcome<PipelineResult>) => number) => spreadOf(runs.map(f));
  const wall = (r: RunOutcome<PipelineResult>) =>
    (r.result.wallMillis - r.result.generationWallMillis) / 1000;
  return {
    cpuMicrosPerRecord: of((r) => (r.result.cpuMicros - r.result.generationCpuMicros) / r.result.records),
    wallSeconds: of(wall),
    recordsPerSecond: of((r) => r.result.records / wall(r)),
    requests: of((r) => (server === 'emulator' ? r.server!.emulator.requests : r.server!.sink.requests)),
    wireBytesPerRecord: of(
      (r) =>
        (server === 'emulator' ? r.server!.emulatorWire.sentBytes : r.server!.sinkWire.sentBytes) /
        r.result.records,
    ),
    bodyBytes: of((r) => (server === 'emulator' ? r.server!.emulator.bodyBytes : r.server!.sink.bodyBytes)),
    peakRssMib: of((r) => mib(r.result.peakRssBytes)),
    serverCpuMicrosPerRecord: of((r) => r.server!.cpuMicros / r.result.records),
    lost: runs.reduce((sum, r) => sum + r.result.lost, 0),
  };
}

/** CPU per record against the OTLP exporter's at each size of the sweep, net of generating the records. */
function sweepTargets(results: SideBySideResults): TargetRow[] {
  const { sizes, ours, otlp } = results.sweep;
  const net = (r: { cpuMicros: number; generationCpuMicros: number; records: number }): number =>
    (r.cpuMicros - r.generationCpuMicros) / r.records;
  return sizes.map((size, i) => {
    const [a, b] = [ours[i], otlp[i]];
    const ratio = a === undefined || b === undefined ? Number.NaN : net(a) / net(b);
    return {
      target: `CPU per record ≤ 1.0x the OTLP exporter at ${size.label} (size sweep)`,
      measured:
        a === undefined || b === undefined
          ? 'n/a'
          : `${ratio.toFixed(2)}x (${fmt(net(a), 1)} vs ${fmt(net(b), 1)} µs)`,
      pass: Number.isFinite(ratio) ? ratio <= 1 : undefined,
    };
  });
}

export function formatSideBySide(results: SideBySideResults): {
  markdown: string;
  targets: TargetRow[];
  oursRecordsPerSecond: number;
} {
  const o = results.options;
  const ours = figures(results.main.ours, 'emulator');
  const otlp = figures(results.main.otlp, 'sink');
  const naive = figures(results.naive, 'emulator');
  const floorCpu = spreadOf(results.floor.map((f) => f.cpuMicros / f.records));
  const floorRate = spreadOf(results.floor.map((f) => f.records / (f.wallMillis / 1000)));
  const meanBytes = results.floor[0]?.meanEventDataBytes ?? Number.NaN;
  const n = o.records;

  const row = (name: string, f: ContenderFigures, requests: string, note = '') =>
    `| ${name} | ${fmtSpread(f.cpuMicrosPerRecord, 1)} | ${fmtSpread(f.wallSeconds, 2)} | ${fmtSpread(f.recordsPerSecond)} | ${requests} | ${fmtSpread(f.wireBytesPerRecord)} | ${fmtSpread(f.peakRssMib)} | ${fmtSpread(f.serverCpuMicrosPerRecord, 1)} |${note}`;
  const naivePerRecordSeconds = naive.wallSeconds.median / o.naiveRecords;

  const cpuRatio = ours.cpuMicrosPerRecord.median / otlp.cpuMicrosPerRecord.median;
  const e2eRatio = ours.recordsPerSecond.median / floorRate.median;
  const cpuRate = 1e6 / ours.cpuMicrosPerRecord.median;
  const bytes = ours.bodyBytes.median;
  const minRequests = Math.max(
    Math.ceil(n / DEFAULTS.maxEventsPerRequest),
    Math.ceil(bytes / DEFAULTS.maxRequestBytes),
  );
  const requestExcess = ours.requests.median / minRequests - 1;
  const fewerThanNaive = n / ours.requests.median;
  const oursSmall = figures(results.small.ours, 'emulator');
  const rssGrowth = ours.peakRssMib.median / oursSmall.peakRssMib.median - 1;
  const rssRatio = ours.peakRssMib.median / otlp.peakRssMib.median;
  const latency = figures([results.latency], 'emulator');
  const emitIndex = results.emitCost.findIndex((r) => r.label === 'emit(), CloudTrailLakeLogRecordProcessor');
  const emitOurs = results.emitCost[emitIndex];
  const onEmitOurs = results.emitCost[emitIndex + 1];
  const emitSdk = results.emitCost.find((r) => r.label.startsWith('emit(), SDK alone'));
  const stall = results.stall;
  const [s0, s1, s2] = [stall[0], stall[1], stall[stall.length - 1]];
  const stallBounded =
    s0 && s1 && s2
      ? s2.heapUsedBytes - s1.heapUsedBytes <= 0.25 * (s1.heapUsedBytes - s0.heapUsedBytes)
      : undefined;

  const targets: TargetRow[] = [
    {
      target: 'CPU per record ≤ 1.0x the OTLP exporter',
      measured: `${cpuRatio.toFixed(2)}x (${fmt(ours.cpuMicrosPerRecord.median, 1)} vs ${fmt(otlp.cpuMicrosPerRecord.median, 1)} µs)`,
      pass: cpuRatio <= 1,
    },
    {
      target: 'End-to-end throughput ≥ 0.5x the floor',
      measured: `${e2eRatio.toFixed(2)}x (${fmt(ours.recordsPerSecond.median)} vs ${fmt(floorRate.median)} records/s; CPU-bound capacity ${fmt(cpuRate)} records/s = ${(cpuRate / floorRate.median).toFixed(2)}x)`,
      pass: e2eRatio >= 0.5,
    },
    {
      target: 'Requests within 1% of max(ceil(n/100), ceil(bytes/maxRequestBytes))',
      measured: `${fmt(ours.requests.median)} vs ${fmt(minRequests)} (${(requestExcess * 100).toFixed(2)}% over)`,
      pass: requestExcess <= 0.01,
    },
    {
      target: '≥ 50x fewer requests than the naive client',
      measured: `${fewerThanNaive.toFixed(0)}x (${fmt(n)} vs ${fmt(ours.requests.median)})`,
      pass: fewerThanNaive >= 50,
    },
    {
      target: `Peak RSS bounded by the queue, not the record count (${fmt(n)} vs ${fmt(o.smallRecords)} records: ≤ +20%)`,
      measured: `${fmt(ours.peakRssMib.median)} vs ${fmt(oursSmall.peakRssMib.median)} MiB (${(rssGrowth * 100).toFixed(0)}%)`,
      pass: rssGrowth <= 0.2,
    },
    {
      target: 'end-to-end ≥ 5,000 events/s, no added latency',
      measured: `${fmt(ours.recordsPerSecond.median)} events/s`,
      pass: ours.recordsPerSecond.median >= 5000,
    },
    {
      target: `end-to-end ≥ 5,000 events/s, ${o.latencyMillis} ms emulator latency`,
      measured: `${fmt(latency.recordsPerSecond.median)} events/s`,
      pass: latency.recordsPerSecond.median >= 5000,
    },
    {
      target: 'One process end to end into the emulator ≥ 9,500 events/s (the quota allows 10,000)',
      measured: `${fmt(ours.recordsPerSecond.median)} events/s`,
      pass: ours.recordsPerSecond.median >= 9500,
    },
    {
      target: "Peak RSS with the default queue ≤ 1.2x the OTLP exporter's, same workload",
      measured: `${rssRatio.toFixed(2)}x (${fmt(ours.peakRssMib.median)} vs ${fmt(otlp.peakRssMib.median)} MiB)`,
      pass: rssRatio <= 1.2,
    },
    ...sweepTargets(results),
    {
      target: 'emit() p99 ≤ 5 µs with the processor',
      measured: emitOurs
        ? `${fmt(emitOurs.p99Nanos / 1000, 2)} µs (the processor's onEmit alone ${fmt((onEmitOurs?.p99Nanos ?? Number.NaN) / 1000, 2)} µs; emit() with a no-op processor ${fmt((emitSdk?.p99Nanos ?? Number.NaN) / 1000, 2)} µs)`
        : 'n/a',
      pass: emitOurs ? emitOurs.p99Nanos <= 5000 : undefined,
    },
    {
      target: 'heap bounded while the endpoint is stalled',
      measured:
        s0 && s1 && s2
          ? `+${fmt(mib(s1.heapUsedBytes - s0.heapUsedBytes))} MiB after ${fmt(s1.emitted)}, +${fmt(mib(s2.heapUsedBytes - s1.heapUsedBytes))} MiB more after ${fmt(s2.emitted)}`
          : 'n/a',
      pass: stallBounded,
    },
  ];

  const lines = [
    '## Side by side: this exporter, the OTLP exporter, a naive client, the floor',
    '',
    `Workload: ${fmt(n)} generated audit records (seeded; mean eventData ${fmt(meanBytes)} bytes; 1 in 20 carries 10-50 kB of request parameters), the same records for every contender. ` +
      `Median of ${o.repeats} runs; ± is half the range across runs; **noisy** marks a spread above 20%. ` +
      `Every contender runs in its own process (so CPU and peak RSS are its own); the emulator and the OTLP sink run in another, behind a counting TCP proxy. ` +
      `The app emits as fast as the pipeline takes records without its queue dropping any (at most maxQueueSize records not yet acked). ` +
      `CPU is user + system of the exporting process from the first emit() to the last ack, minus what generating the records costs (measured apart); wall time likewise.`,
    '',
    '| contender | CPU µs / record | wall s | records/s | requests | wire bytes / record | peak RSS MiB | server process CPU µs / record (emulator or sink, and the proxy) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('1. this exporter (processor adapter, defaults) → emulator', ours, fmtSpread(ours.requests)),
    row(
      '2. OTLPLogExporter HTTP/JSON + BatchLogRecordProcessor (defaults) → sink',
      otlp,
      fmtSpread(otlp.requests),
    ),
    row(
      `3. naive: 1 signed PutAuditEvents per record, sequential (${fmt(o.naiveRecords)} records)`,
      naive,
      fmt(o.naiveRecords),
    ),
    `| 4. floor: JSON.stringify + SHA-256, no I/O | ${fmtSpread(floorCpu, 1)} | ${fmtSpread(spreadOf(results.floor.map((f) => f.wallMillis / 1000)), 2)} | ${fmtSpread(floorRate)} | 0 | 0 | | |`,
    '',
    `Naive client extrapolated to ${fmt(n)} records: ${fmt(naivePerRecordSeconds * n)} s and ${fmt(n)} requests ` +
      `(${fmt(naivePerRecordSeconds * 1e6)} µs per record; against the real service its 100 requests/s quota would cap it at 100 records/s: ${fmt(n / 100)} s).`,
    `Lost records (rejected, failed or dropped; must be 0): this exporter ${ours.lost}, OTLP ${otlp.lost}, naive ${naive.lost}.`,
    `This exporter is rate-limited to ${DEFAULTS.maxRequestsPerSecond} requests/s (the service quota), i.e. at most ${fmt(DEFAULTS.maxRequestsPerSecond * DEFAULTS.maxEventsPerRequest)} records/s end to end; the emulator's own CPU per record is in the last column.`,
    '',
    '### Ratios and targets',
    '',
    '| contender | CPU / record vs OTLP | CPU / record vs floor | records/s vs floor | requests vs this exporter | wire bytes vs this exporter |',
    '|---|---:|---:|---:|---:|---:|',
    ...(
      [
        ['this exporter', ours, ours.requests.median],
        ['OTLP exporter', otlp, otlp.requests.median],
        ['naive client', naive, (n / o.naiveRecords) * naive.requests.median],
      ] as const
    ).map(
      ([name, f, requests]) =>
        `| ${name} | ${(f.cpuMicrosPerRecord.median / otlp.cpuMicrosPerRecord.median).toFixed(2)}x | ${(f.cpuMicrosPerRecord.median / floorCpu.median).toFixed(1)}x | ${(f.recordsPerSecond.median / floorRate.median).toFixed(2)}x | ${(requests / ours.requests.median).toFixed(2)}x | ${(f.wireBytesPerRecord.median / ours.wireBytesPerRecord.median).toFixed(2)}x |`,
    ),
    '',
    '| target | measured | result |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${passFail(t.pass)} |`),
    '',
    '### Peak RSS against the record count',
    '',
    `| contender | peak RSS MiB, ${fmt(o.smallRecords)} records | peak RSS MiB, ${fmt(n)} records | peak V8 heap MiB, ${fmt(o.smallRecords)} | peak V8 heap MiB, ${fmt(n)} | RSS at start of the measured run, MiB |`,
    '|---|---:|---:|---:|---:|---:|',
    ...(
      [
        [`this exporter (maxQueueSize ${fmt(DEFAULTS.maxQueueSize)})`, 'ours'],
        ['OTLP (maxQueueSize 2,048)', 'otlp'],
      ] as const
    ).map(([label, name]) => {
      const heap = (runs: ReadonlyArray<RunOutcome<PipelineResult>>) =>
        fmtSpread(spreadOf(runs.map((r) => mib(r.result.peakHeapTotalBytes ?? Number.NaN))));
      const small = results.small[name];
      const main = results.main[name];
      return `| ${label} | ${fmtSpread(spreadOf(small.map((r) => mib(r.result.peakRssBytes))))} | ${fmtSpread(spreadOf(main.map((r) => mib(r.result.peakRssBytes))))} | ${heap(small)} | ${heap(main)} | ${fmt(mib(main[0]?.result.rssAtStartBytes ?? Number.NaN))} |`;
    }),
    '',
    'Peak V8 heap is heapTotal sampled every 100 ms: the heap V8 reserved, live records and garbage not yet collected alike. The stalled-endpoint table below shows the live heap after a full GC.',
    '',
    ...failureNotes({
      results,
      targets,
      ours,
      otlp,
      floorCpu,
      floorRate,
      latencyRate: latency.recordsPerSecond.median,
    }),
    ...endToEndFigures(results, latency.recordsPerSecond.median),
    ...sweepSection(results),
    '### Where the time goes in this exporter',
    '',
    ...profileSection(results),
    '',
  ];
  return { markdown: lines.join('\n'), targets, oursRecordsPerSecond: ours.recordsPerSecond.median };
}

function endToEndFigures(results: SideBySideResults, latencyRate: number): string[] {
  const o = results.options;
  return [
    '### Latency, emit() cost, stalled endpoint',
    '',
    `End to end (logger.emit to ack) with ${o.latencyMillis} ms added to every emulator answer: ${fmt(latencyRate)} events/s over ${fmt(o.latencyRecords)} records.`,
    '',
    `emit() on the application thread, ${fmt(o.emitCostRecords)} timed calls each (ns; records generated before each call), and the processor's own onEmit() timed inside the same calls:`,
    '',
    '| pipeline | p50 | p99 | p99.9 | max | mean |',
    '|---|---:|---:|---:|---:|---:|',
    ...results.emitCost.map(
      (r) =>
        `| ${r.label} | ${fmt(r.p50Nanos)} | ${fmt(r.p99Nanos)} | ${fmt(r.p999Nanos)} | ${fmt(r.maxNanos)} | ${fmt(r.meanNanos)} |`,
    ),
    '',
    'The batch processors start an export when the queue reaches a batch, on a microtask right after the emit() that filled it: that work runs on the application thread too, but outside the timed call.',
    '',
    `Stalled endpoint (every emulator answer held for 10 minutes), the app keeps emitting; heap after a full GC:`,
    '',
    '| records emitted | heap used MiB | RSS MiB | dropped (counted) |',
    '|---:|---:|---:|---:|',
    ...results.stall.map(
      (p) =>
        `| ${fmt(p.emitted)} | ${fmt(mib(p.heapUsedBytes), 1)} | ${fmt(mib(p.rssBytes))} | ${fmt(p.dropped)} |`,
    ),
    '',
    'Bounded means: after the queue is full, emitting the rest adds at most a quarter of what filling the queue added.',
    '',
  ];
}

/** An intro, both exporters' areas side by side, then this exporter's functions. */
function comparedProfiles(
  intro: string,
  ours: ProfileSummary,
  otlp: ProfileSummary,
  records: number,
  detail: string,
): string[] {
  return [
    intro,
    '',
    formatAreaComparison([
      { label: 'this exporter', summary: ours, records },
      { label: 'OTLP exporter', summary: otlp, records },
    ]),
    detail,
    '',
    formatProfileSummary(ours),
  ];
}

function profileSection(results: SideBySideResults): string[] {
  const { ours, otlp } = results.profiles;
  const records = results.options.profileRecords;
  if (ours === undefined || otlp === undefined) return [`No profile: ${results.profileError ?? 'not run'}.`];
  return [
    ...comparedProfiles(
      `V8 CPU profiles (the sampling profiler of \`node --cpu-prof\`, started through the inspector around the measured run only, so module loading and warm-up are left out) of one child per exporter on ${fmt(records)} records of the workload; the workload generator is included here. By area, against the OTLP exporter:`,
      ours,
      otlp,
      records,
      'This exporter in detail:',
    ),
    ...smallProfileSection(results),
  ];
}

/** Why the smallest records cost more than the OTLP exporter's: the same areas at the sweep's smallest size. */
function smallProfileSection(results: SideBySideResults): string[] {
  const { ours, otlp } = results.smallProfiles;
  const size = results.sweep.sizes[0];
  if (ours === undefined || otlp === undefined || size === undefined) return [];
  // The sweep's profile covers its warm-up (a fifth of the records) as well as the measured run.
  const records = size.records + Math.max(20, Math.floor(size.records / 5));
  return [
    '',
    ...comparedProfiles(
      `At ${size.label} events (the size sweep's smallest, ${fmt(records)} records with the warm-up), by area, where the fixed cost per record shows. This exporter packs at most 100 events a request (the API's limit) and signs each request (SigV4, its body hashed); the OTLP exporter packs 512:`,
      ours,
      otlp,
      records,
      'This exporter in detail, at this size:',
    ),
  ];
}
