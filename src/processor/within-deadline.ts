/**
 * Bounded waiting for shutdown: whatever the endpoint or a plug-in does, `shutdown()` returns by its
 * deadline plus a stated margin.
 */
import type { DiagLogger } from '@opentelemetry/api';

/**
 * Time allowed past a flush or shutdown deadline for aborted sends to settle and the transport to close:
 * the margin on top of `timeoutMillis`. Measured well under half of it with 10,000 records queued
 * against an endpoint that never answers.
 */
export const SETTLE_GRACE_MILLIS = 1_000;

/** Waits for `task` until `deadline` (epoch ms) at most; a task still running then is left behind, logged. */
export async function withinDeadline(
  task: Promise<void>,
  deadline: number,
  logger: DiagLogger,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<'passed'>((resolve) => {
    timer = setTimeout(() => resolve('passed'), Math.max(0, deadline - Date.now()));
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
