import type { BridgeCounters } from './bridge-counters.js';

/** Why the gate let a request not in, an outcome of its own (`LogsOutcome`). */
export interface GateRefusal {
  kind: 'throttled' | 'unavailable';
  message: string;
}

/** What lets export requests in, over OTLP/HTTP and OTLP/gRPC alike, and what close() waits for. */
export interface RequestGate {
  /**
   * Runs `task` when the bridge is open and fewer than `maxConcurrentRequests` requests are being
   * handled; otherwise returns why not (`unavailable` while closing, `throttled` when busy) and runs nothing.
   */
  run(task: () => Promise<void>): GateRefusal | undefined;
  /** From now on every request is refused as `unavailable`. */
  close(): void;
  readonly closing: boolean;
  /** Resolves when every task started so far has settled. */
  settled(): Promise<void>;
}

/** One gate for both transports, so `maxConcurrentRequests` bounds the decoding work of the whole bridge. */
export function createRequestGate(maxConcurrentRequests: number, counters: BridgeCounters): RequestGate {
  const inFlight = new Set<Promise<void>>();
  let closing = false;
  return {
    run(task) {
      if (closing) return { kind: 'unavailable', message: 'the bridge is shutting down' };
      if (inFlight.size >= maxConcurrentRequests) {
        counters.throttledRequests++;
        const message = `${inFlight.size} requests are being decoded (maxConcurrentRequests ${maxConcurrentRequests}); retry later`;
        return { kind: 'throttled', message };
      }
      const running = task().finally(() => inFlight.delete(running));
      inFlight.add(running);
      return undefined;
    },
    close() {
      closing = true;
    },
    get closing() {
      return closing;
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
