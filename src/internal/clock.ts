/**
 * Time as a dependency: backoff, Retry-After and the rate limiter read `now()` and schedule through a
 * `Clock`, so tests drive them with fake timers instead of sleeping and cannot fail on a slow machine.
 */

/** An opaque timer handle as returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** The parts of time the transport needs. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMillis: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock. It looks the globals up on every call rather than capturing them, so that
 * `vi.useFakeTimers()` installed after import still takes effect.
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, delayMillis: number): TimerHandle =>
    globalThis.setTimeout(callback, delayMillis),
  clearTimeout: (handle: TimerHandle): void => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
});

/** The reason an aborted signal carries as an Error (DOMException is one), or a generic abort error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const message = typeof reason === 'string' ? reason : 'This operation was aborted';
  return new DOMException(message, 'AbortError');
}

/**
 * Waits `delayMillis` on `clock`; rejects with the signal's reason as soon as `signal` aborts, and
 * clears its timer then, so an aborted wait leaves nothing scheduled.
 */
export function sleep(delayMillis: number, signal?: AbortSignal, clock: Clock = systemClock): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(abortReason(signal as AbortSignal));
    };
    const handle = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, delayMillis),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
