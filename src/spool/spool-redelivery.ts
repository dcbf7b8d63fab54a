/**
 * Sends again, while the process runs, the records a durable spool kept after the exporter gave up on
 * them (an outage longer than the retry budget, a deadline). Without it they would wait for the next
 * start; with it an outage of any length ends with everything delivered. One pass at a time, after a
 * delay, in processor-sized batches, so a service that is still down sees a trickle, not a flood. While
 * passes keep failing the delay grows by the same backoff rule as request retries (exponential, up to
 * `maxDelayMillis`), and a pass that delivers resets it.
 */
import { backoffBoundMillis } from '../transport/retrying-transport.js';
import type { Spool, SpoolEntry } from './spool.js';

export interface SpoolRedelivery {
  /** Plans a pass after the delay, unless one is planned or running. */
  schedule(): void;
  /** Cancels the plan and waits for a running pass. Later `schedule()` calls do nothing. */
  stop(): Promise<void>;
}

export function createSpoolRedelivery(init: {
  spool: Spool;
  /** Exports `entries` and resolves once the export settled (acked or released through the spool). */
  send(entries: readonly SpoolEntry[]): Promise<void>;
  /** The wait before the first pass after a failure. */
  delayMillis: number;
  /** The longest wait between failing passes. @default delayMillis (no growth) */
  maxDelayMillis?: number;
  batchSize: number;
}): SpoolRedelivery {
  const policy = {
    maxAttempts: Number.POSITIVE_INFINITY,
    initialBackoffMillis: init.delayMillis,
    maxBackoffMillis: Math.max(init.delayMillis, init.maxDelayMillis ?? init.delayMillis),
    multiplier: 2,
  };
  // Passes in a row whose records came back released: the service is still failing.
  let failedPasses = 0;
  const { spool } = init;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  // Set before the pass starts, so a release that happens synchronously inside `send` already sees it.
  let passing = false;
  let stopped = false;
  let again = false;

  async function pass(): Promise<void> {
    for (;;) {
      // Records released while this pass ran (the service is still failing) wait for the next delay:
      // taking them back at once would loop at the rate limit against a service that is down.
      if (stopped || again) return;
      const entries = spool.takeReleased?.(init.batchSize) ?? [];
      if (entries.length === 0) return;
      await init.send(entries);
    }
  }

  function start(): void {
    timer = undefined;
    if (stopped) return;
    passing = true;
    running = pass().finally(() => {
      passing = false;
      running = undefined;
      // Records released during this pass wait for the next delay instead of looping at once.
      if (again) {
        again = false;
        failedPasses += 1;
        schedule();
      } else failedPasses = 0;
    });
  }

  function schedule(): void {
    if (stopped || spool.takeReleased === undefined) return;
    if (passing) {
      again = true;
      return;
    }
    // Unref'd like the batch processor's timer: an idle app may exit (a durable spool keeps the records).
    timer ??= setTimeout(start, backoffBoundMillis(policy, failedPasses + 1)).unref();
  }

  return {
    schedule,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
