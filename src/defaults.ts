import { PUT_AUDIT_EVENTS_MAX_EVENTS, PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND } from './limits.js';

/**
 * Every default of the library, written once. Option JSDoc `@default` tags and the README's
 * configuration table refer to these; tests import them rather than repeat the literals.
 */
export const DEFAULTS = Object.freeze({
  /** eventData `version` when the record has no `audit.version`. */
  eventDataVersion: '1.0',
  maxEventsPerRequest: PUT_AUDIT_EVENTS_MAX_EVENTS,
  /** Below the 1 MiB ceiling: the service says "1 MB" without a unit, so we stay under both readings. */
  maxRequestBytes: 1_000_000,
  maxRequestsPerSecond: PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
  /** Keep remaining non-`audit.` attributes out of additionalEventData unless asked. */
  includeAttributes: false,
  /** Reject over-long strings rather than cut them. */
  truncate: false,
  /**
   * The exporter's deadline for one `export()`, retries included, in milliseconds. It stays below
   * `processorExportTimeoutMillis` so the batch processor never gives up on an export we still run.
   */
  exportTimeoutMillis: 25_000,
  /** PutAuditEvents requests one exporter keeps in flight at once. */
  maxConcurrentRequests: 10,
  /** Records one processor export carries: ten full requests, sent concurrently by the exporter. */
  maxExportBatchSize: 1_000,
  /**
   * Processor exports in flight at once: the next batch is prepared (CPU) while the previous one is on
   * the network. Each holds up to maxExportBatchSize records besides the queue.
   */
  maxConcurrentExports: 2,
  /** Records the processor holds before it drops new ones (counted as `dropped`). */
  maxQueueSize: 10_000,
  /** Delay between two scheduled processor exports, in milliseconds (OTel spec default). */
  scheduledDelayMillis: 1_000,
  /** How long the batch processor waits for one export, in milliseconds (OTel spec default). */
  processorExportTimeoutMillis: 30_000,
  /** Minimum interval between two queue-full warnings, in milliseconds. */
  droppedWarningIntervalMillis: 10_000,
  /** Signals that flush and shut the processor down when `shutdownOnSignals` is `true`. */
  shutdownSignals: Object.freeze(['SIGTERM', 'SIGINT'] as const),
  /** Timeout of one PutAuditEvents HTTP attempt, in milliseconds (the export deadline may cut it shorter). */
  requestTimeoutMillis: 10_000,
  /**
   * Whole-request retry policy (`retry` option): attempts include the first one; the wait before attempt n
   * is a uniform random value ("full jitter") in [0, min(maxBackoffMillis, initialBackoffMillis * multiplier^(n-2))],
   * and never less than the service's Retry-After.
   */
  retry: Object.freeze({
    maxAttempts: 5,
    initialBackoffMillis: 500,
    maxBackoffMillis: 10_000,
    multiplier: 2,
  }),
  /** Floor of the adaptive rate limit while the service throttles, in requests per second (AWS SDK adaptive mode: 0.5). */
  minRequestsPerSecond: 0.5,
  /** Factor the adaptive rate limit is multiplied by on each throttling response (AWS SDK adaptive mode: 0.7). */
  throttleRateFactor: 0.7,
  /**
   * Growth of the adaptive rate limit after a throttle, CUBIC's C, in requests per second per cubed second
   * (AWS SDK adaptive mode: 0.4): back at the last throttled rate after (rate * 0.3 / 0.4)^(1/3) seconds.
   */
  throttleRecoveryScale: 0.4,
  /**
   * Attribute keys whose values are replaced by REDACTED_VALUE, as case-insensitive regular expression
   * sources matched anywhere in a key at any depth. `token(?!s)` spares counters such as
   * `gen_ai.usage.input_tokens`.
   */
  redactKeyPatterns: Object.freeze([
    'pass(?:word|wd|phrase)',
    '(?:^|[^a-z])pwd(?:$|[^a-z])',
    'secret',
    'token(?!s)',
    'authori[sz]ation',
    'cookie',
    'api[-_.]?key',
    'private[-_.]?key',
    'credential',
    'connection[-_.]?string',
  ] as const),
  /** Deeper map/array nesting than this is replaced whole by REDACTED_VALUE, failing closed (levels). */
  redactMaxDepth: 32,
  /** Bridge: interface the OTLP/HTTP receiver listens on; `0.0.0.0` exposes it beyond this host. */
  bridgeHost: '127.0.0.1',
  /** Bridge: the standard OTLP/HTTP port. */
  bridgePort: 4318,
  /** Bridge: the standard OTLP/gRPC port, as the Collector's `otlp` receiver listens on (https://opentelemetry.io/docs/specs/otlp/#otlpgrpc-default-port). */
  bridgeGrpcPort: 4317,
  /** Bridge: largest request body accepted, before and after gzip decompression, in bytes (16 MiB). */
  bridgeMaxBodyBytes: 16 * 1024 * 1024,
  /** Bridge: records accepted but not yet exported; above it requests get 429 (records). */
  bridgeMaxQueueSize: 10_000,
  /** Bridge: Retry-After sent with 429 and 503 responses, in seconds. */
  bridgeRetryAfterSeconds: 1,
  /** Bridge: how long a shutdown (SIGTERM) may take to export what is queued, in milliseconds. */
  bridgeDrainTimeoutMillis: 25_000,
  /** Bridge: redaction is on unless turned off. */
  bridgeRedact: true,
  /** Bridge: log records in one OTLP request; more is answered 400 (records). */
  bridgeMaxRecordsPerRequest: 10_000,
  /** Bridge: attributes of one log record, resource or scope; more is answered 400 (attributes; the SDK's default attribute count limit). */
  bridgeMaxAttributesPerRecord: 128,
  /** Bridge: nesting of AnyValue arrays and maps in one value; deeper is answered 400 (levels; the redactor's own limit). */
  bridgeMaxAnyValueDepth: 32,
  /** Bridge: estimated memory of one decoded request (string bytes plus 32 bytes per value); more is answered 400 (bytes, 16 MiB). */
  bridgeMaxDecodedBytes: 16 * 1024 * 1024,
  /** Bridge: OTLP requests read and decoded at once; more get 429 with Retry-After, unread (requests). */
  bridgeMaxConcurrentRequests: 8,
  /** Bridge: time a client has to send the request headers, in milliseconds (Node's default is 60 s). */
  bridgeHeadersTimeoutMillis: 10_000,
  /** Bridge: time a client has to send the whole request, in milliseconds (Node's default is 300 s). */
  bridgeRequestTimeoutMillis: 30_000,
  /** Bridge: how long an idle keep-alive connection stays open, in milliseconds (Node's default). */
  bridgeKeepAliveTimeoutMillis: 5_000,
  /** Bridge: open TCP connections; more are closed at once (connections). */
  bridgeMaxConnections: 1_024,
  /** Bridge: how often acknowledged records lost since the last check are logged, in milliseconds. */
  bridgeLossCheckIntervalMillis: 5_000,
  /** Bridge: how often the token file and TLS files are checked for changes, in milliseconds. */
  bridgeFileReloadIntervalMillis: 2_000,
  /** File spool: largest size of the spool directory's segment files before new records are refused, in bytes (256 MiB). */
  spoolMaxBytes: 256 * 1024 * 1024,
  /** File spool: when appended records reach the disk (`'always'`, `'interval'`, `'never'`). */
  spoolFsync: 'interval',
  /** File spool: with `fsync: 'interval'`, the longest a written record waits for its fsync, in milliseconds. */
  spoolFsyncIntervalMillis: 200,
  /** File spool: a segment file is closed and a new one started past this size, in bytes (at most maxBytes / 8). */
  spoolSegmentBytes: 8 * 1024 * 1024,
  /** Durable spool: wait before records given up on (outage, retries exhausted) are sent again, in milliseconds. */
  spoolRedeliveryDelayMillis: 5_000,
});
