/**
 * Warnings for records dropped while the application emits: at most one per interval, with the count
 * since the last one, so a full queue under load does not flood the log. A full spool warns on its own
 * (it knows its bytes); drops at the shutdown deadline get one warning from the shutdown itself.
 */
import type { DiagLogger } from '@opentelemetry/api';
import type { DropReason } from './ledger.js';

export interface DropWarning {
  note(reason: DropReason, count: number): void;
}

export function createDropWarning(init: {
  logger: DiagLogger;
  now: () => number;
  intervalMillis: number;
  maxQueueSize: number;
}): DropWarning {
  let since = 0;
  let lastMillis = Number.NEGATIVE_INFINITY;
  return {
    note(reason, count) {
      if (reason !== 'queue_full' && reason !== 'after_shutdown') return;
      since += count;
      const now = init.now();
      if (now - lastMillis < init.intervalMillis) return;
      init.logger.warn(
        reason === 'queue_full'
          ? `Queue full (maxQueueSize ${init.maxQueueSize}): dropped ${since} audit record(s) since the last ` +
              'warning; raise maxQueueSize or maxRequestsPerSecond, or check why exports are slow'
          : `Dropped ${since} audit record(s) emitted after shutdown() began (after_shutdown)`,
      );
      lastMillis = now;
      since = 0;
    },
  };
}
