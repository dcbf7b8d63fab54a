// Covers the retrying decorator with a scripted inner transport and fake timers: attempts, full-jitter
// bounds, Retry-After, the deadline, abort, and throttling feedback to the rate limiter.
// Real HTTP retries (429 + Retry-After from a server) are in test/integration/transport-http.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS } from '../../../src/defaults.js';
import { ConfigError } from '../../../src/errors.js';
import type { RateLimiter } from '../../../src/transport/rate-limiter.js';
import {
  backoffBoundMillis,
  createRetryingTransport,
  resolveRetryOptions,
} from '../../../src/transport/retrying-transport.js';
import type { PreparedRequest, SendResult, Transport } from '../../../src/transport/transport.js';

const request: PreparedRequest = { events: [], body: '{"auditEvents":[]}', bodyBytes: 18 };
const ok: SendResult = { status: 'success', response: { successful: [], failed: [] } };
const busy = (extra: Partial<Extract<SendResult, { status: 'retryable' }>> = {}): SendResult => ({
  status: 'retryable',
  error: new Error('503'),
  throttled: false,
  ...extra,
});
const denied: SendResult = { status: 'failure', error: new Error('403') };

/** An inner transport answering from a script and recording when each call came (fake time). */
function scripted(results: SendResult[]): Transport & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    send() {
      calls.push(Date.now());
      return Promise.resolve(results[Math.min(calls.length - 1, results.length - 1)] as SendResult);
    },
    shutdown: () => Promise.resolve(),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

async function run<T>(promise: Promise<T>, advanceMillis = 120_000): Promise<T> {
  await vi.advanceTimersByTimeAsync(advanceMillis);
  return promise;
}

describe('createRetryingTransport', () => {
  it('returns a success at once, with one attempt', async () => {
    const inner = scripted([ok]);
    const result = await createRetryingTransport(inner).send(request, new AbortController().signal);
    expect(result).toMatchObject({ status: 'success', attempts: 1 });
    expect(inner.calls).toEqual([0]);
  });

  it('does not retry a permanent failure', async () => {
    const inner = scripted([denied, ok]);
    const result = await createRetryingTransport(inner).send(request, new AbortController().signal);
    expect(result).toMatchObject({ status: 'failure', attempts: 1 });
    expect(inner.calls).toHaveLength(1);
  });

  it('retries until success', async () => {
    const inner = scripted([busy(), busy(), ok]);
    const transport = createRetryingTransport(inner, { random: () => 0 });
    const result = await run(transport.send(request, new AbortController().signal));
    expect(result).toMatchObject({ status: 'success', attempts: 3 });
  });

  it('stops after maxAttempts and returns the last retryable result', async () => {
    const inner = scripted([busy()]);
    const transport = createRetryingTransport(inner, { retry: { maxAttempts: 3 }, random: () => 0 });
    const result = await run(transport.send(request, new AbortController().signal));
    expect(result).toMatchObject({ status: 'retryable', attempts: 3 });
    expect(inner.calls).toHaveLength(3);
  });

  it('waits a full-jitter delay within the exponential bound', async () => {
    const retry = { maxAttempts: 4, initialBackoffMillis: 100, maxBackoffMillis: 300, multiplier: 2 };
    const inner = scripted([busy()]);
    const transport = createRetryingTransport(inner, { retry, random: () => 0.5 });
    await run(transport.send(request, new AbortController().signal));
    const policy = resolveRetryOptions(retry);
    // Bounds 100, 200, 300 (400 capped): half of each.
    expect(inner.calls).toEqual([0, 0.5 * backoffBoundMillis(policy, 1), 150, 300]);
  });

  it('never waits longer than the bound, whatever the random draw', async () => {
    const inner = scripted([busy()]);
    const transport = createRetryingTransport(inner, { random: () => 0.999999 });
    await run(transport.send(request, new AbortController().signal));
    const gaps = inner.calls.slice(1).map((time, index) => time - (inner.calls[index] as number));
    gaps.forEach((gap, index) => {
      expect(gap).toBeLessThanOrEqual(backoffBoundMillis(resolveRetryOptions(), index + 1));
      expect(gap).toBeGreaterThan(backoffBoundMillis(resolveRetryOptions(), index + 1) - 2);
    });
    expect(gaps.at(-1)).toBeLessThanOrEqual(DEFAULTS.retry.maxBackoffMillis);
  });

  it('waits at least the Retry-After the service asked for', async () => {
    const inner = scripted([busy({ retryAfterMillis: 7_000 }), ok]);
    const transport = createRetryingTransport(inner, { random: () => 0 });
    const result = await run(transport.send(request, new AbortController().signal));
    expect(result.status).toBe('success');
    expect(inner.calls).toEqual([0, 7_000]);
  });

  it('gives up without waiting when the next attempt would pass the deadline', async () => {
    const inner = scripted([busy({ retryAfterMillis: 5_000 }), ok]);
    const transport = createRetryingTransport(inner, { random: () => 0 });
    const result = await transport.send(request, new AbortController().signal, { deadline: 3_000 });
    expect(result).toMatchObject({ status: 'retryable', attempts: 1 });
    expect(Date.now()).toBe(0);
  });

  it('retries within the deadline when the wait fits', async () => {
    const inner = scripted([busy({ retryAfterMillis: 1_000 }), ok]);
    const transport = createRetryingTransport(inner, { random: () => 0 });
    const result = await run(transport.send(request, new AbortController().signal, { deadline: 3_000 }));
    expect(result).toMatchObject({ status: 'success', attempts: 2 });
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const inner = scripted([busy({ retryAfterMillis: 60_000 }), ok]);
    const controller = new AbortController();
    const pending = createRetryingTransport(inner).send(request, controller.signal);
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ status: 'retryable', attempts: 1 });
    expect(Date.now()).toBe(1_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tells the rate limiter how each attempt was answered, and when it was sent', async () => {
    const responses: Array<{ throttled: boolean; sentAtMillis: number }> = [];
    const limiter: RateLimiter = {
      acquire: () => Promise.resolve(),
      onResponse: (response) => responses.push(response),
      currentRequestsPerSecond: 100,
    };
    const inner = scripted([busy(), busy({ throttled: true }), ok]);
    const transport = createRetryingTransport(inner, { random: () => 0.5, rateLimiter: limiter });
    await run(transport.send(request, new AbortController().signal), 10_000);
    expect(responses).toEqual([
      { throttled: false, sentAtMillis: 0 },
      { throttled: true, sentAtMillis: 250 },
      { throttled: false, sentAtMillis: 750 },
    ]);
  });
});

describe('resolveRetryOptions', () => {
  it('fills in DEFAULTS.retry', () => {
    expect(resolveRetryOptions()).toEqual(DEFAULTS.retry);
  });

  it.each([
    [{ maxAttempts: 0 }, 'retry.maxAttempts', '`0`'],
    [{ maxAttempts: 2.5 }, 'retry.maxAttempts', '`2.5`'],
    [{ initialBackoffMillis: -1 }, 'retry.initialBackoffMillis', '`-1`'],
    [{ initialBackoffMillis: 1000, maxBackoffMillis: 10 }, 'retry.maxBackoffMillis', '`10`'],
    [{ multiplier: 0.5 }, 'retry.multiplier', '`0.5`'],
  ])('rejects %j naming the option and value', (retry, option, value) => {
    try {
      resolveRetryOptions(retry);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
      expect((error as Error).message).toContain(value);
    }
  });
});
