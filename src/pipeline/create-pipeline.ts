/**
 * The one send pipeline every way in shares: the exporter's `export()`, the processor, the OTLP bridge
 * and the CLI's `send`. `send(entries, { deadline, signal })` prepares each entry (pure, never throws),
 * packs the events into requests, sends them through the transport (rate limit, retries, HTTP or a
 * plug-in) and returns an outcome that gives every id exactly one fate. Counters, rejection reports and
 * dead letters are written here, from that outcome; the caller settles its own state (spool, ledger)
 * from the same outcome. Nothing calls back into the caller.
 */
import { randomUUID } from 'node:crypto';
import type { MeterProvider } from '@opentelemetry/api';
import { splitIntoRequests } from '../batch/split-into-requests.js';
import { buildDeadLetters } from '../dead-letter/build-dead-letters.js';
import { createDeadLetterSink, type DeadLetterSink } from '../dead-letter/dead-letter-sink.js';
import { CloudTrailLakeError, ERROR_CODES, TimeoutError, type EventRejection } from '../errors.js';
import { systemClock, type Clock } from '../internal/clock.js';
import { componentLogger } from '../internal/diag.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ResolvedExporterOptions } from '../options.js';
import { buildReceipts } from '../receipts/build-receipts.js';
import { openReceiptFile, type ReceiptFile } from '../receipts/receipt-file.js';
import { backoffMillis, resolveRetryOptions } from '../transport/retrying-transport.js';
import type { Transport } from '../transport/transport.js';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import { createExporterTransport } from './create-exporter-transport.js';
import { decideEntry, type EntryDecision } from './decide-entry.js';
import { createStatsRecorder, type StatsRecorder } from './export-stats.js';
import type { PipelineEntry, SendOptions, SendOutcome } from './pipeline-entry.js';
import { prepareEntries } from './prepare-entries.js';
import { createRejectionReporter } from './report-rejections.js';
import { sendEvents } from './send-events.js';

const logger = componentLogger('CloudTrailLakeLogExporter');

export interface Pipeline {
  /**
   * Decides a record where it enters: skipped (counted), an entry under its event id, or rejected
   * because `filter` threw (counted, reported and dead-lettered here). Never throws.
   */
  decide(record: AuditLogRecord): EntryDecision;
  /** Counts, reports and dead-letters a rejection decided outside a send. Never throws. */
  reject(entry: PipelineEntry, error: EventRejection): void;
  /** Sends `entries`; every id comes back with exactly one fate. Never throws, never rejects. */
  send(entries: readonly PipelineEntry[], options: SendOptions): Promise<SendOutcome>;
  /** The counters every send writes (the processor adds its drops here too). */
  readonly stats: StatsRecorder;
  /** The resolved `timeoutMillis`: the longest a send may take, and the default deadline of a flush. */
  readonly timeoutMillis: number;
  readonly meterProvider: MeterProvider | undefined;
  readonly clock: Clock;
  /** The mapping options every send prepares with (the processor sizes what its spool keeps by them). */
  readonly mapping: ResolvedExporterOptions['mapping'];
  /** Dead letters written so far (0 without a `deadLetter` option). */
  deadLettered(): number;
  /** Resolves once every send started so far has its outcome. Never rejects. */
  flush(): Promise<void>;
  /** Aborts sends still running with `CTL_ERR_SHUTDOWN`, waits for their outcomes, closes the transport. */
  close(): Promise<void>;
}

export function createPipeline(
  options: ResolvedExporterOptions,
  clock: Clock = systemClock,
  transport: Transport = createExporterTransport(options, clock),
): Pipeline {
  const stats = createStatsRecorder(options.meterProvider);
  const rejections = createRejectionReporter({ stats, logger, onRejected: options.onRejected });
  const deadLetters: DeadLetterSink | undefined =
    options.deadLetter === undefined
      ? undefined
      : createDeadLetterSink(options.deadLetter, options.meterProvider);
  const receipts: ReceiptFile | undefined =
    options.receipts === undefined ? undefined : openReceiptFile(options.receipts);
  const limiter = createConcurrencyLimiter(options.maxConcurrentRequests);
  const retry = resolveRetryOptions(options.retry);
  const closing = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const filter = options.mapping.filter;

  /** Counts, logs and dead-letters permanent rejections. Never throws. */
  function reject(
    rejected: readonly EventRejection[],
    entries: readonly PipelineEntry[],
    events: ReadonlyMap<string, PreparedEvent>,
  ): void {
    if (rejected.length === 0) return;
    try {
      rejections.report(rejected);
      deadLetters?.write(
        buildDeadLetters(rejected, { entries, events, mapping: options.mapping, nowMillis: clock.now() }),
      );
    } catch (error) {
      logger.error(`Reporting ${rejected.length} rejected audit event(s) failed`, error);
    }
  }

  /** Receipts of what the Lake accepted; a write failure is loud but takes nothing back from the Lake. */
  function writeReceipts(outcome: SendOutcome, events: ReadonlyMap<string, PreparedEvent>): void {
    if (receipts === undefined || outcome.accepted.length === 0) return;
    try {
      const at = new Date(clock.now()).toISOString();
      receipts.append(buildReceipts(outcome.accepted, events, options.channel.arn, at));
    } catch (error) {
      logger.error(
        `Writing ${outcome.accepted.length} delivery receipt(s) failed; the events were accepted`,
        error,
      );
    }
  }

  async function transmit(
    events: readonly PreparedEvent[],
    { deadline, signal }: SendOptions,
  ): Promise<SendOutcome> {
    const controller = new AbortController();
    const timeoutMillis = Math.max(0, deadline - clock.now());
    const timer = clock.setTimeout(() => {
      controller.abort(new TimeoutError(`the send deadline of ${timeoutMillis} ms passed`, timeoutMillis));
    }, timeoutMillis);
    const onAbort = (source: AbortSignal) => () => controller.abort(source.reason);
    const abortOnSignal = signal === undefined ? undefined : onAbort(signal);
    const abortOnClose = onAbort(closing.signal);
    if (signal?.aborted === true) controller.abort(signal.reason);
    if (closing.signal.aborted) controller.abort(closing.signal.reason);
    signal?.addEventListener('abort', abortOnSignal!, { once: true });
    closing.signal.addEventListener('abort', abortOnClose, { once: true });
    try {
      return await sendEvents(events, controller.signal, {
        transport,
        limiter,
        stats,
        logger,
        clock,
        deadline,
        pack: (pending) =>
          splitIntoRequests(pending, {
            maxEventsPerRequest: options.maxEventsPerRequest,
            maxRequestBytes: options.maxRequestBytes,
          }),
        maxEventAttempts: retry.maxAttempts,
        // The same rule as whole-request retries.
        backoffMillis: (attempt) => backoffMillis(retry, attempt),
      });
    } finally {
      clock.clearTimeout(timer);
      if (abortOnSignal !== undefined) signal?.removeEventListener('abort', abortOnSignal);
      closing.signal.removeEventListener('abort', abortOnClose);
    }
  }

  async function sendOnce(entries: readonly PipelineEntry[], sendOptions: SendOptions): Promise<SendOutcome> {
    const outcome: SendOutcome = { accepted: [], rejected: [], failed: [] };
    let events: readonly PreparedEvent[] = [];
    try {
      const prepared = prepareEntries(entries, options.mapping, clock.now());
      events = prepared.events;
      outcome.rejected.push(...prepared.rejections);
      if (events.length > 0) {
        const sent = await transmit(events, sendOptions);
        outcome.accepted.push(...sent.accepted);
        outcome.rejected.push(...sent.rejected);
        outcome.failed.push(...sent.failed);
      }
    } catch (error) {
      logger.error('Unexpected error while sending audit events (a bug); they stay owed', error);
    }
    settleStragglers(entries, outcome);
    stats.add('exported', outcome.accepted.length);
    for (const group of outcome.failed) {
      const code = group.error instanceof CloudTrailLakeError ? group.error.code : 'Error';
      stats.add('failed', group.ids.length, { 'error.type': code, 'error.permanent': false });
    }
    const byId = new Map(events.map((event) => [event.id, event]));
    reject(outcome.rejected, entries, byId);
    writeReceipts(outcome, byId);
    const failed = outcome.failed.reduce((sum, group) => sum + group.ids.length, 0);
    logger.debug(
      `Sent ${entries.length} audit record(s): ${outcome.accepted.length} accepted, ` +
        `${outcome.rejected.length} rejected, ${failed} failed`,
    );
    return outcome;
  }

  return {
    decide(record) {
      const decision = decideEntry(record, filter, randomUUID);
      if (decision.kind === 'skip') stats.add('skipped', 1);
      else if (decision.kind === 'rejected') reject([decision.error], [decision.entry], new Map());
      return decision;
    },
    reject: (entry, error) => reject([error], [entry], new Map()),
    send(entries, sendOptions) {
      const task = sendOnce(entries, sendOptions);
      inFlight.add(task);
      void task.finally(() => inFlight.delete(task));
      return task;
    },
    stats,
    timeoutMillis: options.timeoutMillis,
    meterProvider: options.meterProvider,
    clock,
    mapping: options.mapping,
    deadLettered: () => deadLetters?.written ?? 0,
    async flush() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      closing.abort(new CloudTrailLakeError(ERROR_CODES.SHUTDOWN, 'the exporter was shut down'));
      await this.flush();
      try {
        await transport.shutdown();
      } catch (error) {
        logger.warn('Closing the transport failed', error);
      }
      deadLetters?.close();
      receipts?.close();
    },
  };
}

/**
 * Gives every entry the outcome does not mention (an unexpected throw, a transport that broke its
 * contract) the fate `failed`, and drops a second mention of an id, so each id has exactly one fate.
 */
function settleStragglers(entries: readonly PipelineEntry[], outcome: SendOutcome): void {
  const seen = new Set<string>();
  const once = (id: string): boolean => !seen.has(id) && seen.add(id) !== undefined;
  outcome.accepted = outcome.accepted.filter((event) => once(event.id));
  outcome.rejected = outcome.rejected.filter((rejection) => once(rejection.eventId));
  outcome.failed = outcome.failed
    .map((group) => ({ ids: group.ids.filter(once), error: group.error }))
    .filter((group) => group.ids.length > 0);
  const missing = entries.map((entry) => entry.id).filter(once);
  if (missing.length > 0) {
    outcome.failed.push({
      ids: missing,
      error: new CloudTrailLakeError(
        ERROR_CODES.BUG,
        `${missing.length} audit event(s) got no result from the send (a bug); they stay owed`,
      ),
    });
  }
}
