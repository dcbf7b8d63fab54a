/**
 * The processor's engine, shared by the CloudTrailLakeLogRecordProcessor and the OTLP bridge: it takes
 * entries whose id and audit decision are already made, keeps them in the spool, batches them
 * (`maxExportBatchSize`, `scheduledDelayMillis`, up to `maxConcurrentExports` sends at once), sends
 * each batch through the pipeline and settles the spool and the ledger from the returned outcome.
 * Records the pipeline gave up on stay in the spool and are sent again with backoff while the process
 * lives. `forceFlush()` and `shutdown()` hold one deadline that covers queue, pipeline and transport.
 */
import type { DiagLogger } from '@opentelemetry/api';
import { CloudTrailLakeError, ERROR_CODES, MappingError } from '../errors.js';
import type { PreparedEvent } from '../mapping/audit-event.js';
import { messageOf } from '../pipeline/decide-entry.js';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import {
  outcomeIds,
  type PipelineEntry,
  type SendEntry,
  type SendOutcome,
} from '../pipeline/pipeline-entry.js';
import type { Spool, SpoolEntry } from '../spool/spool.js';
import { createSpoolRedelivery } from '../spool/spool-redelivery.js';
import { createDropWarning } from './drop-warning.js';
import { snapshotRecord } from './snapshot-record.js';
import { createLedger, type DropReason, type LedgerStats } from './ledger.js';
import { SETTLE_GRACE_MILLIS, withinDeadline } from './within-deadline.js';

export interface AuditDeliveryOptions {
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  /** Bounds one batch's send (the smaller of this and the exporter's `timeoutMillis` applies). */
  exportTimeoutMillis: number;
  maxQueueSize: number;
  maxConcurrentExports: number;
  redeliveryDelayMillis: number;
  droppedWarningIntervalMillis: number;
}

export interface AuditDelivery {
  /**
   * Takes one decided entry; false when it was dropped (counted with its reason). Never throws. With
   * `ready`, what the caller already made of the entry where it entered (the OTLP bridge maps and
   * validates each record on receipt, under its channel's mapping, to report invalid ones to its
   * client): it is queued as it is, without the copy and the second preparation.
   */
  take(entry: PipelineEntry, ready?: SendEntry): boolean;
  /** Counts a record that was rejected where it entered (its `filter` threw). */
  takeRejected(): void;
  /** Records taken and not yet accepted, rejected or dropped: what backpressure is computed from. */
  readonly pendingRecords: number;
  /** Records waiting for a batch (not yet in a send). */
  readonly queueSize: number;
  ledger(): LedgerStats;
  /** Sends everything queued and waits for every send, within the pipeline's `timeoutMillis`. */
  forceFlush(): Promise<void>;
  /**
   * Sends what is queued within `timeoutMillis` from now, then aborts what remains, closes the pipeline
   * and the spool. What a memory spool still holds then is counted `shutdown_deadline` (one warning).
   */
  shutdown(): Promise<void>;
}

/** Later passes wait up to this many times `redeliveryDelayMillis` while the service keeps failing. */
const REDELIVERY_MAX_DELAY_FACTOR = 8;

export function createAuditDelivery(init: {
  pipeline: Pipeline;
  spool: Spool;
  options: AuditDeliveryOptions;
  logger: DiagLogger;
  /** Closes the pipeline (the exporter's shutdown) at the end of `shutdown()`. */
  closePipeline: () => Promise<void>;
}): AuditDelivery {
  const { pipeline, spool, options, logger } = init;
  const { clock } = pipeline;
  const ledger = createLedger();
  const durable = spool.durable !== false;
  const keepsReleased = spool.takeReleased !== undefined;
  // Taken this turn, prepared on the next microtask (or by the next pump, whichever comes first); `ready`
  // when the caller prepared the entry where it entered (the bridge, to answer its client).
  const intake: Array<{ entry: PipelineEntry; ready?: SendEntry }> = [];
  const queue: SendEntry[] = [];
  const sends = new Set<Promise<void>>();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let due = false;
  let closed = false;
  let shutdownPromise: Promise<void> | undefined;
  const dropWarning = createDropWarning({
    logger,
    now: () => clock.now(),
    intervalMillis: options.droppedWarningIntervalMillis,
    maxQueueSize: options.maxQueueSize,
  });
  let flushDeadline: number | undefined;
  let inFlightRecords = 0;
  let finished = false;

  const redelivery = createSpoolRedelivery({
    spool,
    send: (entries) => send(entries),
    delayMillis: options.redeliveryDelayMillis,
    maxDelayMillis: options.redeliveryDelayMillis * REDELIVERY_MAX_DELAY_FACTOR,
    batchSize: options.maxExportBatchSize,
  });

  function drop(reason: DropReason, count: number): void {
    ledger.drop(reason, count);
    pipeline.stats.add('dropped', count, { 'error.type': reason });
    dropWarning.note(reason, count);
  }

  /** Records held in memory: all pending ones for a memory spool, the queue and sends for a durable one. */
  function held(): number {
    return durable ? intake.length + queue.length + inFlightRecords : ledger.pending;
  }

  function settle(outcome: SendOutcome): void {
    if (finished) return;
    const { settled, failed } = outcomeIds(outcome);
    try {
      spool.ack(settled);
      if (failed.length > 0) spool.release(failed);
    } catch (error) {
      logger.error('Settling the spool failed', error);
    }
    ledger.accept(outcome.accepted.length);
    ledger.reject(outcome.rejected.length);
    if (failed.length === 0) return;
    if (!keepsReleased) {
      drop('export_failed', failed.length);
      logger.error(`Dropped ${failed.length} audit record(s) the export gave up on: the spool keeps none`);
    } else if (!closed) redelivery.schedule();
  }

  /** Sends one batch through the pipeline and settles it. Never rejects. */
  function send(entries: readonly SendEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    let deadline = clock.now() + Math.min(options.exportTimeoutMillis, pipeline.timeoutMillis);
    if (flushDeadline !== undefined) deadline = Math.min(deadline, flushDeadline);
    inFlightRecords += entries.length;
    const task = pipeline
      .send(entries, { deadline, signal: stopping.signal })
      .then(settle)
      .catch((error: unknown) => logger.error('Settling a send failed (a bug)', error))
      .finally(() => {
        inFlightRecords -= entries.length;
        sends.delete(task);
        pump();
      });
    sends.add(task);
    return task;
  }

  /**
   * Keeps one entry in the spool. False when it was not kept: refused (full: dropped, counted) or the
   * spool threw (rejected with a typed error, not lost). Never throws.
   */
  function append(entry: PipelineEntry, prepared?: PreparedEvent): boolean {
    let kept: boolean | void;
    try {
      kept = spool.append(entry.id, entry.record, entry.route, prepared);
    } catch (error) {
      // The contract says append never throws; a record it cannot even store is rejected, not lost.
      ledger.reject(1);
      pipeline.reject(
        entry,
        new MappingError(entry.id, `the spool could not keep the record: ${messageOf(error)}`, {
          cause: error,
        }),
      );
      return false;
    }
    if (kept === false) {
      drop('spool_full', 1);
      return false;
    }
    return true;
  }

  /** The entry with its record as it is now; a record that cannot be copied is prepared (and rejected) as it is. */
  function snapshotEntry(entry: PipelineEntry): PipelineEntry {
    try {
      return { ...entry, record: snapshotRecord(entry.record) };
    } catch {
      return entry;
    }
  }

  /**
   * Prepares what `take` accepted since the last turn: maps, validates and serialises each record, so
   * that the queue and a memory spool keep only its compact event while the rate limit paces the sends,
   * not the SDK's log record (less for the young-generation GC to copy and promote). It runs on a
   * microtask after the emit() calls of the current turn, not inside them: emit() stays cheap.
   */
  function prepareIntake(): void {
    for (const { entry, ready: given } of intake.splice(0, intake.length)) {
      const ready = given ?? pipeline.prepare(entry);
      if (ready instanceof Error) {
        // Counted, reported and dead-lettered by the pipeline, as a send would have; settled here.
        ledger.reject(1);
        if (durable) spool.ack([entry.id]);
        continue;
      }
      if (!durable && !append(entry, ready.prepared)) continue;
      queue.push(ready);
    }
  }

  function pump(): void {
    if (intake.length > 0) prepareIntake();
    // Past the shutdown deadline nothing new starts: what is queued stays owed (or is counted dropped).
    if (stopping.signal.aborted) return;
    if (flushDeadline !== undefined && clock.now() >= flushDeadline) return;
    while (
      queue.length > 0 &&
      sends.size < options.maxConcurrentExports &&
      (due || queue.length >= options.maxExportBatchSize)
    ) {
      void send(queue.splice(0, options.maxExportBatchSize));
    }
    if (queue.length === 0) due = false;
    if (queue.length > 0 && timer === undefined && !due) {
      // Unref'd like the sdk batch processor's timer: a pending batch does not keep the process alive.
      timer = setTimeout(() => {
        timer = undefined;
        due = true;
        pump();
      }, options.scheduledDelayMillis).unref();
    }
  }

  /**
   * Sends all that is queued and waits for the sends. No send starts after `deadline`, and each one
   * gives up by it, so this returns soon after; a transport that ignores its abort signal is left behind
   * after SETTLE_GRACE_MILLIS more. True when nothing is left queued or in flight.
   */
  async function drainUntil(deadline: number): Promise<boolean> {
    flushDeadline = deadline;
    let graceTimer: NodeJS.Timeout | undefined;
    const passed = new Promise<false>((resolve) => {
      graceTimer = setTimeout(
        () => resolve(false),
        Math.max(0, deadline - clock.now()) + SETTLE_GRACE_MILLIS,
      );
    });
    const drained = (async (): Promise<boolean> => {
      for (;;) {
        due = true;
        pump();
        if (sends.size === 0) return queue.length === 0;
        await Promise.race([...sends]);
      }
    })();
    try {
      return await Promise.race([drained, passed]);
    } finally {
      clearTimeout(graceTimer);
      flushDeadline = undefined;
    }
  }

  async function replay(): Promise<void> {
    let entries: readonly SpoolEntry[];
    try {
      entries = await spool.replay();
    } catch (error) {
      logger.error('Reading the spool for replay failed; starting without its records', error);
      return;
    }
    if (entries.length === 0) return;
    logger.info(`Sending ${entries.length} audit record(s) left in the spool by an earlier run`);
    ledger.take(entries.length);
    for (let start = 0; start < entries.length; start += options.maxExportBatchSize) {
      queue.push(...entries.slice(start, start + options.maxExportBatchSize));
    }
    due = true;
    pump();
  }
  const replayed = replay();

  async function shutdown(): Promise<void> {
    const deadline = clock.now() + pipeline.timeoutMillis;
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    // One deadline for everything from here: sends in flight (a redelivery's too) are aborted at it.
    const abortTimer = setTimeout(
      () => stopping.abort(new CloudTrailLakeError(ERROR_CODES.SHUTDOWN, 'the shutdown deadline passed')),
      Math.max(0, deadline - clock.now()),
    );
    try {
      await replayed;
      await redelivery.stop();
      // Released records a memory spool holds go out with the rest, within the same deadline.
      if (keepsReleased) queue.push(...(spool.takeReleased?.(Number.MAX_SAFE_INTEGER) ?? []));
      let acceptedBefore = ledger.snapshot().accepted;
      await drainUntil(deadline);
      // What a send gave up on during the drain (a throttling storm outlasted its retries) gets more
      // tries while the deadline allows and the sends make progress, a redelivery delay apart; an
      // endpoint that accepts nothing (a wrong channel) ends the shutdown at once instead.
      while (keepsReleased && !stopping.signal.aborted && ledger.snapshot().accepted > acceptedBefore) {
        const waitMillis = Math.min(options.redeliveryDelayMillis, deadline - clock.now());
        if (waitMillis <= 0) break;
        const released = spool.takeReleased?.(Number.MAX_SAFE_INTEGER) ?? [];
        if (released.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, waitMillis));
        acceptedBefore = ledger.snapshot().accepted;
        queue.push(...released);
        await drainUntil(deadline);
      }
    } finally {
      clearTimeout(abortTimer);
    }
    // A send that outlived the grace (a transport that ignores its abort signal) no longer moves the ledger.
    finished = true;
    const owed = ledger.pending;
    if (owed > 0 && !durable) {
      drop('shutdown_deadline', owed);
      logger.warn(
        `Shutdown deadline (${pipeline.timeoutMillis} ms) passed: dropped ${owed} audit record(s) not yet ` +
          'delivered (shutdown_deadline); use a file spool to keep them for the next start',
      );
    } else if (owed > 0) {
      logger.warn(`Shutdown left ${owed} audit record(s) in the spool; they are sent at the next start`);
    }
    queue.length = 0;
    await withinDeadline(init.closePipeline(), deadline + SETTLE_GRACE_MILLIS, logger);
    try {
      await spool.close();
    } catch (error) {
      logger.error('Closing the spool failed', error);
    }
  }

  return {
    take(entry, ready) {
      if (closed) {
        ledger.take(1);
        drop('after_shutdown', 1);
        return false;
      }
      if (held() >= options.maxQueueSize) {
        ledger.take(1);
        drop('queue_full', 1);
        return false;
      }
      ledger.take(1);
      // A durable spool has the record before emit() returns, so a crash right after it loses nothing.
      if (durable && !append(entry)) return false;
      // What the caller already prepared needs no copy: it no longer reads the record.
      intake.push(ready === undefined ? { entry: snapshotEntry(entry) } : { entry, ready });
      if (intake.length === 1) queueMicrotask(pump);
      return true;
    },
    takeRejected() {
      ledger.take(1);
      ledger.reject(1);
    },
    get pendingRecords() {
      return ledger.pending;
    },
    get queueSize() {
      return intake.length + queue.length;
    },
    ledger: () => ledger.snapshot(),
    async forceFlush() {
      await replayed;
      await drainUntil(clock.now() + pipeline.timeoutMillis);
    },
    shutdown() {
      shutdownPromise ??= shutdown();
      return shutdownPromise;
    },
  };
}
