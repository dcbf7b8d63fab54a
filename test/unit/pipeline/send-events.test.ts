// sendEvents, the exporter's send loop, with a stub Transport (our own interface) and fake timers: per-event
// resends after the backoff, giving up at the deadline, and a permanent error failing the export's other
// requests without sending them. The whole path over HTTP is in test/integration/exporter-faults.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../../src/errors.js';
import { createConcurrencyLimiter } from '../../../src/pipeline/concurrency-limiter.js';
import { createStatsRecorder } from '../../../src/pipeline/export-stats.js';
import { sendEvents, type SendContext } from '../../../src/pipeline/send-events.js';
import { systemClock } from '../../../src/internal/clock.js';
import type { PreparedEvent } from '../../../src/mapping/audit-event.js';
import type { PreparedRequest, SendResult, Transport } from '../../../src/transport/transport.js';
import { splitIntoRequests } from '../../../src/batch/split-into-requests.js';
import { auditEventEntry } from '../../../src/mapping/audit-event-entry.js';

function event(id: string): PreparedEvent {
  return auditEventEntry(id, JSON.stringify({ UID: id }));
}

function context(transport: Transport, overrides: Partial<SendContext> = {}) {
  const logged: string[] = [];
  const log = (message: string) => logged.push(message);
  const ctx: SendContext = {
    transport,
    limiter: createConcurrencyLimiter(1),
    stats: createStatsRecorder(),
    logger: { error: log, warn: log, info: log, debug: () => undefined, verbose: () => undefined },
    clock: systemClock,
    pack: (events) => splitIntoRequests(events, { maxEventsPerRequest: 2, maxRequestBytes: 1_000_000 }),
    maxEventAttempts: 5,
    backoffMillis: (attempt) => 1_000 * attempt,
    deadline: Number.MAX_SAFE_INTEGER,
    ...overrides,
  };
  return { ctx, logged };
}

describe('sendEvents', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resends Throttling entries after the backoff, under the same ids', async () => {
    const calls: string[][] = [];
    let throttleOnce = true;
    const transport: Transport = {
      send: (request: PreparedRequest): Promise<SendResult> => {
        const ids = request.events.map((e) => e.id);
        calls.push(ids);
        const throttled: string[] = throttleOnce ? ids.filter((id) => id === 'b') : [];
        throttleOnce = false;
        return Promise.resolve({
          status: 'success',
          response: {
            successful: ids.filter((id) => !throttled.includes(id)).map((id) => ({ id, eventID: id })),
            failed: throttled.map((id) => ({ id, errorCode: 'Throttling', errorMessage: 'slow' })),
          },
        });
      },
      shutdown: () => Promise.resolve(),
    };
    const { ctx } = context(transport);
    const pending = sendEvents([event('a'), event('b'), event('c')], new AbortController().signal, ctx);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toEqual([['a', 'b'], ['c']]);
    await vi.advanceTimersByTimeAsync(1);
    const outcome = await pending;
    expect(calls).toEqual([['a', 'b'], ['c'], ['b']]);
    expect(outcome.accepted.map((e) => e.id).sort()).toEqual(['a', 'b', 'c']);
    expect(outcome.failed).toEqual([]);
    expect(ctx.stats.snapshot()).toMatchObject({ retried: 1, requests: 3 });
  });

  it('gives up on resends when the deadline signal aborts during the backoff', async () => {
    const transport: Transport = {
      send: (request) =>
        Promise.resolve({
          status: 'success',
          response: {
            successful: [],
            failed: request.events.map((e) => ({
              id: e.id,
              errorCode: 'InternalFailure',
              errorMessage: 'x',
            })),
          },
        }),
      shutdown: () => Promise.resolve(),
    };
    const { ctx } = context(transport);
    const controller = new AbortController();
    const pending = sendEvents([event('a')], controller.signal, ctx);
    await vi.advanceTimersByTimeAsync(500);
    controller.abort(new Error('deadline'));
    const outcome = await pending;
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]!.ids).toEqual(['a']);
    expect(outcome.failed[0]!.error.message).toMatch(/deadline passed.*InternalFailure: x/);
  });

  it('fails the requests not yet sent with the first permanent error, and logs it once', async () => {
    let sent = 0;
    const error = new ServiceError({
      message: 'PutAuditEvents failed with 400 ChannelNotFound',
      statusCode: 400,
      awsErrorCode: 'ChannelNotFound',
    });
    const transport: Transport = {
      send: () => {
        sent += 1;
        return Promise.resolve({ status: 'failure', error });
      },
      shutdown: () => Promise.resolve(),
    };
    const { ctx, logged } = context(transport);
    const outcome = await sendEvents(['a', 'b', 'c', 'd', 'e'].map(event), new AbortController().signal, ctx);
    expect(sent).toBe(1);
    expect(outcome.failed.flatMap((g) => g.ids)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(logged.filter((l) => l.includes('failed permanently'))).toHaveLength(1);
    expect(logged[0]).toMatch(/Likely fix: no such channel/);
  });

  it('turns a transport that breaks its contract by throwing into a failed group', async () => {
    const transport: Transport = {
      send: () => Promise.reject(new Error('plug-in bug')),
      shutdown: () => Promise.resolve(),
    };
    const { ctx } = context(transport);
    const outcome = await sendEvents([event('a')], new AbortController().signal, ctx);
    expect(outcome.failed[0]!.error.message).toBe('plug-in bug');
  });
});
