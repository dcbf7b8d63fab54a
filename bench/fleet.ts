/**
 * A fleet under one quota: `members` exporter processes against one emulator that enforces the
 * account's PutAuditEvents request quota (a token bucket, ThrottlingException beyond it). Each member
 * offers more than its share and knows nothing of the others; the adaptive rate limiter in each has to
 * find the shared rate by itself, as the AWS SDKs' adaptive retry mode does. Measured over the window in
 * which every member is emitting and the fleet has reached the quota: goodput against the quota, each
 * member's share against the mean; over the whole run, start included: the share of throttled requests
 * and records lost.
 *
 * Goodput is counted honestly: the window opens only once the emulator has throttled (so the bucket the
 * quota banked while the fleet started up is spent), and the events counted in it are those the Lake
 * stored, by ingestion time. The bucket can still refill during a dip in the window and be spent after
 * it, so goodput can exceed 100% by at most `burst` requests over the window (about 7% at 100 requests
 * in a 15 s window); a figure above that would be a measuring error.
 * Runs alone with `npx tsx bench/fleet.ts`; `npm run bench` runs it as the `fleet` section.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator, type StoredEvent } from '../src/emulator/index.js';
import { PUT_AUDIT_EVENTS_MAX_EVENTS } from '../src/limits.js';
import { simulateFleet } from '../test/unit/transport/rate-limiter-fleet-simulation.js';
import type { TargetRow } from './side-by-side-report.js';
import { fmt } from './summary-stats.js';

export interface FleetOptions {
  members: number;
  /** How long each member emits, in seconds. */
  seconds: number;
  /** The emulator's request quota, in requests per second for the account. */
  quotaRequestsPerSecond: number;
  /** What each member offers, as a multiple of its fair share of the quota's events. */
  offeredShare: number;
  /** Seconds at the start of the window left out while the limiters find the rate. */
  warmupSeconds: number;
  /** Records each member sends to a second emulator without a quota before the start, to warm the code. */
  warmUpRecords: number;
}

export const FULL_FLEET: FleetOptions = {
  members: 10,
  seconds: 20,
  quotaRequestsPerSecond: 100,
  offeredShare: 1.3,
  warmupSeconds: 4,
  // Enough for V8 to optimise the per-record path (a few thousand calls of each function).
  warmUpRecords: 5_000,
};
export const QUICK_FLEET: FleetOptions = {
  members: 3,
  seconds: 4,
  quotaRequestsPerSecond: 10,
  offeredShare: 1.5,
  warmupSeconds: 1,
  warmUpRecords: 200,
};

interface MemberReport {
  member: number;
  emitted: number;
  /** The member's processor ledger: taken = accepted + rejected + dropped (by reason) + pending. */
  ledger: Record<string, unknown>;
}

export interface FleetResult {
  options: FleetOptions;
  emitted: number;
  /** Records each member emitted, by member. */
  emittedPerMember: number[];
  stored: number;
  /** Distinct ids the members emitted that the Lake does not hold. */
  lost: number;
  /** Ids stored more than once (at-least-once delivery). */
  duplicates: number;
  requests: number;
  throttled: number;
  /** Requests and throttled requests in the window alone, after the start-up. */
  windowRequests: number;
  windowThrottled: number;
  throttledBeforeWindow: number;
  /** Accepted events per second in the window, against the quota's events per second. */
  goodputRatio: number;
  windowEventsPerSecond: number;
  windowSeconds: number;
  /** Whether the emulator throttled at all: if not, the fleet never reached the quota (a slow machine). */
  reachedQuota: boolean;
  /** Each member's events in the window over the mean, as the largest deviation from 1. */
  maxShareDeviation: number;
  perMember: number[];
  /** Each member's ledger at its exit, to tell where a lost record went. */
  ledgers: Array<Record<string, unknown>>;
  /** The same scenario on a virtual clock: the limiters alone, without this machine's CPU contention. */
  model: FleetModelResult;
  /** The same on the virtual clock with the members offering for longer: fairness against the window's length. */
  longerModels: Array<{ seconds: number; model: FleetModelResult }>;
}

export interface FleetModelResult {
  seeds: number;
  throttledShare: { mean: number; max: number };
  maxShareDeviation: { mean: number; max: number };
  goodputRatio: number;
}

/**
 * The fleet on a virtual clock (test/unit/transport/rate-limiter-fleet-simulation.ts): the real limiter in
 * each member, a token-bucket quota, requests answered after about 10 ms. It tells what the limiters do
 * from what a loaded machine adds (members starved of CPU, answers delayed by the emulator's own load).
 */
export async function modelFleet(options: FleetOptions, seeds = 6): Promise<FleetModelResult> {
  const offered = (options.quotaRequestsPerSecond / options.members) * options.offeredShare;
  // Whole seconds after the warm-up and before the members stop offering, as the real window.
  const from = options.warmupSeconds + 1;
  const to = Math.max(from + 1, options.seconds - 1);
  const runs = [];
  for (let seed = 1; seed <= seeds; seed += 1) {
    const result = await simulateFleet({
      members: options.members,
      quotaRequestsPerSecond: options.quotaRequestsPerSecond,
      offeredRequestsPerSecond: offered,
      offerSeconds: options.seconds,
      startStaggerMillis: 100,
      seed,
    });
    const shares = result.acceptedBySecond.map((seconds) =>
      seconds.slice(from, to).reduce((sum, accepted) => sum + accepted, 0),
    );
    const total = shares.reduce((sum, share) => sum + share, 0);
    const mean = total / options.members;
    runs.push({
      throttled: result.requests === 0 ? 0 : result.throttled / result.requests,
      deviation: mean === 0 ? 1 : Math.max(...shares.map((share) => Math.abs(share / mean - 1))),
      goodput: total / (to - from) / options.quotaRequestsPerSecond,
    });
  }
  const stats = (values: number[]) => ({
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    max: Math.max(...values),
  });
  return {
    seeds,
    throttledShare: stats(runs.map((run) => run.throttled)),
    maxShareDeviation: stats(runs.map((run) => run.deviation)),
    goodputRatio: stats(runs.map((run) => run.goodput)).mean,
  };
}

/** The virtual-clock runs beside the measured one, as multiples of its length (about 5 s of CPU in all). */
const LONGER_MODEL_FACTORS = [3, 6, 12];

const MEMBER_SCRIPT = fileURLToPath(new URL('fleet-member.ts', import.meta.url));

interface Member {
  /** Resolves once the process has loaded and set its exporter up, before it emits anything. */
  ready: Promise<void>;
  /** Tells the process to start emitting. */
  go(): void;
  report: Promise<MemberReport>;
}

/**
 * Starts one member. Members load (TypeScript through tsx, the SDK) at very different speeds on a busy
 * machine, so each waits for `go` on stdin: all start emitting together and the window is not eaten by
 * start-up.
 */
function startMember(index: number, env: Record<string, string>): Member {
  const child = spawn(process.execPath, ['--import', 'tsx', MEMBER_SCRIPT], {
    env: { ...process.env, ...env, FLEET_MEMBER: String(index) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let stdout = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) onReady();
  });
  const report = new Promise<MemberReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`fleet member ${index} exited with ${code}`));
      else resolve(JSON.parse(line) as MemberReport);
    });
  });
  return {
    ready: Promise.race([ready, report.then(() => undefined)]),
    go: () => child.stdin.end('go\n'),
    report,
  };
}

interface RequestSample {
  atMillis: number;
  requests: number;
  throttled: number;
}

/** The emulator's counters at the last sample taken at or before `atMillis`. */
function countsAt(samples: readonly RequestSample[], atMillis: number): RequestSample {
  let found: RequestSample = { atMillis, requests: 0, throttled: 0 };
  for (const sample of samples) {
    if (sample.atMillis > atMillis) break;
    found = sample;
  }
  return found;
}

function memberOf(event: StoredEvent): number {
  const uid = event.eventData['UID'];
  const match = typeof uid === 'string' ? /^m(\d+)x/.exec(uid) : null;
  return match === null ? -1 : Number(match[1]);
}

export async function measureFleet(options: FleetOptions): Promise<FleetResult> {
  const emulator = await startEmulator({
    port: 0,
    log: () => undefined,
    requestQuota: { requestsPerSecond: options.quotaRequestsPerSecond },
  });
  // Where the members warm their code up before the start, and the emulator's code with it (see
  // bench/fleet-member.ts); closed before the start.
  const warmEmulator = await startEmulator({ port: 0, log: () => undefined, requestQuota: false });
  try {
    const quotaEventsPerSecond = options.quotaRequestsPerSecond * PUT_AUDIT_EVENTS_MAX_EVENTS;
    const rate = Math.ceil((quotaEventsPerSecond / options.members) * options.offeredShare);
    // When the emulator first throttled: from then on the quota's bucket is empty and no start-up
    // savings can inflate goodput. Polled, so it is late by at most one poll.
    let firstThrottleMillis: number | undefined;
    // The emulator's counters over time, to tell the throttles of the start-up from those of the window.
    const samples: RequestSample[] = [];
    const poll = setInterval(() => {
      const { putAuditEventsRequests: requests, throttled } = emulator.stats;
      if (firstThrottleMillis === undefined && throttled > 0) firstThrottleMillis = Date.now();
      samples.push({ atMillis: Date.now(), requests, throttled });
    }, 50);
    const members = Array.from({ length: options.members }, (_, index) =>
      startMember(index, {
        FLEET_ENDPOINT: emulator.url,
        FLEET_CHANNEL: emulator.channelArn,
        FLEET_RATE: String(rate),
        FLEET_SECONDS: String(options.seconds),
        AWS_ACCESS_KEY_ID: 'AKIDFLEET',
        AWS_SECRET_ACCESS_KEY: 'fleet-secret-not-a-real-key',
        AWS_REGION: emulator.region,
        FLEET_WARM_ENDPOINT: warmEmulator.url,
        FLEET_WARM_CHANNEL: warmEmulator.channelArn,
        FLEET_WARM_RECORDS: String(options.warmUpRecords),
      }),
    );
    await Promise.all(members.map((member) => member.ready));
    await warmEmulator.close();
    for (const member of members) member.go();
    const reports = await Promise.all(members.map((member) => member.report)).finally(() =>
      clearInterval(poll),
    );
    const events = emulator.events();
    const ids = new Map<string, number>();
    for (const event of events) {
      const uid = event.eventData['UID'];
      if (typeof uid === 'string') ids.set(uid, (ids.get(uid) ?? 0) + 1);
    }
    let lost = 0;
    for (const report of reports) {
      for (let n = 0; n < report.emitted; n += 1) if (!ids.has(`m${report.member}x${n}`)) lost += 1;
    }
    // The window: every member started (child start-up takes a moment) and none has stopped emitting.
    const firstByMember = new Map<number, number>();
    for (const event of events) {
      const member = memberOf(event);
      const at = Date.parse(event.metadata.ingestionTime);
      if (!firstByMember.has(member)) firstByMember.set(member, at);
    }
    // A member emits for `seconds` from about its first delivery; the window ends a little before the first
    // member stops, so that every member is still offering load in all of it. It opens after the warm-up
    // and not before the first throttle (see the file comment).
    const windowStart = Math.max(
      Math.max(...firstByMember.values()) + options.warmupSeconds * 1000,
      firstThrottleMillis ?? -Infinity,
    );
    const windowEnd = Math.min(...firstByMember.values()) + (options.seconds - 0.5) * 1000;
    const perMember = Array.from({ length: options.members }, () => 0);
    for (const event of events) {
      const at = Date.parse(event.metadata.ingestionTime);
      const member = memberOf(event);
      if (at >= windowStart && at < windowEnd && member >= 0)
        perMember[member] = (perMember[member] ?? 0) + 1;
    }
    const windowSeconds = Math.max(0.001, (windowEnd - windowStart) / 1000);
    const [opened, closed] = [countsAt(samples, windowStart), countsAt(samples, windowEnd)];
    const inWindow = perMember.reduce((sum, n) => sum + n, 0);
    const mean = inWindow / options.members;
    const stats = emulator.stats;
    return {
      options,
      emitted: reports.reduce((sum, report) => sum + report.emitted, 0),
      emittedPerMember: reports.map((report) => report.emitted),
      stored: events.length,
      lost,
      duplicates: [...ids.values()].reduce((sum, count) => sum + count - 1, 0),
      requests: stats.putAuditEventsRequests,
      throttled: stats.throttled,
      windowRequests: closed.requests - opened.requests,
      windowThrottled: closed.throttled - opened.throttled,
      throttledBeforeWindow: opened.throttled,
      goodputRatio: inWindow / windowSeconds / quotaEventsPerSecond,
      windowEventsPerSecond: inWindow / windowSeconds,
      windowSeconds,
      reachedQuota: firstThrottleMillis !== undefined,
      maxShareDeviation: mean === 0 ? 1 : Math.max(...perMember.map((n) => Math.abs(n / mean - 1))),
      perMember,
      ledgers: reports.map((report) => report.ledger),
      model: await modelFleet(options),
      longerModels: await Promise.all(
        LONGER_MODEL_FACTORS.map(async (factor) => {
          const seconds = options.seconds * factor;
          return { seconds, model: await modelFleet({ ...options, seconds }) };
        }),
      ),
    };
  } finally {
    await Promise.all([emulator.close(), warmEmulator.close()]);
  }
}

const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

export function formatFleet(result: FleetResult): { markdown: string; targets: TargetRow[] } {
  const { options } = result;
  const throttledShare = result.requests === 0 ? 0 : result.throttled / result.requests;
  const targets: TargetRow[] = [
    {
      target: `Fleet: goodput ≥ 90% of the quota (${options.members} processes, ${options.quotaRequestsPerSecond} requests/s)`,
      measured: `${(result.goodputRatio * 100).toFixed(1)}% (${fmt(result.windowEventsPerSecond)} events/s)`,
      pass: result.goodputRatio >= 0.9,
    },
    {
      target: 'Fleet: throttled requests ≤ 5% of all requests',
      measured: `${(throttledShare * 100).toFixed(1)}% (${fmt(result.throttled)} of ${fmt(result.requests)})`,
      pass: throttledShare <= 0.05,
    },
    { target: 'Fleet: 0 records lost', measured: fmt(result.lost), pass: result.lost === 0 },
    {
      target: "Fleet: each process's share within ±20% of the mean",
      measured: `largest deviation ${(result.maxShareDeviation * 100).toFixed(1)}%`,
      pass: result.maxShareDeviation <= 0.2,
    },
  ];
  const markdown = [
    '## Fleet: processes sharing one account quota',
    '',
    `${options.members} exporter processes with default settings, each offering ${options.offeredShare}x its fair share ` +
      `for ${options.seconds} s, against an emulator enforcing ${options.quotaRequestsPerSecond} PutAuditEvents requests/s ` +
      `for the account. The window (${result.windowSeconds.toFixed(1)} s) opens ${options.warmupSeconds} s after the last process ` +
      'started, and not before the first throttle, so the requests the quota banked during start-up do not count as ' +
      'goodput; throttled requests and losses count over the whole run, start-up included. Before the start each ' +
      `process sends ${fmt(options.warmUpRecords)} records to a second emulator without a quota, so that its code and the emulator's are ` +
      'warm when the measured run starts (as every other section warms up).' +
      (result.reachedQuota
        ? ''
        : ' **The emulator never throttled: the processes could not reach the quota on this machine, so the figures say nothing about the rate limiter.**') +
      (result.reachedQuota && result.windowSeconds < (options.seconds - options.warmupSeconds) / 2
        ? ' **The window is short (the fleet reached the quota late, or the processes started far apart on a loaded machine): goodput and shares in it are noisy, and goodput may count up to the whole bucket of the quota.**'
        : ''),
    '',
    '| emitted | stored | lost | duplicates | requests | throttled | goodput in window | events/s in window |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${fmt(result.emitted)} | ${fmt(result.stored)} | ${fmt(result.lost)} | ${fmt(result.duplicates)} | ${fmt(result.requests)} | ${fmt(result.throttled)} (${(throttledShare * 100).toFixed(1)}%) | ${(result.goodputRatio * 100).toFixed(1)}% | ${fmt(result.windowEventsPerSecond)} |`,
    '',
    `Events per process in the window: ${result.perMember.map((n) => fmt(n)).join(', ')}.`,
    '',
    `Throttled requests in the window alone: ${fmt(result.windowThrottled)} of ${fmt(result.windowRequests)} ` +
      `(${pct(result.windowRequests === 0 ? 0 : result.windowThrottled / result.windowRequests)}); before it (start-up) ` +
      `${fmt(result.throttledBeforeWindow)}, after it ${fmt(result.throttled - result.throttledBeforeWindow - result.windowThrottled)}.`,
    '',
    `The same scenario on a virtual clock (the limiters alone, no CPU contention; ${result.model.seeds} seeds, ` +
      `test/unit/transport/rate-limiter-fleet-simulation.ts): goodput ${pct(result.model.goodputRatio)}, ` +
      `throttled ${pct(result.model.throttledShare.mean)} of requests (at most ${pct(result.model.throttledShare.max)}), ` +
      `largest share deviation ${pct(result.model.maxShareDeviation.mean)} (at most ${pct(result.model.maxShareDeviation.max)}). ` +
      'Where the processes above fall short of these, the machine (11 processes on its cores) is the difference.',
    '',
    // Why the fairness target is about the window: each member learns its share only from its own throttles.
    `On the virtual clock with the members offering for longer, the largest share deviation (mean of the seeds, at most) and the throttled share: ` +
      result.longerModels
        .map(
          ({ seconds, model }) =>
            `${seconds} s: ${pct(model.maxShareDeviation.mean)} (${pct(model.maxShareDeviation.max)}), throttled ${pct(model.throttledShare.mean)}`,
        )
        .join('; ') +
      `. A process learns its share only from its own throttles: in the window above each saw about ${fmt(result.windowThrottled / options.members, 1)}. ` +
      'With the throttled share held near 5%, those signals come slowly, so the shares even out over minutes, not over a window of seconds.',
    '',
  ].join('\n');
  return { markdown, targets };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureFleet(process.env['BENCH_QUICK'] === '1' ? QUICK_FLEET : FULL_FLEET);
  const formatted = formatFleet(result);
  console.log(formatted.markdown);
  for (const row of formatted.targets)
    console.log(`${row.pass === true ? 'PASS' : 'FAIL'} ${row.target}: ${row.measured}`);
}
