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
import {
  CloudTrailLakeError,
  ERROR_CODES,
  RoutingError,
  TimeoutError,
  type EventRejection,
} from '../errors.js';
import { systemClock, type Clock } from '../internal/clock.js';
import { componentLogger } from '../internal/diag.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import { compactEvent, WaitingEntry } from '../mapping/waiting-entry.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type { ResolvedExporterOptions } from '../options.js';
import type { PrepareOptions } from '../prepare-audit-events.js';
import { buildReceipts } from '../receipts/build-receipts.js';
import { openReceiptFile, type ReceiptFile } from '../receipts/receipt-file.js';
import { backoffMillis, resolveRetryOptions } from '../transport/retrying-transport.js';
import type { Transport } from '../transport/transport.js';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import type { ChannelDestination } from './channel-destination.js';
import { rejectChannelRefusals } from './channel-refusal.js';
import { createChannelTransports, type ChannelLane } from './channel-transports.js';
import { decideEntry, type EntryDecision } from './decide-entry.js';
import { groupByChannel } from './group-by-channel.js';
import { CHANNEL_ATTRIBUTE, createStatsRecorder, labelledStats, type StatsRecorder } from './export-stats.js';
import type { PipelineEntry, SendEntry, SendOptions, SendOutcome } from './pipeline-entry.js';
import { mapEntries, mapEntry } from './map-entries.js';
import { createRejectionReporter } from './report-rejections.js';
import { sendEvents } from './send-events.js';
import { settleStragglers } from './settle-stragglers.js';

const logger = componentLogger('CloudTrailLakeLogExporter');

export interface Pipeline {
  /**
   * Decides a record where it enters: skipped (counted), an entry under its event id, or rejected
   * because `filter` threw (counted, reported and dead-lettered here). Never throws.
   */
  decide(record: AuditLogRecord): EntryDecision;
  /**
   * Maps, validates and serialises a decided entry soon after it enters, so that what waits for a send holds
   * only the event: the prepared entry, or the rejection (counted, reported and dead-lettered here, as a
   * send would). An entry whose channel cannot be used comes back as it is: its send rejects it. The
   * entry's id is the one `decide` (or `decideEventId`) made, so it is not checked again. Never throws.
   */
  prepare(entry: PipelineEntry): SendEntry | EventRejection;
  /**
   * What `prepare` does, at `nowMillis`, without counting or reporting a rejection: for a caller that
   * reports rejections itself (the OTLP bridge answers them to its client). Never throws.
   */
  readonly map: (entry: PipelineEntry, nowMillis: number) => SendEntry | EventRejection;
  /** Counts, reports and dead-letters a rejection decided outside a send. Never throws. */
  reject(entry: PipelineEntry, error: EventRejection): void;
  /** Sends `entries`; every id comes back with exactly one fate. Never throws, never rejects. */
  send(entries: readonly SendEntry[], options: SendOptions): Promise<SendOutcome>;
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
  transport?: Transport,
): Pipeline {
  const stats = createStatsRecorder(options.meterProvider);
  const rejections = createRejectionReporter({ stats, logger, onRejected: options.onRejected });
  const deadLetters: DeadLetterSink | undefined =
    options.deadLetter === undefined
      ? undefined
      : createDeadLetterSink(options.deadLetter, options.meterProvider);
  const receipts: ReceiptFile | undefined =
    options.receipts === undefined ? undefined : openReceiptFile(options.receipts);
  const transports = createChannelTransports(options, clock, transport);
  const limiter = createConcurrencyLimiter(options.maxConcurrentRequests);
  const retry = resolveRetryOptions(options.retry);
  const closing = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const filter = options.mapping.filter;

  /** Counts, logs and dead-letters permanent rejections, labelled with their channel. Never throws. */
  function reject(
    rejected: readonly EventRejection[],
    entries: readonly SendEntry[],
    events: ReadonlyMap<string, PreparedEvent>,
    channelArn?: string,
    mapping: PrepareOptions = options.mapping,
  ): void {
    if (rejected.length === 0) return;
    try {
      rejections.report(rejected, channelArn === undefined ? undefined : { [CHANNEL_ATTRIBUTE]: channelArn });
      if (deadLetters !== undefined) {
        // A prepared entry's dead letter is its prepared eventData (in `events`); a record is mapped again.
        const withRecords = entries.filter((entry): entry is PipelineEntry => entry.record !== undefined);
        deadLetters.write(
          buildDeadLetters(rejected, {
            entries: withRecords,
            events,
            mapping,
            nowMillis: clock.now(),
            channelArn,
          }),
        );
      }
    } catch (error) {
      logger.error(`Reporting ${rejected.length} rejected audit event(s) failed`, error);
    }
  }

  /** Receipts of what the Lake accepted; a write failure is loud but takes nothing back from the Lake. */
  function writeReceipts(
    outcome: SendOutcome,
    events: ReadonlyMap<string, PreparedEvent>,
    channelArn: string,
  ): void {
    if (receipts === undefined || outcome.accepted.length === 0) return;
    try {
      const at = new Date(clock.now()).toISOString();
      receipts.append(buildReceipts(outcome.accepted, events, channelArn, at));
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
    lane: { transport: Transport; stats: StatsRecorder },
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
        transport: lane.transport,
        limiter,
        stats: lane.stats,
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

  /**
   * Sends the entries of one channel in requests of their own, with the channel's own error state, and
   * writes its counters, dead letters and receipts labelled with the channel.
   */
  async function sendToChannel(
    destination: ChannelDestination | undefined,
    entries: readonly SendEntry[],
    sendOptions: SendOptions,
  ): Promise<SendOutcome> {
    const outcome: SendOutcome = { accepted: [], rejected: [], failed: [] };
    const lane = transports.lane(destination);
    if (!('channel' in lane)) {
      // Fail closed: a record whose channel cannot be used is rejected, never sent elsewhere.
      outcome.rejected = entries.map((entry) => new RoutingError(entry.id, lane.field, lane.message));
      reject(outcome.rejected, entries, new Map());
      return outcome;
    }
    const channelArn = lane.channel.arn;
    const channelStats = labelledStats(stats, { [CHANNEL_ATTRIBUTE]: channelArn });
    const mapping = laneMapping(lane);
    let events: readonly PreparedEvent[] = [];
    try {
      const prepared = mapEntries(entries, mapping, clock.now());
      events = prepared.events;
      outcome.rejected.push(...prepared.rejections);
      if (events.length > 0) {
        const sent = await transmit(events, sendOptions, { transport: lane.transport, stats: channelStats });
        outcome.accepted.push(...sent.accepted);
        outcome.rejected.push(...sent.rejected);
        outcome.failed.push(...sent.failed);
      }
    } catch (error) {
      logger.error('Unexpected error while sending audit events (a bug); they stay owed', error);
    }
    if (lane.routed) rejectChannelRefusals(outcome, channelArn);
    settleStragglers(entries, outcome);
    channelStats.add('exported', outcome.accepted.length);
    for (const group of outcome.failed) {
      const code = group.error instanceof CloudTrailLakeError ? group.error.code : 'Error';
      channelStats.add('failed', group.ids.length, { 'error.type': code, 'error.permanent': false });
    }
    const byId = new Map(events.map((event) => [event.id, event]));
    reject(outcome.rejected, entries, byId, channelArn, mapping);
    writeReceipts(outcome, byId, channelArn);
    return outcome;
  }

  /**
   * The mapping of a lane's events. CloudTrail Lake requires recipientAccountId to be the account that
   * owns the channel (https://docs.aws.amazon.com/awscloudtraildata/latest/APIReference/API_PutAuditEvents.html),
   * so a routed channel's events carry its owner's account.
   */
  function laneMapping(lane: ChannelLane): PrepareOptions {
    return lane.routed && lane.channel.accountId !== undefined
      ? { ...options.mapping, recipientAccountId: lane.channel.accountId }
      : options.mapping;
  }

  async function sendOnce(entries: readonly SendEntry[], sendOptions: SendOptions): Promise<SendOutcome> {
    const outcome: SendOutcome = { accepted: [], rejected: [], failed: [] };
    // Events for different channels never share a request: one send per channel, all at once.
    const lanes = [...groupByChannel(entries).values()];
    const outcomes = await Promise.all(
      lanes.map((lane) => sendToChannel(lane.destination, lane.entries, sendOptions)),
    );
    for (const one of outcomes) {
      outcome.accepted.push(...one.accepted);
      outcome.rejected.push(...one.rejected);
      outcome.failed.push(...one.failed);
    }
    const failed = outcome.failed.reduce((sum, group) => sum + group.ids.length, 0);
    logger.debug(
      `Sent ${entries.length} audit record(s): ${outcome.accepted.length} accepted, ` +
        `${outcome.rejected.length} rejected, ${failed} failed` +
        (lanes.length > 1 ? `, to ${lanes.length} channels` : ''),
    );
    return outcome;
  }

  function map(entry: PipelineEntry, nowMillis: number): SendEntry | EventRejection {
    const lane = transports.lane(entry.route);
    if (!('channel' in lane)) return entry;
    // The id was decided where the record entered (decideEventId: a checked id or a UUID); checking
    // it again was 2% of the CPU at 200-byte events in the end-to-end size sweep's profile.
    const result = mapEntry(entry, laneMapping(lane), nowMillis);
    if (result instanceof Error) return result;
    const prepared = compactEvent(result);
    if (entry.route !== undefined) return { id: entry.id, prepared, route: entry.route };
    // A waiting event is its own entry: one object less per record waiting in the queue.
    return prepared instanceof WaitingEntry ? prepared : { id: entry.id, prepared };
  }

  return {
    decide(record) {
      const decision = decideEntry(record, filter, randomUUID, options.route);
      if (decision.kind === 'skip') stats.add('skipped', 1);
      else if (decision.kind === 'rejected') reject([decision.error], [decision.entry], new Map());
      return decision;
    },
    map,
    prepare(entry) {
      const ready = map(entry, clock.now());
      if (ready instanceof Error) {
        // map found the lane, or it would have returned the entry as it is.
        const lane = transports.lane(entry.route) as ChannelLane;
        reject([ready], [entry], new Map(), lane.channel.arn, laneMapping(lane));
      }
      return ready;
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
        await transports.shutdown();
      } catch (error) {
        logger.warn('Closing the transport failed', error);
      }
      deadLetters?.close();
      receipts?.close();
    },
  };
}
