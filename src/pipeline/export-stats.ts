/**
 * The exporter's counters, readable through `exporter.stats`, and mirrored as OTel metrics when a
 * MeterProvider is given. Metric names follow the Collector's exporterhelper self-metrics
 * (`otelcol_exporter_sent_log_records`, `otelcol_exporter_send_failed_log_records`,
 * `otelcol_exporter_enqueue_failed_log_records`) so existing dashboards fit; what the Collector has no
 * name for uses the `cloudtrail_lake_exporter_` prefix.
 */
import type { Attributes, Counter, MeterProvider } from '@opentelemetry/api';

/** A snapshot of the exporter's counters since it was created. All counts are log records, except `requests`. */
export interface ExportStats {
  /** Records the service accepted. */
  readonly exported: number;
  /** Records rejected for good: by local validation, as too large, or by the service per event. */
  readonly rejected: number;
  /** Per-event resends after a `Throttling` or `InternalFailure` entry in a 200 response. */
  readonly retried: number;
  /** Records given up on: retries exhausted, permanent request error, deadline or shutdown. */
  readonly failed: number;
  /** Records the processor dropped because its queue or its spool was full (`error.type` queue_full / spool_full). */
  readonly dropped: number;
  /** Records without `audit.*` attributes (or refused by `filter`), skipped quietly. */
  readonly skipped: number;
  /** PutAuditEvents requests handed to the transport (its own retries not included). */
  readonly requests: number;
  /**
   * The counts that concern one channel (`exported`, `rejected`, `retried`, `failed`, `requests`), by
   * channel ARN; each is also in the totals above. Empty until a send; a record rejected before it had
   * a channel (a `channelArn` function that threw) is only in the totals.
   */
  readonly channels: Readonly<Record<string, ChannelCounts>>;
}

/** The counters of one channel. */
export type ChannelCounts = Readonly<
  Pick<Counts, 'exported' | 'rejected' | 'retried' | 'failed' | 'requests'>
>;

/**
 * The metric attribute that labels a count with its channel ARN. No OTel semantic convention names a
 * CloudTrail Lake channel; this follows the `cloud.resource_id` style of naming the resource by its ARN.
 */
export const CHANNEL_ATTRIBUTE = 'cloudtrail.channel.arn';

/** Metric names, documented in the README's "Metrics" section. */
export const METRIC_NAMES = Object.freeze({
  exported: 'otelcol_exporter_sent_log_records',
  failed: 'otelcol_exporter_send_failed_log_records',
  dropped: 'otelcol_exporter_enqueue_failed_log_records',
  rejected: 'cloudtrail_lake_exporter_rejected_log_records',
  retried: 'cloudtrail_lake_exporter_retried_log_records',
  skipped: 'cloudtrail_lake_exporter_skipped_log_records',
  requests: 'cloudtrail_lake_exporter_requests',
  /** Counter: events rejected for good and handed to the dead-letter destination. */
  deadLettered: 'cloudtrail_lake_exporter_dead_lettered_log_records',
  /** Gauge: records in the processor's queue, not yet handed to the exporter (Collector's name). */
  queueSize: 'otelcol_exporter_queue_size',
  /** Gauge: the processor's maxQueueSize (Collector's name). */
  queueCapacity: 'otelcol_exporter_queue_capacity',
  /** Gauge: records in the spool not yet settled (queued, in flight or given up on and kept). */
  spoolRecords: 'cloudtrail_lake_exporter_spool_records',
  /** Gauge: bytes the spool takes on disk (0 for the memory spool). */
  spoolBytes: 'cloudtrail_lake_exporter_spool_size',
  /** Gauge: age of the oldest record not yet settled, in seconds: alert on it to catch a stuck pipeline. */
  oldestPendingAge: 'cloudtrail_lake_exporter_oldest_pending_age',
  /** Counter: damaged spool records skipped at start (torn write, corruption). */
  spoolCorrupt: 'cloudtrail_lake_exporter_spool_corrupt_records',
} as const);

type Counts = Omit<ExportStats, 'channels'>;
type Key = keyof Counts;
const CHANNEL_KEYS: ReadonlySet<Key> = new Set(['exported', 'rejected', 'retried', 'failed', 'requests']);

/** The mutable side the exporter and the processor write to. */
export interface StatsRecorder {
  add(key: Key, count: number, attributes?: Attributes): void;
  snapshot(): ExportStats;
}

const DESCRIPTIONS: Record<Key, string> = {
  exported: 'Log records CloudTrail Lake accepted.',
  failed:
    'Log records the exporter gave up on (retries exhausted, permanent request error, deadline, shutdown).',
  dropped: 'Log records dropped because the processor queue or spool was full.',
  rejected: 'Log records rejected for good, locally or by the service.',
  retried: 'Per-event resends after Throttling or InternalFailure.',
  skipped: 'Log records without audit attributes, skipped.',
  requests: 'PutAuditEvents requests sent (transport retries not included).',
};

/** Creates the counters; `meterProvider` adds OTel counters with the names in {@link METRIC_NAMES}. */
export function createStatsRecorder(meterProvider?: MeterProvider): StatsRecorder {
  const counts: Record<Key, number> = {
    exported: 0,
    rejected: 0,
    retried: 0,
    failed: 0,
    dropped: 0,
    skipped: 0,
    requests: 0,
  };
  let counters: Partial<Record<Key, Counter>> = {};
  if (meterProvider !== undefined) {
    const meter = meterProvider.getMeter('otel-cloudtrail-lake');
    counters = Object.fromEntries(
      (Object.keys(counts) as Key[]).map((key) => [
        key,
        meter.createCounter(METRIC_NAMES[key], {
          description: DESCRIPTIONS[key],
          unit: key === 'requests' ? '{request}' : '{record}',
        }),
      ]),
    );
  }
  const channels = new Map<string, Record<keyof ChannelCounts, number>>();
  const base: Attributes = { exporter: 'cloudtrail_lake' };
  return {
    add(key, count, attributes) {
      if (count <= 0) return;
      counts[key] += count;
      const channel = attributes?.[CHANNEL_ATTRIBUTE];
      if (typeof channel === 'string' && CHANNEL_KEYS.has(key)) {
        let perChannel = channels.get(channel);
        if (perChannel === undefined) {
          perChannel = { exported: 0, rejected: 0, retried: 0, failed: 0, requests: 0 };
          channels.set(channel, perChannel);
        }
        perChannel[key as keyof ChannelCounts] += count;
      }
      counters[key]?.add(count, attributes === undefined ? base : { ...base, ...attributes });
    },
    snapshot: () =>
      Object.freeze({
        ...counts,
        channels: Object.freeze(
          Object.fromEntries(
            [...channels].map(([arn, perChannel]) => [arn, Object.freeze({ ...perChannel })]),
          ),
        ),
      }),
  };
}

/** A recorder that adds `attributes` (a channel label) to every count it passes on to `stats`. */
export function labelledStats(stats: StatsRecorder, attributes: Attributes): StatsRecorder {
  return {
    add: (key, count, more) =>
      stats.add(key, count, more === undefined ? attributes : { ...more, ...attributes }),
    snapshot: () => stats.snapshot(),
  };
}
