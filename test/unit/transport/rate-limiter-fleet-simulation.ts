/**
 * A fleet of rate limiters against one account quota, on a virtual clock: each member is a process with
 * its own limiter (the real one) and a backlog of requests it offers at a fixed rate, sending up to
 * `concurrency` at once and retrying throttled requests after a jittered backoff, as the retrying
 * transport does. The quota is a token bucket, as the emulator's. Deterministic for a seed; runs a
 * minute of fleet time in well under a second, so the limiter's convergence can be tested as properties.
 */
import { createPrng } from '../../../src/emulator/faults.js';
import type { Clock } from '../../../src/internal/clock.js';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/transport/rate-limiter.js';

export interface FleetSimulationOptions {
  members: number;
  quotaRequestsPerSecond: number;
  /** The quota's bucket. @default quotaRequestsPerSecond */
  quotaBurst?: number;
  /** Requests each member offers per second, for `offerSeconds` from its start (one figure, or one per member). */
  offeredRequestsPerSecond: number;
  offerSeconds: number | number[];
  /** Member i starts offering at `i * startStaggerMillis`. */
  startStaggerMillis?: number;
  /** Round trip of one request, in milliseconds (uniform in [latency/2, latency*3/2]). */
  latencyMillis?: number;
  concurrency?: number;
  seed?: number;
  limiter?: RateLimiterOptions;
  /** Every this many milliseconds, each member's rate is sampled into `rates`. @default 100 */
  sampleMillis?: number;
}

export interface FleetSimulationResult {
  requests: number;
  throttled: number;
  requestsByMember: number[];
  throttledByMember: number[];
  /** Accepted requests per member, by the second they were accepted in. */
  acceptedBySecond: number[][];
  /** Sampled limiter rates: `rates[i][j]` is member i's rate at j * sampleMillis. */
  rates: number[][];
  /** When the last request was accepted, in milliseconds. */
  endMillis: number;
}

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/** A clock whose time moves only when the simulation runs the next timer. */
function virtualClock(): Clock & { next(): Timer | undefined } {
  let now = 0;
  let seq = 0;
  const timers: Timer[] = [];
  return {
    now: () => now,
    setTimeout(callback, delayMillis) {
      const timer: Timer = { at: now + Math.max(0, delayMillis), seq: seq++, callback, cancelled: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      (handle as Timer).cancelled = true;
    },
    next() {
      for (;;) {
        if (timers.length === 0) return undefined;
        let first = 0;
        for (let index = 1; index < timers.length; index += 1) {
          const timer = timers[index] as Timer;
          const best = timers[first] as Timer;
          if (timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) first = index;
        }
        const [timer] = timers.splice(first, 1) as [Timer];
        if (timer.cancelled) continue;
        now = timer.at;
        return timer;
      }
    },
  };
}

/** Lets every promise reaction that is ready run, so the virtual time stands still meanwhile. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function simulateFleet(options: FleetSimulationOptions): Promise<FleetSimulationResult> {
  const clock = virtualClock();
  const random = createPrng(options.seed ?? 1); // repeatable: a seed gives the same run
  const latencyMillis = options.latencyMillis ?? 10;
  const concurrency = options.concurrency ?? 10;
  const sampleMillis = options.sampleMillis ?? 100;
  const quotaBurst = options.quotaBurst ?? options.quotaRequestsPerSecond;
  let quotaTokens = quotaBurst;
  let quotaAt = 0;
  const takeQuota = (): boolean => {
    const now = clock.now();
    quotaTokens = Math.min(
      quotaBurst,
      quotaTokens + ((now - quotaAt) * options.quotaRequestsPerSecond) / 1000,
    );
    quotaAt = now;
    if (quotaTokens < 1) return false;
    quotaTokens -= 1;
    return true;
  };
  const wait = (millis: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, millis));

  const result: FleetSimulationResult = {
    requests: 0,
    throttled: 0,
    requestsByMember: Array.from({ length: options.members }, () => 0),
    throttledByMember: Array.from({ length: options.members }, () => 0),
    acceptedBySecond: Array.from({ length: options.members }, () => []),
    rates: Array.from({ length: options.members }, () => []),
    endMillis: 0,
  };
  const members = Array.from({ length: options.members }, (_, member) => {
    const seconds = Array.isArray(options.offerSeconds) ? options.offerSeconds[member] : options.offerSeconds;
    const offered = Math.round(options.offeredRequestsPerSecond * (seconds ?? 0));
    const limiter = createRateLimiter({ ...options.limiter, clock });
    const startMillis = member * (options.startStaggerMillis ?? 0);
    let arrived = 0;
    let taken = 0;
    const idle: Array<() => void> = [];
    const arrive = (): void => {
      arrived += 1;
      if (arrived < offered) {
        idle.shift()?.();
        clock.setTimeout(arrive, 1000 / options.offeredRequestsPerSecond);
      } else {
        for (const resume of idle.splice(0)) resume();
      }
    };
    clock.setTimeout(arrive, startMillis);

    async function send(): Promise<void> {
      for (let attempt = 1; ; attempt += 1) {
        await limiter.acquire();
        const sentAtMillis = clock.now();
        await wait(latencyMillis * (0.5 + random()));
        result.requests += 1;
        result.requestsByMember[member] = (result.requestsByMember[member] ?? 0) + 1;
        const accepted = takeQuota();
        limiter.onResponse({ throttled: !accepted, sentAtMillis });
        if (accepted) {
          const second = Math.floor(clock.now() / 1000);
          const seconds = result.acceptedBySecond[member] as number[];
          while (seconds.length <= second) seconds.push(0);
          seconds[second] = (seconds[second] as number) + 1;
          result.endMillis = Math.max(result.endMillis, clock.now());
          return;
        }
        result.throttled += 1;
        result.throttledByMember[member] = (result.throttledByMember[member] ?? 0) + 1;
        await wait(random() * Math.min(10_000, 500 * 2 ** (attempt - 1)));
      }
    }

    async function worker(): Promise<void> {
      while (taken < offered) {
        if (taken < arrived) {
          taken += 1;
          await send();
        } else {
          await new Promise<void>((resolve) => idle.push(resolve));
        }
      }
    }
    const workers = Array.from({ length: concurrency }, () => worker());
    return { limiter, done: Promise.all(workers) };
  });

  let finished = false;
  void Promise.all(members.map((member) => member.done)).then(() => (finished = true));
  const sample = (): void => {
    members.forEach((member, index) => result.rates[index]?.push(member.limiter.currentRequestsPerSecond));
    if (!finished) clock.setTimeout(sample, sampleMillis);
  };
  sample();
  await settle();
  // Ten times the offer, at least a minute: a fleet that has not delivered by then never will.
  const longest = Math.max(...[options.offerSeconds].flat());
  const limitMillis = Math.max(60_000, longest * 10_000);
  while (!finished) {
    const timer = clock.next();
    if (timer === undefined || timer.at > limitMillis) break;
    timer.callback();
    await settle();
  }
  return result;
}
