/**
 * The exporter's send loop for one export: pack the events into requests, send them concurrently under
 * the shared limiter, and resend only the entries a 200 marked `Throttling` or `InternalFailure`
 * (same ids, packed again) until they are accepted, the attempts run out or the deadline passes.
 * Whole-request retries (throttling, 5xx, network) happen inside the retrying transport.
 */
import type { DiagLogger } from '@opentelemetry/api';
import { CloudTrailLakeError, ERROR_CODES, type EventTooLargeError } from '../errors.js';
import { abortReason, sleep, type Clock } from '../internal/clock.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import { likelyFix } from '../transport/is-retryable.js';
import type { PreparedRequest, SendResult, Transport } from '../transport/transport.js';
import { classifyResponse } from './classify-response.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { StatsRecorder } from './export-stats.js';
import type { FailedGroup, SendOutcome } from './pipeline-entry.js';

export interface SendContext {
  transport: Transport;
  limiter: ConcurrencyLimiter;
  stats: StatsRecorder;
  logger: DiagLogger;
  clock: Clock;
  /** Packs events into requests within the count and byte limits. */
  pack(events: readonly PreparedEvent[]): { requests: PreparedRequest[]; tooLarge: EventTooLargeError[] };
  /** Sends of one event in all, the first included, before a retryable per-event failure counts as failed. */
  maxEventAttempts: number;
  /** Wait before resend number `attempt` (1 for the first resend), in milliseconds. */
  backoffMillis(attempt: number): number;
  /** Epoch milliseconds on `clock` past which the retrying transport starts no new attempt. */
  deadline: number;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sends `events` within `signal`. Never throws. */
export async function sendEvents(
  events: readonly PreparedEvent[],
  signal: AbortSignal,
  ctx: SendContext,
): Promise<SendOutcome> {
  const outcome: SendOutcome = { accepted: [], rejected: [], failed: [] };
  // A permanent whole-request error (bad channel, credentials) fails every request of this export the same
  // way: requests not yet started are failed with it instead of being sent, and it is logged once.
  let permanentError: Error | undefined;
  const sendOne = async (request: PreparedRequest): Promise<SendResult> => {
    if (permanentError !== undefined) return { status: 'failure', error: permanentError };
    if (signal.aborted) return { status: 'failure', error: toError(abortReason(signal)) };
    ctx.stats.add('requests', 1);
    let result: SendResult;
    try {
      result = await ctx.transport.send(request, signal, { deadline: ctx.deadline });
    } catch (error) {
      // The transport contract says it never throws; stay safe if a plug-in breaks it.
      result = { status: 'failure', error: toError(error) };
    }
    if (result.status === 'failure' && permanentError === undefined && !signal.aborted) {
      permanentError = result.error;
      const fix = likelyFix(result.error);
      ctx.logger.error(
        `PutAuditEvents failed permanently: ${result.error.message}; dropping this export's events, not retrying.` +
          (fix === undefined ? '' : ` Likely fix: ${fix}.`),
      );
    }
    return result;
  };

  let pending: readonly PreparedEvent[] = events;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const { requests, tooLarge } = ctx.pack(pending);
    outcome.rejected.push(...tooLarge);
    const results = await Promise.all(requests.map((request) => ctx.limiter.run(() => sendOne(request))));
    const retry: PreparedEvent[] = [];
    const retryReasons = new Map<string, string>();
    results.forEach((result, index) => {
      const sent = requests[index]?.events ?? [];
      if (result.status === 'success') {
        const classified = classifyResponse(sent, result.response);
        outcome.accepted.push(...classified.accepted);
        outcome.rejected.push(...classified.rejected);
        retry.push(...classified.retry);
        for (const [id, reason] of classified.retryReasons) retryReasons.set(id, reason);
        return;
      }
      outcome.failed.push({ ids: sent.map((event) => event.id), error: result.error });
    });
    if (retry.length === 0) break;
    if (attempt >= ctx.maxEventAttempts || signal.aborted) {
      outcome.failed.push(retryFailure(retry, retryReasons, attempt, signal));
      break;
    }
    const delayMillis = ctx.backoffMillis(attempt);
    ctx.logger.debug(
      `Resending ${retry.length} event(s) after a retryable per-event failure in ${delayMillis} ms`,
    );
    try {
      await sleep(delayMillis, signal, ctx.clock);
    } catch {
      outcome.failed.push(retryFailure(retry, retryReasons, attempt, signal));
      break;
    }
    ctx.stats.add('retried', retry.length);
    pending = retry;
  }
  const transient = outcome.failed.filter((group) => group.error !== permanentError);
  if (transient.length > 0) {
    const count = transient.reduce((sum, group) => sum + group.ids.length, 0);
    ctx.logger.error(
      `${count} audit event(s) not delivered: retryable failures ran out of attempts or time. ` +
        `First: ${transient[0]?.error.message ?? ''}`,
    );
  }
  return outcome;
}

function retryFailure(
  events: readonly PreparedEvent[],
  reasons: ReadonlyMap<string, string>,
  attempts: number,
  signal: AbortSignal,
): FailedGroup {
  const first = events[0] === undefined ? undefined : reasons.get(events[0].id);
  const why = signal.aborted
    ? `the export deadline passed (${describeError(abortReason(signal))})`
    : `${attempts} attempt(s)`;
  return {
    ids: events.map((event) => event.id),
    error: new CloudTrailLakeError(
      ERROR_CODES.RETRIES_EXHAUSTED,
      `${events.length} event(s) still failed with a retryable per-event error after ${why}; last: ${first ?? 'unknown'}`,
    ),
  };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
