import { componentLogger } from '../internal/diag.js';
import type { PipelineStats } from '../telemetry/pipeline-stats.js';
import type { BridgeMetricsSnapshot } from './bridge-metrics.js';

/** Counters of a running bridge since it started. */
export interface BridgeCounters {
  /** Export requests answered (OTLP/HTTP `POST /v1/logs` and OTLP/gRPC `Export`), whatever the status. */
  requests: number;
  /** OTLP log records decoded from accepted requests. */
  receivedRecords: number;
  /** Records handed to the export pipeline and acknowledged to the client. */
  acceptedRecords: number;
  /** Records without `audit.*` attributes (or refused by `filter`), skipped quietly. */
  skippedRecords: number;
  /** Records refused and reported in `partialSuccess.rejectedLogRecords` (invalid, outside the client's pins, or dropped by a full spool). */
  rejectedRecords: number;
  /** Requests answered 429 (RESOURCE_EXHAUSTED over gRPC) because the queue was full or too many requests were being decoded. */
  throttledRequests: number;
  /** Requests refused 401 (UNAUTHENTICATED over gRPC). */
  authFailures: number;
  /** `rejectedRecords` by code. */
  rejectedByCode: Record<string, number>;
  /** Requests to /v1/logs by HTTP status. */
  requestsByStatus: Record<string, number>;
  /** OTLP/gRPC `Export` calls by gRPC status name (`OK`, `RESOURCE_EXHAUSTED`, ...). */
  grpcRequestsByStatus: Record<string, number>;
  /** `authFailures` by reason. */
  authFailuresByReason: Record<string, number>;
}

export function createBridgeCounters(): BridgeCounters {
  return {
    requests: 0,
    receivedRecords: 0,
    acceptedRecords: 0,
    skippedRecords: 0,
    rejectedRecords: 0,
    throttledRequests: 0,
    authFailures: 0,
    rejectedByCode: {},
    requestsByStatus: {},
    grpcRequestsByStatus: {},
    authFailuresByReason: {},
  };
}

/** Adds `count` under `key`. */
export function countBy(map: Record<string, number>, key: string, count = 1): void {
  if (count > 0) map[key] = (map[key] ?? 0) + count;
}

/** What the pipeline reports at one moment, with what it already held when the bridge started. */
export interface PipelineView {
  stats: Partial<PipelineStats>;
  pending: number;
  /** Records a durable spool held at start (replayed, so counted in `exported` though not taken now). */
  pendingAtStart: number;
}

/**
 * Records the bridge acknowledged that ended neither accepted by CloudTrail Lake nor pending: the ledger
 * taken = accepted + lost + pending, solved for lost. Needs the pipeline's `exported` count; 0 without it.
 */
export function lostRecords(counters: BridgeCounters, view: PipelineView): number {
  const exported = view.stats.exported;
  if (exported === undefined) return 0;
  return Math.max(0, counters.acceptedRecords + view.pendingAtStart - exported - view.pending);
}

/** The metrics snapshot for `/metrics` and the OTel instruments. */
export function metricsSnapshot(counters: BridgeCounters, view: PipelineView): BridgeMetricsSnapshot {
  const lost = lostRecords(counters, view);
  return {
    requestsByProtocol: { http: counters.requestsByStatus, grpc: counters.grpcRequestsByStatus },
    accepted: counters.acceptedRecords,
    rejectedByCode: counters.rejectedByCode,
    droppedByReason: { acknowledged_then_lost: lost },
    pending: view.pending,
    exported: view.stats.exported ?? 0,
    recordsByChannel: Object.fromEntries(
      Object.entries(view.stats.channels ?? {}).map(([arn, counts]) => [
        arn,
        { exported: counts.exported, rejected: counts.rejected, failed: counts.failed },
      ]),
    ),
    requestsByChannel: Object.fromEntries(
      Object.entries(view.stats.channels ?? {}).map(([arn, counts]) => [arn, counts.requests]),
    ),
    spoolBytes: view.stats.spoolBytes ?? 0,
    oldestPendingAgeSeconds: (view.stats.oldestPendingAgeMillis ?? 0) / 1000,
    authFailuresByReason: counters.authFailuresByReason,
  };
}

const logger = componentLogger('CloudTrailLakeBridge');

/**
 * Logs, every `intervalMillis`, the acknowledged records lost since the last check: an OTLP client that
 * got 200 cannot learn of them, so the bridge says so while it runs, not only at shutdown. Returns a
 * function that stops the checks.
 */
export function watchLostRecords(read: () => number, intervalMillis: number): () => void {
  let reported = 0;
  const timer = setInterval(() => {
    const lost = read();
    if (lost <= reported) return;
    logger.error(
      `${lost - reported} log record(s) acknowledged to clients were lost (${lost} since start): ` +
        'not accepted by CloudTrail Lake and not kept by a spool; see the exporter errors',
    );
    reported = lost;
  }, intervalMillis);
  // Checking alone must not keep the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
