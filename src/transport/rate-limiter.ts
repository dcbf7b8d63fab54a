import { DEFAULTS } from '../defaults.js';
import { check, checkOptional, number } from '../internal/check-option.js';
import { abortReason, systemClock, type Clock, type TimerHandle } from '../internal/clock.js';

/**
 * A token bucket in front of PutAuditEvents (a per-account quota of 100 requests per second), lowered
 * while the service throttles, as the AWS SDKs' "adaptive" retry mode does: cut multiplicatively on each
 * throttle, then climb back linearly to the maximum over `recoveryMillis`.
 */

export interface RateLimiterOptions {
  /** Ceiling, in requests per second. @default DEFAULTS.maxRequestsPerSecond */
  maxRequestsPerSecond?: number | undefined;
  /** Floor while throttled, in requests per second. @default DEFAULTS.minRequestsPerSecond */
  minRequestsPerSecond?: number | undefined;
  /** Multiplier on each throttle, in (0, 1). @default DEFAULTS.throttleRateFactor */
  throttleRateFactor?: number | undefined;
  /** Time to climb back from the last cut to the maximum, in milliseconds. @default DEFAULTS.throttleRecoveryMillis */
  recoveryMillis?: number | undefined;
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
  /** The service throttled a request: lower the rate. Throttles within one refill interval count once. */
  onThrottle(): void;
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
  const minRate = check(
    'minRequestsPerSecond',
    Math.min(options.minRequestsPerSecond ?? DEFAULTS.minRequestsPerSecond, maxRate),
    number({ above: 0, max: maxRate }),
  );
  check(
    'throttleRateFactor',
    options.throttleRateFactor ?? DEFAULTS.throttleRateFactor,
    number({ above: 0, max: 1, below: true }),
  );
  const factor = options.throttleRateFactor ?? DEFAULTS.throttleRateFactor;
  const recoveryMillis = check(
    'recoveryMillis',
    options.recoveryMillis ?? DEFAULTS.throttleRecoveryMillis,
    number({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  );
  checkOptional('burst', options.burst, number({ min: 1, max: Number.MAX_SAFE_INTEGER }));
  const clock = options.clock ?? systemClock;

  let cutRate = maxRate;
  let cutAt = -Infinity;
  let tokens = capacity(maxRate);
  let refilledAt = clock.now();
  const waiters: Waiter[] = [];
  let timer: TimerHandle; // undefined when none is scheduled

  function capacity(rate: number): number {
    return options.burst ?? Math.max(1, rate / 10);
  }

  /** Linear climb from the last cut back to the maximum. */
  function rateAt(now: number): number {
    if (recoveryMillis === 0 || now - cutAt >= recoveryMillis) return maxRate;
    return cutRate + ((maxRate - cutRate) * (now - cutAt)) / recoveryMillis;
  }

  function refill(now: number): number {
    const rate = rateAt(now);
    // The rate changes slowly compared with one refill step, so the rate at `now` stands for the interval.
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
      return rateAt(clock.now());
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
    onThrottle() {
      const now = clock.now();
      const rate = refill(now);
      // Concurrent requests throttled by one burst should cut the rate once, not once each.
      if (now - cutAt < 1000 / rate) return;
      cutRate = Math.max(minRate, rate * factor);
      cutAt = now;
      tokens = Math.min(tokens, capacity(cutRate));
      if (timer !== undefined) {
        clock.clearTimeout(timer);
        timer = undefined;
      }
      drain();
    },
  };
}
