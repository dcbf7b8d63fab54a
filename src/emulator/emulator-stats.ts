/** Counters of a running emulator. */
export interface EmulatorStats {
  /** Every HTTP request, admin endpoints included. */
  requests: number;
  putAuditEventsRequests: number;
  /** Events stored. */
  acceptedEvents: number;
  /** Events answered in `failed[]`, by errorCode. */
  failedEvents: Record<string, number>;
  /** Whole-request errors, by AWS error name (ThrottlingException, InvalidSignatureException, ...). */
  errors: Record<string, number>;
  /** Requests answered with ThrottlingException. */
  throttled: number;
  /** Connections reset by a fault. */
  resets: number;
  /** Request body bytes received by PutAuditEvents. */
  bytesReceived: number;
}

type CounterName =
  'requests' | 'putAuditEventsRequests' | 'acceptedEvents' | 'throttled' | 'resets' | 'bytesReceived';

export interface EmulatorStatsCounter {
  count(name: CounterName): void;
  add(name: CounterName, amount: number): void;
  countError(type: string): void;
  countFailedEvent(code: string): void;
  snapshot(): EmulatorStats;
  reset(): void;
}

function empty(): EmulatorStats {
  return {
    requests: 0,
    putAuditEventsRequests: 0,
    acceptedEvents: 0,
    failedEvents: {},
    errors: {},
    throttled: 0,
    resets: 0,
    bytesReceived: 0,
  };
}

export function createEmulatorStats(): EmulatorStatsCounter {
  let stats = empty();
  return {
    count(name) {
      stats[name] += 1;
    },
    add(name, amount) {
      stats[name] += amount;
    },
    countError(type) {
      stats.errors[type] = (stats.errors[type] ?? 0) + 1;
      if (type === 'ThrottlingException') stats.throttled += 1;
    },
    countFailedEvent(code) {
      stats.failedEvents[code] = (stats.failedEvents[code] ?? 0) + 1;
    },
    snapshot() {
      return { ...stats, failedEvents: { ...stats.failedEvents }, errors: { ...stats.errors } };
    },
    reset() {
      stats = empty();
    },
  };
}
