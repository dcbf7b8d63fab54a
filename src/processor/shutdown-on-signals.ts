/**
 * Flush on SIGTERM/SIGINT. Neither sdk-logs nor sdk-node installs signal handlers, and the batch
 * processor's timer is unref'd, so a container stop loses whatever is queued unless someone shuts down.
 * After the flush the signal takes its default course (the process exits with it) unless the
 * application listens for the same signal, in which case exiting is left to the application.
 */
import type { DiagLogger } from '@opentelemetry/api';

/** Installs one-shot handlers for `signals` that run `shutdown()`; returns a function that removes them. */
export function shutdownOnSignals(
  signals: readonly NodeJS.Signals[],
  shutdown: () => Promise<void>,
  logger: DiagLogger,
): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const uninstall = (): void => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };
  for (const signal of signals) {
    const handler = (): void => {
      uninstall();
      logger.info(`Received ${signal}: flushing audit records before exit`);
      void shutdown()
        .catch((error: unknown) => logger.error(`Flush on ${signal} failed`, error))
        .finally(() => {
          // Re-raise only when nobody else handles the signal, so the default action (exit) applies.
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return uninstall;
}
