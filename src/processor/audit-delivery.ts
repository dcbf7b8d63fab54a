/**
 * The processor's engine, shared by the CloudTrailLakeLogRecordProcessor and the OTLP bridge: it takes
 * entries whose id and audit decision are already made, keeps them in the spool, batches them
 * (`maxExportBatchSize`, `scheduledDelayMillis`, up to `maxConcurrentExports` sends at once), sends
 * each batch through the pipeline and settles the spool and the ledger from the returned outcome.
 * Records the pipeline gave up on stay in the spool and are sent again with backoff while the process
 * lives. `forceFlush()` and `shutdown()` hold one deadline that covers queue, pipeline and transport.
 */
import type { DiagLogger } from '@opentelemetry/api';
import { CloudTrailLakeError, ERROR_CODES } from '../errors.js';
import type { Pipeline } from '../pipeline/create-pipeline.js';
import { outcomeIds, type PipelineEntry, type SendOutcome } from '../pipeline/pipeline-entry.js';
import type { Spool, SpoolEntry } from '../spool/spool.js';
import { createSpoolRedelivery } from '../spool/spool-redelivery.js';
import { createLedger, type DropReason, type LedgerStats } from './ledger.js';

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
  /** Takes one decided entry; false when it was dropped (counted with its reason). Never throws. */
  take(entry: PipelineEntry): boolean;
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
  const queue: PipelineEntry[] = [];
  const sends = new Set<Promise<void>>();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let due = false;
  let closed = false;
  let shutdownPromise: Promise<void> | undefined;
  let droppedSinceWarning = 0;
  let lastDropWarningMillis = Number.NEGATIVE_INFINITY;
  let flushDeadline: number | undefined;
  let inFlightRecords = 0;

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
    // A full spool warns on its own (it knows its bytes); the shutdown drops get one warning at the end.
    if (reason !== 'queue_full' && reason !== 'after_shutdown') return;
    droppedSinceWarning += count;
    const now = clock.now();
    if (now - lastDropWarningMillis < options.droppedWarningIntervalMillis) return;
    logger.warn(
      reason === 'queue_full'
        ? `Queue full (maxQueueSize ${options.maxQueueSize}): dropped ${droppedSinceWarning} audit record(s) ` +
            'since the last warning; raise maxQueueSize or maxRequestsPerSecond, or check why exports are slow'
        : `Dropped ${droppedSinceWarning} audit record(s) emitted after shutdown() began (after_shutdown)`,
    );
    lastDropWarningMillis = now;
    droppedSinceWarning = 0;
  }

  /** Records held in memory: all pending ones for a memory spool, the queue and sends for a durable one. */
  function held(): number {
    return durable ? queue.length + inFlightRecords : ledger.pending;
  }

  function settle(outcome: SendOutcome): void {
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
  function send(entries: readonly PipelineEntry[]): Promise<void> {
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

  function pump(): void {
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

  /** Sends all that is queued, and waits until nothing is queued or in flight, or `deadline` passes. */
  async function drainUntil(deadline: number): Promise<boolean> {
    flushDeadline = deadline;
    let deadlineTimer: NodeJS.Timeout | undefined;
    const passed = new Promise<false>((resolve) => {
      deadlineTimer = setTimeout(() => resolve(false), Math.max(0, deadline - clock.now()));
    });
    const drained = (async (): Promise<true> => {
      while (queue.length > 0 || sends.size > 0) {
        due = true;
        pump();
        await Promise.race([...sends]);
      }
      return true;
    })();
    try {
      return await Promise.race([drained, passed]);
    } finally {
      clearTimeout(deadlineTimer);
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
    await replayed;
    await redelivery.stop();
    // Released records a memory spool holds go out with the rest, within the same deadline.
    if (keepsReleased) queue.push(...(spool.takeReleased?.(Number.MAX_SAFE_INTEGER) ?? []));
    const drained = await drainUntil(deadline);
    if (!drained) {
      stopping.abort(new CloudTrailLakeError(ERROR_CODES.SHUTDOWN, 'the shutdown deadline passed'));
      // Aborted sends settle at once; the rest of the queue is never started.
      await Promise.allSettled([...sends]);
    }
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
    await withinDeadline(init.closePipeline(), deadline, logger);
    try {
      await spool.close();
    } catch (error) {
      logger.error('Closing the spool failed', error);
    }
  }

  return {
    take(entry) {
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
      let kept: boolean | void;
      try {
        kept = spool.append(entry.id, entry.record);
      } catch (error) {
        logger.error('The spool failed to keep a record', error);
        kept = false;
      }
      ledger.take(1);
      if (kept === false) {
        drop('spool_full', 1);
        return false;
      }
      queue.push(entry);
      pump();
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
      return queue.length;
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

/** Waits for `task` until `deadline` at most; a task still running then is left behind, logged. */
async function withinDeadline(task: Promise<void>, deadline: number, logger: DiagLogger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<'passed'>((resolve) => {
    // A small grace for closing sockets after the sends were aborted.
    timer = setTimeout(() => resolve('passed'), Math.max(0, deadline - Date.now()) + CLOSE_GRACE_MILLIS);
  });
  try {
    const result = await Promise.race([task.then(() => 'done' as const), passed]);
    if (result === 'passed') logger.warn('Closing the exporter did not finish within the shutdown deadline');
  } catch (error) {
    logger.error('Closing the exporter failed', error);
  } finally {
    clearTimeout(timer);
  }
}

/** Time allowed past the deadline for closing the transport once every send was aborted. */
const CLOSE_GRACE_MILLIS = 100;
