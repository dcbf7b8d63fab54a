/**
 * The options of the exporter and the one place where they are resolved: `resolveExporterOptions(user,
 * env)` with the precedence code option > environment variable > DEFAULTS. A wrong code option throws
 * a ConfigError here, at construction; a wrong environment variable is warned about and the next source
 * used. The channel ARN is parsed and the endpoint resolved here, once: the transport receives the result.
 * The processor's options are in `processor/processor-options.ts` (re-exported below).
 */
import type { MeterProvider } from '@opentelemetry/api';
import { DEFAULTS } from './defaults.js';
import { ENV_VARS, type Env } from './env.js';
import { ConfigError } from './errors.js';
import type { OnRejected } from './pipeline/report-rejections.js';
import type { DeadLetterOption } from './dead-letter/dead-letter.js';
import type { ReceiptFileOptions } from './receipts/receipt-file.js';
import { checkDeadLetterOption } from './dead-letter/dead-letter-sink.js';
import {
  boolean,
  checkOptional,
  describeValue,
  func,
  integer,
  number,
  resolveOption,
  resolveOptionalOption,
  text,
} from './internal/check-option.js';
import {
  ACCOUNT_ID_PATTERN,
  MAX_TIMER_MILLIS,
  PUT_AUDIT_EVENTS_MAX_EVENTS,
  PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
  PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
} from './limits.js';
import type { MappingDefaults, MappingOptions } from './mapping/mapping-options.js';
import { checkPrepareOptions, type PrepareOptions } from './prepare-audit-events.js';
import type { ChannelArnFunction } from './pipeline/channel-destination.js';
import type { ChannelArn } from './transport/channel-arn.js';
import type { CredentialsOption } from './transport/credentials-provider.js';
import {
  resolveChannel,
  resolveHttpTransportOptions,
  type ResolvedChannel,
  type ResolvedHttpTransportOptions,
} from './transport/http-transport-options.js';
import type { NetworkOptions } from './transport/network-options.js';
import type { PutAuditEventsFunction } from './transport/transport.js';
import {
  RETRY_MAX_BACKOFF_MILLIS,
  RETRY_RULES,
  resolveRetryOptions,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './transport/retrying-transport.js';

export {
  resolveProcessorOptions,
  type CloudTrailLakeLogRecordProcessorOptionsBase,
  type ResolvedProcessorOptions,
  type ShutdownSignal,
} from './processor/processor-options.js';

/** Options of {@link CloudTrailLakeLogExporter}. Every one is optional where an env var or a default exists. */
export interface CloudTrailLakeLogExporterOptions extends MappingOptions, NetworkOptions {
  /**
   * The channel to send to: `arn:{partition}:cloudtrail:{region}:{account}:channel/{id}`. Its region
   * selects the endpoint and its account is the default `recipientAccountId`.
   * Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN`. Required from one of the two.
   *
   * Or a function of the record returning its channel's full ARN, or `{ channelArn, externalId }`, to
   * route records to many channels (one per tenant or service). It is called once per record where it
   * enters; the route travels with the record (spool included). A throw or a value that is not a channel
   * ARN rejects that record alone (`CTL_ERR_ROUTE`). Each channel gets its own requests and error state;
   * all share one rate limit (the quota is per account and Region).
   */
  channelArn?: string | ChannelArnFunction;
  /** Region, needed only with a bare channel id; must agree with the ARN's. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_REGION`. */
  region?: string;
  /** A custom endpoint URL (VPC endpoint, the local emulator). Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT`, then `AWS_ENDPOINT_URL_CLOUDTRAIL_DATA`. */
  endpoint?: string;
  /**
   * Accept a plain `http://` endpoint on a host other than this one (loopback is always allowed); a
   * warning is logged once. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_ALLOW_INSECURE_HTTP`. @default false
   */
  allowInsecureHttp?: boolean;
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
  /** Timeout of one PutAuditEvents HTTP attempt, in milliseconds. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_REQUEST_TIMEOUT`. @default DEFAULTS.requestTimeoutMillis (10,000 ms) */
  requestTimeoutMillis?: number;
  /** PutAuditEvents requests in flight at once, across overlapping exports. @default DEFAULTS.maxConcurrentRequests (10) */
  maxConcurrentRequests?: number;
  /** Client-side rate limit in requests per second (service quota: 100). @default DEFAULTS.maxRequestsPerSecond (100) */
  maxRequestsPerSecond?: number;
  /**
   * Backoff and attempts for retryable failures, whole-request and per-event. Env:
   * `OTEL_EXPORTER_CLOUDTRAIL_LAKE_RETRY_MAX_ATTEMPTS`, `..._RETRY_INITIAL_BACKOFF`, `..._RETRY_MAX_BACKOFF`.
   * @default DEFAULTS.retry
   */
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
  /** The one channel of a string `channelArn`; undefined when `channelArn` is a function. */
  channel: ChannelArn | undefined;
  externalId: string | undefined;
  /** The `channelArn` function that routes each record, if it is one. */
  route: ChannelArnFunction | undefined;
  /** What the built-in HTTP transport receives; undefined with a `putAuditEvents` plug-in or a `channelArn` function. */
  http: ResolvedHttpTransportOptions | undefined;
  /**
   * The HTTP transport's options for any channel (the endpoint resolved once per Region); undefined with
   * a `putAuditEvents` plug-in. @throws ConfigError when the endpoint cannot be resolved for its Region
   */
  httpFor: ((channel: ResolvedChannel) => ResolvedHttpTransportOptions) | undefined;
  /**
   * What the pure core gets: the mapping options, the recipient account and `maxRequestBytes`. Without a
   * `recipientAccountId` option, a routed record gets its channel's account.
   */
  mapping: PrepareOptions;
  maxEventsPerRequest: number;
  maxRequestBytes: number;
  timeoutMillis: number;
  maxConcurrentRequests: number;
  maxRequestsPerSecond: number;
  retry: ResolvedRetryOptions;
  onRejected: OnRejected | undefined;
  putAuditEvents: PutAuditEventsFunction | undefined;
  meterProvider: MeterProvider | undefined;
  deadLetter: DeadLetterOption | undefined;
  receipts: ReceiptFileOptions | undefined;
}

/** The exporter's plain-value options as data: env var, rule, default. */
export const EXPORTER_OPTIONS = Object.freeze({
  recipientAccountId: {
    env: ENV_VARS.recipientAccountId,
    rule: text('a 12-digit AWS account id', ACCOUNT_ID_PATTERN),
  },
  maxEventsPerRequest: {
    env: ENV_VARS.maxEventsPerRequest,
    rule: integer(1, PUT_AUDIT_EVENTS_MAX_EVENTS),
    default: DEFAULTS.maxEventsPerRequest,
  },
  maxRequestBytes: {
    env: ENV_VARS.maxRequestBytes,
    rule: integer(1, PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES),
    default: DEFAULTS.maxRequestBytes,
  },
  timeoutMillis: {
    env: ENV_VARS.timeoutMillis,
    rule: integer(1, MAX_TIMER_MILLIS),
    default: DEFAULTS.exportTimeoutMillis,
  },
  maxConcurrentRequests: {
    env: ENV_VARS.maxConcurrentRequests,
    rule: integer(1, 1_000),
    default: DEFAULTS.maxConcurrentRequests,
  },
  maxRequestsPerSecond: {
    env: ENV_VARS.maxRequestsPerSecond,
    rule: number({ above: 0, max: PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND }),
    default: DEFAULTS.maxRequestsPerSecond,
  },
  includeAttributes: { env: ENV_VARS.includeAttributes, rule: boolean, default: DEFAULTS.includeAttributes },
  truncate: { env: ENV_VARS.truncate, rule: boolean, default: DEFAULTS.truncate },
  deadLetterPath: { env: ENV_VARS.deadLetterPath, rule: text('a file path') },
  receiptsPath: { env: ENV_VARS.receiptsPath, rule: text('a file path') },
} as const);

/** `defaults.*` from the environment, each used only where the code option leaves the key unset. */
const DEFAULTS_FROM_ENV: Readonly<Record<keyof MappingDefaults, string>> = Object.freeze({
  userIdentityType: ENV_VARS.defaultUserIdentityType,
  eventSource: ENV_VARS.defaultEventSource,
  version: ENV_VARS.defaultVersion,
});

const RETRY_FROM_ENV: Readonly<Record<'maxAttempts' | 'initialBackoffMillis' | 'maxBackoffMillis', string>> =
  Object.freeze({
    maxAttempts: ENV_VARS.retryMaxAttempts,
    initialBackoffMillis: ENV_VARS.retryInitialBackoffMillis,
    maxBackoffMillis: ENV_VARS.retryMaxBackoffMillis,
  });

function mappingDefaults(user: unknown, env: Env): MappingDefaults | undefined {
  // A malformed `defaults` is left to checkPrepareOptions, which names it.
  if (user !== undefined && (typeof user !== 'object' || user === null)) return user as MappingDefaults;
  const out: Record<string, unknown> = { ...(user as MappingDefaults | undefined) };
  for (const [key, name] of Object.entries(DEFAULTS_FROM_ENV)) {
    if (out[key] !== undefined) continue;
    const value = resolveOptionalOption(`defaults.${key}`, { env: name, rule: text() }, undefined, env);
    if (value !== undefined) out[key] = value;
  }
  return user === undefined && Object.keys(out).length === 0 ? undefined : out;
}

/** The `retry` option, each field falling back to its env var; the backoff bound may not go below the first wait. */
function retryOptions(user: RetryOptions | undefined, env: Env): ResolvedRetryOptions {
  if (user !== undefined && (typeof user !== 'object' || user === null)) {
    throw new ConfigError('retry', `Expected \`retry\` to be an object, got ${describeValue(user)}`);
  }
  const initialBackoffMillis = resolveOption(
    'retry.initialBackoffMillis',
    {
      env: RETRY_FROM_ENV.initialBackoffMillis,
      rule: RETRY_RULES.initialBackoffMillis,
      default: DEFAULTS.retry.initialBackoffMillis,
    },
    user?.initialBackoffMillis,
    env,
  );
  return resolveRetryOptions({
    maxAttempts: resolveOption(
      'retry.maxAttempts',
      { env: RETRY_FROM_ENV.maxAttempts, rule: RETRY_RULES.maxAttempts, default: DEFAULTS.retry.maxAttempts },
      user?.maxAttempts,
      env,
    ),
    initialBackoffMillis,
    maxBackoffMillis: resolveOption(
      'retry.maxBackoffMillis',
      {
        env: RETRY_FROM_ENV.maxBackoffMillis,
        rule: number({ min: initialBackoffMillis, max: RETRY_MAX_BACKOFF_MILLIS }),
        default: Math.max(DEFAULTS.retry.maxBackoffMillis, initialBackoffMillis),
      },
      user?.maxBackoffMillis,
      env,
    ),
    multiplier: user?.multiplier,
  });
}

/**
 * The HTTP transport's options for each channel: everything but the channel is resolved once per
 * Region (the endpoint depends on it), so many channels of one Region share one resolved endpoint.
 */
function httpOptionsPerRegion(
  user: Parameters<typeof resolveHttpTransportOptions>[0],
  env: Env,
): (resolved: ResolvedChannel) => ResolvedHttpTransportOptions {
  const perRegion = new Map<string, ResolvedHttpTransportOptions>();
  return (resolved) => {
    const key = `${resolved.channel.partition}:${resolved.channel.region}`;
    let options = perRegion.get(key);
    if (options === undefined) {
      options = resolveHttpTransportOptions(user, env, resolved);
      perRegion.set(key, options);
    }
    return { ...options, channel: resolved.channel, externalId: resolved.externalId };
  };
}

/** Applies code option > env > DEFAULTS and checks every value. @throws ConfigError */
export function resolveExporterOptions(
  user: CloudTrailLakeLogExporterOptions = {},
  env: Env = process.env,
): ResolvedExporterOptions {
  const O = EXPORTER_OPTIONS;
  const recipient = resolveOptionalOption(
    'recipientAccountId',
    O.recipientAccountId,
    user.recipientAccountId,
    env,
  );
  const route = typeof user.channelArn === 'function' ? user.channelArn : undefined;
  const resolvedChannel =
    route === undefined
      ? resolveChannel(
          { ...user, channelArn: user.channelArn as string | undefined, accountId: recipient },
          env,
        )
      : undefined;
  const channel = resolvedChannel?.channel;
  const recipientAccountId = recipient ?? channel?.accountId;
  if (route === undefined && recipientAccountId === undefined) {
    throw new ConfigError(
      'recipientAccountId',
      'Expected `recipientAccountId` to be set when `channelArn` is a bare channel id, got nothing',
    );
  }
  const putAuditEvents = checkOptional('putAuditEvents', user.putAuditEvents, func) as
    PutAuditEventsFunction | undefined;
  const maxConcurrentRequests = resolveOption(
    'maxConcurrentRequests',
    O.maxConcurrentRequests,
    user.maxConcurrentRequests,
    env,
  );
  const httpFor =
    putAuditEvents === undefined
      ? httpOptionsPerRegion({ ...user, channelArn: undefined, maxSockets: maxConcurrentRequests }, env)
      : undefined;
  const http = resolvedChannel === undefined ? undefined : httpFor?.(resolvedChannel);
  const onRejected = checkOptional('onRejected', user.onRejected, func) as OnRejected | undefined;

  const maxRequestBytes = resolveOption('maxRequestBytes', O.maxRequestBytes, user.maxRequestBytes, env);
  const mapping: PrepareOptions = {
    ...(recipientAccountId === undefined ? {} : { recipientAccountId }),
    maxRequestBytes,
    includeAttributes: resolveOption('includeAttributes', O.includeAttributes, user.includeAttributes, env),
    truncate: resolveOption('truncate', O.truncate, user.truncate, env),
  };
  const defaults = mappingDefaults(user.defaults, env);
  if (defaults !== undefined) mapping.defaults = defaults;
  if (user.filter !== undefined) mapping.filter = user.filter;
  if (user.mapRecord !== undefined) mapping.mapRecord = user.mapRecord;
  checkPrepareOptions(mapping);

  const deadLetterPath = resolveOptionalOption('deadLetter.path', O.deadLetterPath, undefined, env);
  const receiptsPath = resolveOptionalOption('receipts.path', O.receiptsPath, undefined, env);
  return {
    channel,
    externalId: resolvedChannel?.externalId,
    route,
    http,
    httpFor,
    mapping,
    maxEventsPerRequest: resolveOption(
      'maxEventsPerRequest',
      O.maxEventsPerRequest,
      user.maxEventsPerRequest,
      env,
    ),
    maxRequestBytes,
    timeoutMillis: resolveOption('timeoutMillis', O.timeoutMillis, user.timeoutMillis, env),
    maxConcurrentRequests,
    maxRequestsPerSecond: resolveOption(
      'maxRequestsPerSecond',
      O.maxRequestsPerSecond,
      user.maxRequestsPerSecond,
      env,
    ),
    retry: retryOptions(user.retry, env),
    onRejected,
    putAuditEvents,
    meterProvider: user.meterProvider,
    deadLetter:
      user.deadLetter !== undefined
        ? checkDeadLetterOption(user.deadLetter)
        : deadLetterPath === undefined
          ? undefined
          : { path: deadLetterPath },
    receipts: user.receipts ?? (receiptsPath === undefined ? undefined : { path: receiptsPath }),
  };
}
