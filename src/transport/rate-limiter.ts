import { DEFAULTS } from '../defaults.js';
import { check, checkOptional, number } from '../internal/check-option.js';
import { abortReason, systemClock, type Clock, type TimerHandle } from '../internal/clock.js';
import { createAdaptiveRate } from './adaptive-rate.js';

/**
 * A token bucket in front of PutAuditEvents. The quota (100 requests per second) belongs to the account
 * and Region, not to one client, so the bucket's rate adapts while the service throttles, as the AWS
 * SDKs' "adaptive" retry mode does (see adaptive-rate.ts): every process of a fleet finds its share
 * from its own throttles, without talking to the others.
 */

export interface RateLimiterOptions {
  /** Ceiling, in requests per second. @default DEFAULTS.maxRequestsPerSecond */
  maxRequestsPerSecond?: number | undefined;
  /** Floor while throttled, in requests per second. @default DEFAULTS.minRequestsPerSecond */
  minRequestsPerSecond?: number | undefined;
  /** Multiplier on each throttle, in (0, 1). @default DEFAULTS.throttleRateFactor */
  throttleRateFactor?: number | undefined;
  /**
   * Growth of the rate after a throttle (CUBIC's C), in requests per second per cubed second.
   * @default DEFAULTS.throttleRecoveryScale
   */
  recoveryScale?: number | undefined;
  /**
   * Tokens the bucket holds: requests that may start at once after a quiet spell.
   * @default a tenth of a second's worth of the current rate, at least 1
   */
  burst?: number | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
}

export interface RateLimiter {
  /** Resolves when a request may start; rejects with the signal's reason if it aborts first. FIFO. */
  acquire(signal?: AbortSignal): Promise<void>;
  /**
   * A request that `acquire` let start at `sentAtMillis` got its answer: `throttled` when the service
   * refused it for the quota. Lowers the rate on a throttle and lets it grow back on the others.
   */
  onResponse(response: { throttled: boolean; sentAtMillis: number }): void;
  /** The current rate, in requests per second. */
  readonly currentRequestsPerSecond: number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const maxRate = check(
    'maxRequestsPerSecond',
    options.maxRequestsPerSecond ?? DEFAULTS.maxRequestsPerSecond,
    number({ above: 0, max: Number.MAX_SAFE_INTEGER }),
  );
  const adaptive = createAdaptiveRate({
    maxRequestsPerSecond: maxRate,
    minRequestsPerSecond: check(
      'minRequestsPerSecond',
      Math.min(options.minRequestsPerSecond ?? DEFAULTS.minRequestsPerSecond, maxRate),
      number({ above: 0, max: maxRate }),
    ),
    factor: check(
      'throttleRateFactor',
      options.throttleRateFactor ?? DEFAULTS.throttleRateFactor,
      number({ above: 0, max: 1, below: true }),
    ),
    scale: check(
      'recoveryScale',
      options.recoveryScale ?? DEFAULTS.throttleRecoveryScale,
      number({ above: 0, max: Number.MAX_SAFE_INTEGER }),
    ),
  });
  checkOptional('burst', options.burst, number({ min: 1, max: Number.MAX_SAFE_INTEGER }));
  const clock = options.clock ?? systemClock;

  let tokens = capacity(maxRate);
  let refilledAt = clock.now();
  const waiters: Waiter[] = [];
  let timer: TimerHandle; // undefined when none is scheduled

  function capacity(rate: number): number {
    return options.burst ?? Math.max(1, rate / 10);
  }

  function refill(now: number): number {
    // The rate changes only on responses, so the current one stands for the interval since the last refill.
    const rate = adaptive.requestsPerSecond;
    tokens = Math.min(capacity(rate), tokens + ((now - refilledAt) * rate) / 1000);
    refilledAt = now;
    return rate;
  }

  function drain(): void {
    const now = clock.now();
    const rate = refill(now);
    while (waiters.length > 0 && tokens >= 1) {
      tokens -= 1;
      const waiter = waiters.shift() as Waiter;
      if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    if (waiters.length > 0 && timer === undefined) {
      const delayMillis = Math.max(1, Math.ceil(((1 - tokens) * 1000) / rate));
      timer = clock.setTimeout(() => {
        timer = undefined;
        drain();
      }, delayMillis);
    }
  }

  return {
    get currentRequestsPerSecond() {
      return adaptive.requestsPerSecond;
    },
    acquire(signal) {
      if (signal?.aborted === true) return Promise.reject(abortReason(signal));
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
        if (signal !== undefined) {
          waiter.onAbort = () => {
            const index = waiters.indexOf(waiter);
            if (index >= 0) waiters.splice(index, 1);
            reject(abortReason(signal));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        waiters.push(waiter);
        drain();
      });
    },
    onResponse(response) {
      const now = clock.now();
      const before = refill(now);
      adaptive.onResponse(response, now);
      const after = adaptive.requestsPerSecond;
      if (after === before) return;
      // A lower rate holds fewer tokens; a waiter's timer was set for the old rate.
      tokens = Math.min(tokens, capacity(after));
      if (timer !== undefined) {
        clock.clearTimeout(timer);
        timer = undefined;
      }
      drain();
    },
  };
}
