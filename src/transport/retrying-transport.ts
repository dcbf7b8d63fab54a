import { DEFAULTS } from '../defaults.js';
import { check, integer, number } from '../internal/check-option.js';
import { componentLogger } from '../internal/diag.js';
import { sleep, systemClock, type Clock } from '../internal/clock.js';
import type { RateLimiter } from './rate-limiter.js';
import type { PreparedRequest, SendOptions, SendResult, Transport } from './transport.js';

/**
 * Retries whole requests the inner transport calls retryable, with exponential backoff and full jitter
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/), never sooner than the
 * service's Retry-After, and never past the caller's deadline or abort, so one export never outlives its
 * caller's timeout.
 */

/** The `retry` option. Every field is optional; missing ones come from `DEFAULTS.retry`. */
export interface RetryOptions {
  /** Attempts in all, the first included; 1 turns retries off. @default DEFAULTS.retry.maxAttempts */
  maxAttempts?: number | undefined;
  /** Upper bound of the first wait, in milliseconds. @default DEFAULTS.retry.initialBackoffMillis */
  initialBackoffMillis?: number | undefined;
  /** Upper bound of any wait (Retry-After excepted), in milliseconds. @default DEFAULTS.retry.maxBackoffMillis */
  maxBackoffMillis?: number | undefined;
  /** Growth of the bound per attempt. @default DEFAULTS.retry.multiplier */
  multiplier?: number | undefined;
}

export type ResolvedRetryOptions = { readonly [K in keyof RetryOptions]-?: number };

export interface RetryingTransportOptions {
  retry?: RetryOptions | undefined;
  /** Taken before every attempt, and told how each attempt was answered. */
  rateLimiter?: RateLimiter | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  /** Uniform in [0, 1). @default Math.random */
  random?: (() => number) | undefined;
}

const diag = componentLogger('CloudTrailLakeTransport');

/** The longest wait between two attempts that can be configured, in milliseconds (an hour). */
export const RETRY_MAX_BACKOFF_MILLIS = 3_600_000;

/** The `retry` fields as data: attempts at most 100, a wait at most an hour. */
export const RETRY_RULES = Object.freeze({
  maxAttempts: integer(1, 100),
  initialBackoffMillis: number({ min: 0, max: RETRY_MAX_BACKOFF_MILLIS }),
  multiplier: number({ min: 1, max: 100 }),
});

/** Fills in and checks the `retry` option. @throws ConfigError naming `retry.<field>`, its range and value. */
export function resolveRetryOptions(retry: RetryOptions = {}): ResolvedRetryOptions {
  const initialBackoffMillis = check(
    'retry.initialBackoffMillis',
    retry.initialBackoffMillis ?? DEFAULTS.retry.initialBackoffMillis,
    RETRY_RULES.initialBackoffMillis,
  );
  return Object.freeze({
    maxAttempts: check(
      'retry.maxAttempts',
      retry.maxAttempts ?? DEFAULTS.retry.maxAttempts,
      RETRY_RULES.maxAttempts,
    ),
    initialBackoffMillis,
    maxBackoffMillis: check(
      'retry.maxBackoffMillis',
      retry.maxBackoffMillis ?? Math.max(DEFAULTS.retry.maxBackoffMillis, initialBackoffMillis),
      number({ min: initialBackoffMillis, max: RETRY_MAX_BACKOFF_MILLIS }),
    ),
    multiplier: check(
      'retry.multiplier',
      retry.multiplier ?? DEFAULTS.retry.multiplier,
      RETRY_RULES.multiplier,
    ),
  });
}

/** The bound of the wait after `attempt` (1-based) failed: `min(max, initial * multiplier^(attempt-1))`. */
export function backoffBoundMillis(policy: ResolvedRetryOptions, attempt: number): number {
  return Math.min(policy.maxBackoffMillis, policy.initialBackoffMillis * policy.multiplier ** (attempt - 1));
}

/**
 * The wait before the attempt after `attempt` failed: full jitter, uniform in [0, bound). The one backoff
 * rule for whole-request retries and for per-event resends.
 */
export function backoffMillis(
  policy: ResolvedRetryOptions,
  attempt: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffBoundMillis(policy, attempt));
}

export function createRetryingTransport(inner: Transport, options: RetryingTransportOptions = {}): Transport {
  const policy = resolveRetryOptions(options.retry);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const limiter = options.rateLimiter;

  return {
    async send(
      request: PreparedRequest,
      signal: AbortSignal,
      sendOptions: SendOptions = {},
    ): Promise<SendResult> {
      const deadline = sendOptions.deadline;
      let last: SendResult | undefined;
      for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
        if (limiter !== undefined) {
          try {
            await limiter.acquire(signal);
          } catch (reason) {
            return last ?? abortedBeforeSending(reason, attempt - 1);
          }
        }
        const sentAtMillis = clock.now();
        const result = await inner.send(request, signal, sendOptions);
        limiter?.onResponse({ throttled: result.status === 'retryable' && result.throttled, sentAtMillis });
        last = { ...result, attempts: attempt };
        if (result.status !== 'retryable') return last;
        if (attempt === policy.maxAttempts || signal.aborted) return last;
        const jitterMillis = backoffMillis(policy, attempt, random);
        const delayMillis = Math.max(jitterMillis, result.retryAfterMillis ?? 0);
        if (deadline !== undefined && clock.now() + delayMillis >= deadline) {
          diag.debug(
            `PutAuditEvents attempt ${attempt} failed; the next one would start past the deadline: giving up (${result.error.message})`,
          );
          return last;
        }
        diag.debug(
          `PutAuditEvents attempt ${attempt} of ${policy.maxAttempts} failed, retrying in ${delayMillis} ms: ${result.error.message}`,
        );
        try {
          await sleep(delayMillis, signal, clock);
        } catch {
          return last;
        }
      }
      return last as SendResult;
    },
    shutdown: () => inner.shutdown(),
  };
}

function abortedBeforeSending(reason: unknown, attempts: number): SendResult {
  const error =
    reason instanceof Error ? reason : new Error(`PutAuditEvents aborted before sending: ${String(reason)}`);
  return { status: 'retryable', error, throttled: false, attempts };
}
