/**
 * The one path every permanent rejection takes: local validation, events too large for a request, and
 * per-event refusals from the service. A dead-letter sink joins here later as one more listener.
 */
import type { Attributes, DiagLogger } from '@opentelemetry/api';
import type { EventRejection } from '../errors.js';
import type { StatsRecorder } from './export-stats.js';

/** Called with the rejections of one export. Must not throw; if it does, the error is logged and ignored. */
export type OnRejected = (rejections: readonly EventRejection[]) => void;

export interface RejectionReporter {
  /** Counts (with `attributes`, e.g. the channel), logs and hands `rejections` to every listener. Never throws. */
  report(rejections: readonly EventRejection[], attributes?: Attributes): void;
  /** Adds a listener (e.g. a dead-letter sink); returns a function that removes it. */
  addListener(listener: OnRejected): () => void;
}

export function createRejectionReporter(init: {
  stats: StatsRecorder;
  logger: DiagLogger;
  onRejected?: OnRejected | undefined;
}): RejectionReporter {
  const listeners = new Set<OnRejected>();
  if (init.onRejected !== undefined) listeners.add(init.onRejected);
  return {
    report(rejections, attributes) {
      if (rejections.length === 0) return;
      const byCode = new Map<string, number>();
      for (const rejection of rejections) {
        byCode.set(rejection.code, (byCode.get(rejection.code) ?? 0) + 1);
        init.stats.add('rejected', 1, {
          ...attributes,
          'error.type': rejection.code,
          'error.permanent': true,
        });
      }
      const summary = [...byCode].map(([code, count]) => `${count} ${code}`).join(', ');
      const first = rejections[0]?.message ?? '';
      // One line per export, not per event: a bad deployment can reject thousands a second.
      init.logger.error(
        `Dropping ${rejections.length} audit event(s) rejected for good (${summary}); not retried. First: ${first}`,
      );
      for (const listener of listeners) {
        try {
          listener(rejections);
        } catch (error) {
          init.logger.error('onRejected threw; ignoring it so the export goes on', error);
        }
      }
    },
    addListener(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
