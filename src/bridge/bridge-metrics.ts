/**
 * The bridge's counters as metrics: in Prometheus text format at `GET /metrics` (through prom-client's
 * registry) and, when a MeterProvider is given, as OTel observable instruments. One table drives both,
 * so the two always carry the same values under the same names (the Prometheus counters with `_total`).
 */
import type { BatchObservableCallback, MeterProvider, Observable } from '@opentelemetry/api';
import { Counter, Gauge, Registry } from 'prom-client';

/** A snapshot of what the bridge took in and what became of it. Counts are log records unless said otherwise. */
export interface BridgeMetricsSnapshot {
  /** Requests answered, by protocol (`http`, `grpc`) and then status (HTTP status code, gRPC status name). */
  readonly requestsByProtocol: Readonly<Record<'http' | 'grpc', Readonly<Record<string, number>>>>;
  /** Records answered as kept (200, not in `partialSuccess`). */
  readonly accepted: number;
  /** Records refused in `partialSuccess`, by error code. */
  readonly rejectedByCode: Readonly<Record<string, number>>;
  /** Records acknowledged and then lost, by reason. */
  readonly droppedByReason: Readonly<Record<string, number>>;
  /** Records acknowledged and not yet settled. */
  readonly pending: number;
  /** Records CloudTrail Lake accepted. */
  readonly exported: number;
  /**
   * By channel ARN (routing sends records to several), what became of the records sent there: `exported`,
   * `rejected` (for good, by validation or by the service), `failed` (given up on).
   */
  readonly recordsByChannel: Readonly<Record<string, Readonly<Record<ChannelOutcome, number>>>>;
  /** PutAuditEvents requests, by channel ARN. */
  readonly requestsByChannel: Readonly<Record<string, number>>;
  /** Bytes the spool takes on disk. */
  readonly spoolBytes: number;
  /** Age of the oldest record not yet settled, in seconds. */
  readonly oldestPendingAgeSeconds: number;
  /** Requests refused 401, by reason. */
  readonly authFailuresByReason: Readonly<Record<string, number>>;
}

/** What became of a record sent to a channel, as the `outcome` label says it. */
export type ChannelOutcome = 'exported' | 'rejected' | 'failed';

interface Row {
  name: string;
  help: string;
  unit: string;
  counter: boolean;
  /** One label: `read` gives a value per label value; two: a value per first, then second label value. */
  labels?: readonly [string] | readonly [string, string];
  read: (
    snapshot: BridgeMetricsSnapshot,
  ) => number | Readonly<Record<string, number | Readonly<Record<string, number>>>>;
}

const PREFIX = 'otel_cloudtrail_lake_bridge_';

const ROWS: readonly Row[] = [
  {
    name: 'requests',
    help: 'OTLP requests answered, by protocol (http, grpc) and status (HTTP status code, gRPC status name).',
    unit: '{request}',
    counter: true,
    labels: ['protocol', 'status'],
    read: (s) => s.requestsByProtocol,
  },
  {
    name: 'records_accepted',
    help: 'Log records acknowledged to the client as kept.',
    unit: '{record}',
    counter: true,
    read: (s) => s.accepted,
  },
  {
    name: 'records_rejected',
    help: 'Log records refused in partialSuccess, by error code.',
    unit: '{record}',
    counter: true,
    labels: ['code'],
    read: (s) => s.rejectedByCode,
  },
  {
    name: 'records_dropped',
    help: 'Log records acknowledged and then lost, by reason.',
    unit: '{record}',
    counter: true,
    labels: ['reason'],
    read: (s) => s.droppedByReason,
  },
  {
    name: 'records_exported',
    help: 'Log records CloudTrail Lake accepted.',
    unit: '{record}',
    counter: true,
    read: (s) => s.exported,
  },
  {
    name: 'channel_records',
    help: 'Log records sent to a channel, by channel ARN and outcome (exported, rejected, failed).',
    unit: '{record}',
    counter: true,
    labels: ['channel_arn', 'outcome'],
    read: (s) => s.recordsByChannel,
  },
  {
    name: 'channel_requests',
    help: 'PutAuditEvents requests, by channel ARN.',
    unit: '{request}',
    counter: true,
    labels: ['channel_arn'],
    read: (s) => s.requestsByChannel,
  },
  {
    name: 'records_pending',
    help: 'Log records acknowledged and not yet accepted or rejected by CloudTrail Lake.',
    unit: '{record}',
    counter: false,
    read: (s) => s.pending,
  },
  {
    name: 'spool_bytes',
    help: 'Bytes the spool takes on disk (0 for the memory spool).',
    unit: 'By',
    counter: false,
    read: (s) => s.spoolBytes,
  },
  {
    name: 'oldest_pending_age_seconds',
    help: 'Age of the oldest record not yet settled; alert when it grows.',
    unit: 's',
    counter: false,
    read: (s) => s.oldestPendingAgeSeconds,
  },
  {
    name: 'auth_failures',
    help: 'Requests refused 401, by reason.',
    unit: '{request}',
    counter: true,
    labels: ['reason'],
    read: (s) => s.authFailuresByReason,
  },
];

function entries(
  value: number | Readonly<Record<string, number | Readonly<Record<string, number>>>>,
  labels: Row['labels'],
): Array<[Record<string, string>, number]> {
  if (typeof value === 'number' || labels === undefined) return [[{}, typeof value === 'number' ? value : 0]];
  const [first, second] = labels;
  return Object.entries(value).flatMap(([key, inner]): Array<[Record<string, string>, number]> =>
    typeof inner === 'number' || second === undefined
      ? [[{ [first]: key }, typeof inner === 'number' ? inner : 0]]
      : Object.entries(inner).map(([innerKey, count]) => [{ [first]: key, [second]: innerKey }, count]),
  );
}

/** A Prometheus registry whose every collection reads one fresh snapshot. */
export function createPrometheusRegistry(read: () => BridgeMetricsSnapshot): Registry {
  const registry = new Registry();
  let snapshot: BridgeMetricsSnapshot | undefined;
  // Each metric's collect() runs in turn during one scrape; read the snapshot once, at the first.
  const current = (first: boolean): BridgeMetricsSnapshot =>
    first || snapshot === undefined ? (snapshot = read()) : snapshot;
  ROWS.forEach((row, index) => {
    const config = {
      name: `${PREFIX}${row.name}${row.counter ? '_total' : ''}`,
      help: row.help,
      labelNames: row.labels === undefined ? [] : [...row.labels],
      registers: [registry],
    };
    if (row.counter) {
      new Counter({
        ...config,
        collect(this: Counter) {
          this.reset();
          for (const [labels, value] of entries(row.read(current(index === 0)), row.labels))
            this.inc(labels, value);
        },
      });
    } else {
      new Gauge({
        ...config,
        collect(this: Gauge) {
          this.reset();
          for (const [labels, value] of entries(row.read(current(index === 0)), row.labels))
            this.set(labels, value);
        },
      });
    }
  });
  return registry;
}

/** Registers the same metrics as OTel observables on `meterProvider`; returns a function that removes them. */
export function registerBridgeMetrics(
  meterProvider: MeterProvider,
  read: () => BridgeMetricsSnapshot,
): () => void {
  const meter = meterProvider.getMeter('otel-cloudtrail-lake');
  const observables: Observable[] = ROWS.map(({ name, help, unit, counter }) =>
    counter
      ? meter.createObservableCounter(`${PREFIX}${name}`, { description: help, unit })
      : meter.createObservableGauge(`${PREFIX}${name}`, { description: help, unit }),
  );
  const callback: BatchObservableCallback = (result) => {
    const snapshot = read();
    ROWS.forEach((row, index) => {
      for (const [labels, value] of entries(row.read(snapshot), row.labels))
        result.observe(observables[index]!, value, labels);
    });
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
