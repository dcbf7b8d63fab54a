/**
 * A counting semaphore shared by all exports of one exporter, so that overlapping `export()` calls
 * (the batch processor starts a new one when an old one passes its timeout) together keep at most
 * `maxConcurrentRequests` PutAuditEvents requests in flight.
 */

export interface ConcurrencyLimiter {
  /** Runs `task` once a slot is free; the slot is released when the task settles. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Requests running now. */
  readonly active: number;
}

export function createConcurrencyLimiter(maxConcurrent: number): ConcurrencyLimiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) active -= 1;
    else next(); // hand the slot over directly: `active` stays the same
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active < maxConcurrent) active += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
  };
}
