/** Counters of a running emulator. */
export interface EmulatorStats {
  /** Every HTTP request, admin endpoints included. */
  requests: number;
  putAuditEventsRequests: number;
  /** Events accepted (answered in `successful[]`). */
  acceptedEvents: number;
  /** Accepted events that no event data store received: the channel's stores were not ingesting. */
  undeliveredEvents: number;
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
  /** PutAuditEvents requests being handled right now. */
  inFlightRequests: number;
  /** The most PutAuditEvents requests handled at once: shows whether a client sends concurrently. */
  peakInFlightRequests: number;
}

type CounterName =
  | 'requests'
  | 'putAuditEventsRequests'
  | 'acceptedEvents'
  | 'undeliveredEvents'
  | 'throttled'
  | 'resets'
  | 'bytesReceived';

export interface EmulatorStatsCounter {
  count(name: CounterName): void;
  add(name: CounterName, amount: number): void;
  countError(type: string): void;
  countFailedEvent(code: string): void;
  /** A PutAuditEvents request starts (`enter`) or ends (`leave`), for the in-flight gauges. */
  enter(): void;
  leave(): void;
  snapshot(): EmulatorStats;
  reset(): void;
}

function empty(): EmulatorStats {
  return {
    requests: 0,
    putAuditEventsRequests: 0,
    acceptedEvents: 0,
    undeliveredEvents: 0,
    failedEvents: {},
    errors: {},
    throttled: 0,
    resets: 0,
    bytesReceived: 0,
    inFlightRequests: 0,
    peakInFlightRequests: 0,
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
    enter() {
      stats.inFlightRequests += 1;
      stats.peakInFlightRequests = Math.max(stats.peakInFlightRequests, stats.inFlightRequests);
    },
    leave() {
      stats.inFlightRequests -= 1;
    },
    snapshot() {
      return { ...stats, failedEvents: { ...stats.failedEvents }, errors: { ...stats.errors } };
    },
    reset() {
      // Requests still in flight leave after the reset; keep counting them so the gauge stays true.
      stats = { ...empty(), inFlightRequests: stats.inFlightRequests };
    },
  };
}
