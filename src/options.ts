/**
 * The options of the exporter and of the processor adapter, and the one place where they are resolved:
 * `resolveExporterOptions(user, env)` / `resolveProcessorOptions(user, env)` with the precedence
 * code option > environment variable > DEFAULTS (style guide rule 4). A wrong code option throws a
 * ConfigError here, at construction; a wrong environment variable was already warned about and ignored.
 */
import type { MeterProvider } from '@opentelemetry/api';
import { DEFAULTS } from './defaults.js';
import { readExporterEnv, readProcessorEnv, type Env } from './env.js';
import { ConfigError } from './errors.js';
import { componentLogger } from './internal/diag.js';
import type { OnRejected } from './pipeline/report-rejections.js';
import type { DeadLetterOption } from './dead-letter/dead-letter.js';
import type { ReceiptFileOptions } from './receipts/receipt-file.js';
import { checkDeadLetterOption } from './dead-letter/dead-letter-sink.js';
import {
  checkBooleanOption,
  checkFunctionOption,
  checkIntegerOption,
  checkNumberOption,
  checkStringOption,
} from './internal/check-option.js';
import {
  ACCOUNT_ID_PATTERN,
  EXTERNAL_ID_MAX_CHARS,
  EXTERNAL_ID_MIN_CHARS,
  EXTERNAL_ID_PATTERN,
  PUT_AUDIT_EVENTS_MAX_EVENTS,
  PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
  PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
} from './limits.js';
import type { MappingOptions } from './mapping/mapping-options.js';
import { checkPrepareOptions, type PrepareOptions } from './prepare-audit-events.js';
import { parseChannelArn, type ChannelArn } from './transport/channel-arn.js';
import type { CredentialsOption } from './transport/credentials-provider.js';
import { resolveEndpoint } from './transport/resolve-endpoint.js';
import type { PutAuditEventsFunction } from './transport/transport.js';
import type { RetryOptions } from './transport/retrying-transport.js';

/** Options of {@link CloudTrailLakeLogExporter}. Every one is optional where an env var or a default exists. */
export interface CloudTrailLakeLogExporterOptions extends MappingOptions {
  /**
   * The channel to send to: `arn:{partition}:cloudtrail:{region}:{account}:channel/{id}`. Its region
   * selects the endpoint and its account is the default `recipientAccountId`.
   * Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN`. Required from one of the two.
   */
  channelArn?: string;
  /** Region, needed only with a bare channel id; must agree with the ARN's. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_REGION`. */
  region?: string;
  /** A custom endpoint URL (VPC endpoint, the local emulator). Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT`, then `AWS_ENDPOINT_URL_CLOUDTRAIL_DATA`. */
  endpoint?: string;
  /** Use the FIPS endpoint. @default false (env `OTEL_EXPORTER_CLOUDTRAIL_LAKE_USE_FIPS_ENDPOINT`, `AWS_USE_FIPS_ENDPOINT`) */
  useFipsEndpoint?: boolean;
  /** Use the dual-stack endpoint. @default false (env `OTEL_EXPORTER_CLOUDTRAIL_LAKE_USE_DUALSTACK_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT`) */
  useDualstackEndpoint?: boolean;
  /** Static credentials or a provider function. @default the AWS default credential chain */
  credentials?: CredentialsOption;
  /** The channel policy's external id (2-1224 chars of `[\w+=,.@:/-]`). Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_EXTERNAL_ID`. Never logged. */
  externalId?: string;
  /** Events per request, 1 to 100. @default DEFAULTS.maxEventsPerRequest (100) */
  maxEventsPerRequest?: number;
  /** UTF-8 bytes of a request body, 1 to 1,048,576. @default DEFAULTS.maxRequestBytes (1,000,000) */
  maxRequestBytes?: number;
  /**
   * Deadline of one `export()`, retries included, in milliseconds. Keep it below the batch processor's
   * `exportTimeoutMillis`; the processor adapter lowers it if needed. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_TIMEOUT`.
   * @default DEFAULTS.exportTimeoutMillis (25,000 ms)
   */
  timeoutMillis?: number;
  /** PutAuditEvents requests in flight at once, across overlapping exports. @default DEFAULTS.maxConcurrentRequests (10) */
  maxConcurrentRequests?: number;
  /** Client-side rate limit in requests per second (service quota: 100). @default DEFAULTS.maxRequestsPerSecond (100) */
  maxRequestsPerSecond?: number;
  /** Backoff and attempts for retryable failures, whole-request and per-event. @default the transport's retry defaults */
  retry?: RetryOptions;
  /** Called with every permanent rejection of an export (validation or service). Must not throw; errors are logged and ignored. */
  onRejected?: OnRejected;
  /** Send through this function (e.g. the official AWS SDK client) instead of the built-in HTTP client. */
  putAuditEvents?: PutAuditEventsFunction;
  /** Where to record the exporter's metrics (see `METRIC_NAMES`). @default none: counters only in `exporter.stats` */
  meterProvider?: MeterProvider;
  /**
   * Where events rejected for good go, with their eventData and reason: `{ path }` appends JSON lines
   * (`{"id","eventData","reason"}`, re-sendable with `otel-cloudtrail-lake send`), `{ onDeadLetter }`
   * calls your function. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_DEAD_LETTER_PATH`.
   * @default none: rejections are only counted, logged and passed to `onRejected`
   */
  deadLetter?: DeadLetterOption;
  /**
   * Delivery receipts: after the Lake accepts an event, one line in a hash-chained JSONL file with its id,
   * the Lake's eventID, the checksum and a content hash, for `otel-cloudtrail-lake verify`. Written only for
   * accepted events, file mode 0600. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_RECEIPTS_PATH`.
   * @default none
   */
  receipts?: ReceiptFileOptions;
}

/** The exporter options after precedence and checks. */
export interface ResolvedExporterOptions {
  channel: ChannelArn;
  /** The custom endpoint or undefined; FIPS/dual-stack flags go with it to the transport. */
  endpoint: string | undefined;
  useFipsEndpoint: boolean | undefined;
  useDualstackEndpoint: boolean | undefined;
  credentials: CredentialsOption | undefined;
  externalId: string | undefined;
  /** What the pure core gets: the mapping options, the recipient account and `maxRequestBytes`. */
  mapping: PrepareOptions & { recipientAccountId: string };
  maxEventsPerRequest: number;
  maxRequestBytes: number;
  timeoutMillis: number;
  maxConcurrentRequests: number;
  maxRequestsPerSecond: number;
  retry: RetryOptions | undefined;
  onRejected: OnRejected | undefined;
  putAuditEvents: PutAuditEventsFunction | undefined;
  meterProvider: MeterProvider | undefined;
  deadLetter: DeadLetterOption | undefined;
  receipts: ReceiptFileOptions | undefined;
}

const MAX_TIMEOUT_MILLIS = 2_147_483_647;
const logger = componentLogger('CloudTrailLakeLogRecordProcessor');

/** Applies user > env > DEFAULTS and checks every value. @throws ConfigError */
export function resolveExporterOptions(
  user: CloudTrailLakeLogExporterOptions = {},
  env: Env = process.env,
): ResolvedExporterOptions {
  const fromEnv = readExporterEnv(env);
  const region = user.region ?? fromEnv.region;
  const channelArn = user.channelArn ?? fromEnv.channelArn;
  if (channelArn === undefined) {
    throw new ConfigError(
      'channelArn',
      'Expected `channelArn` (or env OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN) to be set, got nothing',
    );
  }
  const recipient = user.recipientAccountId ?? fromEnv.recipientAccountId;
  if (recipient !== undefined)
    checkStringOption('recipientAccountId', recipient, ACCOUNT_ID_PATTERN, 'a 12-digit AWS account id');
  const channel = parseChannelArn(channelArn, { region, accountId: recipient });
  const recipientAccountId = recipient ?? channel.accountId;
  if (recipientAccountId === undefined) {
    throw new ConfigError(
      'recipientAccountId',
      'Expected `recipientAccountId` to be set when `channelArn` is a bare channel id, got nothing',
    );
  }

  const externalId = user.externalId ?? fromEnv.externalId;
  if (
    externalId !== undefined &&
    (typeof externalId !== 'string' ||
      externalId.length < EXTERNAL_ID_MIN_CHARS ||
      externalId.length > EXTERNAL_ID_MAX_CHARS ||
      !EXTERNAL_ID_PATTERN.test(externalId))
  ) {
    // Never echo the external id itself: it is the channel policy's shared secret.
    const shown =
      typeof externalId === 'string' ? `a string of ${externalId.length} characters` : typeof externalId;
    throw new ConfigError(
      'externalId',
      `Expected \`externalId\` to be ${EXTERNAL_ID_MIN_CHARS} to ${EXTERNAL_ID_MAX_CHARS} characters of [\\w+=,.@:/-], got ${shown}`,
    );
  }

  const endpoint = user.endpoint ?? fromEnv.endpoint;
  const useFipsEndpoint = optionalBoolean('useFipsEndpoint', user.useFipsEndpoint) ?? fromEnv.useFipsEndpoint;
  const useDualstackEndpoint =
    optionalBoolean('useDualstackEndpoint', user.useDualstackEndpoint) ?? fromEnv.useDualstackEndpoint;
  if (user.putAuditEvents === undefined) {
    // Resolved here only to fail at construction; the transport resolves it again with the same inputs.
    resolveEndpoint({
      region: channel.region,
      partition: channel.partition,
      endpoint,
      useFipsEndpoint,
      useDualstackEndpoint,
      env,
    });
  } else {
    checkFunctionOption('putAuditEvents', user.putAuditEvents);
  }
  if (user.onRejected !== undefined) checkFunctionOption('onRejected', user.onRejected);
  if (user.filter !== undefined) checkFunctionOption('filter', user.filter);
  if (user.mapRecord !== undefined) checkFunctionOption('mapRecord', user.mapRecord);

  const maxRequestBytes = checkIntegerOption(
    'maxRequestBytes',
    user.maxRequestBytes ?? fromEnv.maxRequestBytes ?? DEFAULTS.maxRequestBytes,
    1,
    PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
  );
  const mapping: PrepareOptions & { recipientAccountId: string } = {
    recipientAccountId,
    maxRequestBytes,
    includeAttributes: checkBooleanOption(
      'includeAttributes',
      user.includeAttributes ?? fromEnv.includeAttributes ?? DEFAULTS.includeAttributes,
    ),
    truncate: checkBooleanOption('truncate', user.truncate ?? fromEnv.truncate ?? DEFAULTS.truncate),
  };
  if (user.defaults !== undefined) mapping.defaults = user.defaults;
  if (user.filter !== undefined) mapping.filter = user.filter;
  if (user.mapRecord !== undefined) mapping.mapRecord = user.mapRecord;
  checkPrepareOptions(mapping);

  return {
    channel,
    endpoint,
    useFipsEndpoint,
    useDualstackEndpoint,
    credentials: user.credentials,
    externalId,
    mapping,
    maxEventsPerRequest: checkIntegerOption(
      'maxEventsPerRequest',
      user.maxEventsPerRequest ?? fromEnv.maxEventsPerRequest ?? DEFAULTS.maxEventsPerRequest,
      1,
      PUT_AUDIT_EVENTS_MAX_EVENTS,
    ),
    maxRequestBytes,
    timeoutMillis: checkIntegerOption(
      'timeoutMillis',
      user.timeoutMillis ?? fromEnv.timeoutMillis ?? DEFAULTS.exportTimeoutMillis,
      1,
      MAX_TIMEOUT_MILLIS,
    ),
    maxConcurrentRequests: checkIntegerOption(
      'maxConcurrentRequests',
      user.maxConcurrentRequests ?? fromEnv.maxConcurrentRequests ?? DEFAULTS.maxConcurrentRequests,
      1,
      1_000,
    ),
    maxRequestsPerSecond: checkNumberOption(
      'maxRequestsPerSecond',
      user.maxRequestsPerSecond ?? fromEnv.maxRequestsPerSecond ?? DEFAULTS.maxRequestsPerSecond,
      Number.MIN_VALUE,
      PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
    ),
    retry: user.retry,
    onRejected: user.onRejected,
    putAuditEvents: user.putAuditEvents,
    meterProvider: user.meterProvider,
    deadLetter:
      user.deadLetter !== undefined
        ? checkDeadLetterOption(user.deadLetter)
        : fromEnv.deadLetterPath === undefined
          ? undefined
          : { path: fromEnv.deadLetterPath },
    receipts:
      user.receipts ?? (fromEnv.receiptsPath === undefined ? undefined : { path: fromEnv.receiptsPath }),
  };
}

function optionalBoolean(option: string, value: unknown): boolean | undefined {
  return value === undefined ? undefined : checkBooleanOption(option, value);
}

/** Signals {@link CloudTrailLakeLogRecordProcessorOptions.shutdownOnSignals} accepts. */
export type ShutdownSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGQUIT';

/** Options of {@link CloudTrailLakeLogRecordProcessor}: those of the sdk-logs BatchLogRecordProcessor, with throughput-minded defaults. */
export interface CloudTrailLakeLogRecordProcessorOptionsBase {
  /**
   * Records per export. One export is sent as several concurrent requests, so this is a multiple of 100.
   * Env: `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`. @default DEFAULTS.maxExportBatchSize (1,000 records)
   */
  maxExportBatchSize?: number;
  /** Delay between scheduled exports, in milliseconds. Env: `OTEL_BLRP_SCHEDULE_DELAY`. @default DEFAULTS.scheduledDelayMillis (1,000 ms) */
  scheduledDelayMillis?: number;
  /**
   * How long the processor waits for one export, in milliseconds; the exporter's `timeoutMillis` is kept
   * below it. Env: `OTEL_BLRP_EXPORT_TIMEOUT`. @default DEFAULTS.processorExportTimeoutMillis (30,000 ms)
   */
  exportTimeoutMillis?: number;
  /** Records held before new ones are dropped (and counted). Env: `OTEL_BLRP_MAX_QUEUE_SIZE`. @default DEFAULTS.maxQueueSize (10,000 records) */
  maxQueueSize?: number;
  /**
   * Flush and shut the processor down when the process receives these signals, then let the signal take
   * its default course (exit) unless the application listens for it too. `true` means
   * DEFAULTS.shutdownSignals (SIGTERM, SIGINT). @default false
   */
  shutdownOnSignals?: boolean | readonly ShutdownSignal[];
  /** Minimum interval between two queue-full warnings, in milliseconds. @default DEFAULTS.droppedWarningIntervalMillis (10,000 ms) */
  droppedWarningIntervalMillis?: number;
  /**
   * With a durable spool: wait before records the exporter gave up on (outage, retries exhausted) are
   * sent again, in milliseconds. @default DEFAULTS.spoolRedeliveryDelayMillis (5,000 ms)
   */
  redeliveryDelayMillis?: number;
}

/** The processor options after precedence and checks. */
export interface ResolvedProcessorOptions {
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
  maxQueueSize: number;
  shutdownSignals: readonly ShutdownSignal[];
  droppedWarningIntervalMillis: number;
  redeliveryDelayMillis: number;
  /** From OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY: the file spool's directory when no `spool` option is given. */
  spoolDirectory: string | undefined;
}

const SIGNALS: readonly unknown[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'];

function isSignalList(value: unknown): value is readonly ShutdownSignal[] {
  return Array.isArray(value) && (value as unknown[]).every((signal) => SIGNALS.includes(signal));
}

/** Applies user > env (OTEL_BLRP_*) > DEFAULTS and checks every value. @throws ConfigError */
export function resolveProcessorOptions(
  user: CloudTrailLakeLogRecordProcessorOptionsBase = {},
  env: Env = process.env,
): ResolvedProcessorOptions {
  const fromEnv = readProcessorEnv(env);
  const maxQueueSize = checkIntegerOption(
    'maxQueueSize',
    user.maxQueueSize ?? fromEnv.maxQueueSize ?? DEFAULTS.maxQueueSize,
    1,
    MAX_TIMEOUT_MILLIS,
  );
  let envBatchSize = fromEnv.maxExportBatchSize;
  if (envBatchSize !== undefined && envBatchSize > maxQueueSize) {
    logger.warn(
      `Ignoring OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: ${envBatchSize} is above maxQueueSize (${maxQueueSize})`,
    );
    envBatchSize = undefined;
  }
  const maxExportBatchSize = checkIntegerOption(
    'maxExportBatchSize',
    user.maxExportBatchSize ?? envBatchSize ?? Math.min(DEFAULTS.maxExportBatchSize, maxQueueSize),
    1,
    maxQueueSize,
  );
  const signalsOption = user.shutdownOnSignals ?? false;
  let shutdownSignals: readonly ShutdownSignal[];
  if (signalsOption === true) shutdownSignals = DEFAULTS.shutdownSignals;
  else if (signalsOption === false) shutdownSignals = [];
  else if (isSignalList(signalsOption)) shutdownSignals = signalsOption;
  else {
    throw new ConfigError(
      'shutdownOnSignals',
      `Expected \`shutdownOnSignals\` to be a boolean or an array of ${SIGNALS.join(', ')}, got ${JSON.stringify(signalsOption)}`,
    );
  }
  return {
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: checkIntegerOption(
      'scheduledDelayMillis',
      user.scheduledDelayMillis ?? fromEnv.scheduledDelayMillis ?? DEFAULTS.scheduledDelayMillis,
      0,
      MAX_TIMEOUT_MILLIS,
    ),
    exportTimeoutMillis: checkIntegerOption(
      'exportTimeoutMillis',
      user.exportTimeoutMillis ?? fromEnv.exportTimeoutMillis ?? DEFAULTS.processorExportTimeoutMillis,
      1,
      MAX_TIMEOUT_MILLIS,
    ),
    shutdownSignals,
    droppedWarningIntervalMillis: checkIntegerOption(
      'droppedWarningIntervalMillis',
      user.droppedWarningIntervalMillis ?? DEFAULTS.droppedWarningIntervalMillis,
      0,
      MAX_TIMEOUT_MILLIS,
    ),
    redeliveryDelayMillis: checkIntegerOption(
      'redeliveryDelayMillis',
      user.redeliveryDelayMillis ?? DEFAULTS.spoolRedeliveryDelayMillis,
      0,
      MAX_TIMEOUT_MILLIS,
    ),
    spoolDirectory: fromEnv.spoolDirectory,
  };
}
