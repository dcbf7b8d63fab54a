import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { MeterProvider } from '@opentelemetry/api';
import { parse as parseYaml } from 'yaml';
import type { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { DEFAULTS } from '../defaults.js';
import { ENV_VARS, type Env } from '../env.js';
import { ConfigError } from '../errors.js';
import {
  boolean,
  describeValue,
  integer,
  resolveOption,
  resolveOptionalOption,
  text,
} from '../internal/check-option.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type {
  CloudTrailLakeLogExporterOptions,
  CloudTrailLakeLogRecordProcessorOptionsBase,
} from '../options.js';
import type { RedactOptions } from '../processors/redact.js';
import type { SpoolOption } from '../spool/resolve-spool.js';
import type { BridgeSink } from './bridge-sink.js';
import { checkBridgeRoutes, type BridgeRoute } from './bridge-routes.js';

/**
 * Batching of the bridge's CloudTrailLakeLogRecordProcessor: its options, env vars (`OTEL_BLRP_*`) and
 * defaults (DEFAULTS.maxExportBatchSize, scheduledDelayMillis, processorExportTimeoutMillis,
 * spoolRedeliveryDelayMillis). `maxExportBatchSize` may not exceed the bridge's `maxQueueSize`.
 */
export type BridgeBatchOptions = Pick<
  CloudTrailLakeLogRecordProcessorOptionsBase,
  'maxExportBatchSize' | 'scheduledDelayMillis' | 'exportTimeoutMillis' | 'redeliveryDelayMillis'
>;

/** Options of {@link startBridge}. Each falls back to its env var, then to DEFAULTS. */
export interface BridgeOptions {
  /** Interface to listen on. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_HOST`. @default DEFAULTS.bridgeHost */
  host?: string;
  /** TCP port; 0 picks a free one. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_PORT`. @default DEFAULTS.bridgePort */
  port?: number;
  /**
   * Largest request body, compressed and again decompressed, in bytes; larger gets 413.
   * Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_BODY_BYTES`. @default DEFAULTS.bridgeMaxBodyBytes
   */
  maxBodyBytes?: number;
  /**
   * Records accepted and not yet exported (queued, in flight, or kept by a durable spool for
   * redelivery); a request that would go above it gets 429 with Retry-After and none of its records is
   * kept. Also the processor's `maxQueueSize`. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_QUEUE_SIZE`, then
   * `OTEL_BLRP_MAX_QUEUE_SIZE`. @default DEFAULTS.bridgeMaxQueueSize, records
   */
  maxQueueSize?: number;
  /** Retry-After of 429 and 503 answers, in seconds. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_RETRY_AFTER_SECONDS`. @default DEFAULTS.bridgeRetryAfterSeconds */
  retryAfterSeconds?: number;
  /** Time `close()` (and SIGTERM) gives the queue to export, in milliseconds. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_DRAIN_TIMEOUT_MILLIS`. @default DEFAULTS.bridgeDrainTimeoutMillis */
  drainTimeoutMillis?: number;
  /**
   * Redact sensitive attributes and bodies before export: `true` with the default patterns, `false`,
   * or RedactOptions. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_REDACT` (true/false) and
   * `OTEL_CLOUDTRAIL_LAKE_BRIDGE_REDACT_PATTERNS` (comma-separated, replaces the defaults).
   * @default DEFAULTS.bridgeRedact
   */
  redact?: boolean | RedactOptions;
  /** Which records to export. @default at least one `audit.*` attribute on the record */
  filter?: (record: AuditLogRecord) => boolean;
  /** Options of the CloudTrailLakeLogExporter the bridge creates; it also reads OTEL_EXPORTER_CLOUDTRAIL_LAKE_* itself. */
  exporterOptions?: CloudTrailLakeLogExporterOptions;
  /**
   * Map and validate each audit record on receipt, and report the invalid ones in the response's
   * `partialSuccess` rather than accepting them and failing at export. Uses the exporter's mapping
   * options, and the event prepared on receipt is the one sent: a record is mapped once either way. Does
   * not apply with a `sink` of your own.
   * @default true
   */
  validateOnIntake?: boolean;
  /** An exporter to use instead of creating one from `exporterOptions`; its `filter` must keep what the bridge's keeps. */
  exporter?: CloudTrailLakeLogExporter;
  /** Batching of the processor in front of the exporter. Env `OTEL_BLRP_*`. */
  batch?: BridgeBatchOptions;
  /**
   * Where accepted records are kept until CloudTrail Lake settles them, as the processor's `spool`:
   * `{ directory, maxBytes?, fsync? }` keeps them on disk, so records answered 200 survive a crash or a
   * drain deadline and are sent at the next start. Env `OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY`.
   * @default in memory (records pending at a crash are lost)
   */
  spool?: SpoolOption;
  /** Replaces the processor and exporter entirely (advanced; `exporter`, `batch` and `spool` are then unused). */
  sink?: BridgeSink;
  /**
   * A YAML or JSON file of the clients allowed to send: `clients:` a list of `{ name, token | sha256 |
   * certificateSubject, eventSources?, recipientAccountIds? }`. Requests then need
   * `Authorization: Bearer <token>` (or a client certificate named in the file). Reloaded when it
   * changes. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_AUTH_TOKENS_FILE`. @default none: no authentication, loopback only
   */
  authTokensFile?: string;
  /**
   * Listen beyond loopback without authentication (no token file, no client certificates): anyone who
   * reaches the port can then write the audit trail. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_INSECURE_NO_AUTH`.
   * @default false
   */
  insecureNoAuth?: boolean;
  /** PEM certificate chain file; with `tlsKey` the bridge serves HTTPS. Reloaded when it changes. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_TLS_CERT`. */
  tlsCert?: string;
  /** PEM private key file of `tlsCert`. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_TLS_KEY`. */
  tlsKey?: string;
  /**
   * PEM CA file: clients must present a certificate it signed (mutual TLS); the certificate's subject
   * CN names the client. Needs `tlsCert`. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_TLS_CLIENT_CA`.
   */
  tlsClientCa?: string;
  /** How often the token and TLS files are checked for changes, in milliseconds. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_FILE_RELOAD_INTERVAL_MILLIS`. @default DEFAULTS.bridgeFileReloadIntervalMillis */
  fileReloadIntervalMillis?: number;
  /** Log records in one request; more is answered 400. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_RECORDS_PER_REQUEST`. @default DEFAULTS.bridgeMaxRecordsPerRequest, records */
  maxRecordsPerRequest?: number;
  /** Attributes of one log record, resource or scope; more is answered 400. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_ATTRIBUTES_PER_RECORD`. @default DEFAULTS.bridgeMaxAttributesPerRecord */
  maxAttributesPerRecord?: number;
  /** AnyValue nesting levels; deeper is answered 400. 1 to 256. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_ANY_VALUE_DEPTH`. @default DEFAULTS.bridgeMaxAnyValueDepth */
  maxAnyValueDepth?: number;
  /** Estimated decoded size of one request, in bytes; more is answered 400. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_DECODED_BYTES`. @default DEFAULTS.bridgeMaxDecodedBytes */
  maxDecodedBytes?: number;
  /** OTLP requests read and decoded at once; more get 429. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_CONCURRENT_REQUESTS`. @default DEFAULTS.bridgeMaxConcurrentRequests */
  maxConcurrentRequests?: number;
  /** Time to receive the request headers, in milliseconds (Node `server.headersTimeout`). Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_HEADERS_TIMEOUT_MILLIS`. @default DEFAULTS.bridgeHeadersTimeoutMillis */
  headersTimeoutMillis?: number;
  /** Time to receive the whole request, in milliseconds (Node `server.requestTimeout`); at least `headersTimeoutMillis`. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_REQUEST_TIMEOUT_MILLIS`. @default DEFAULTS.bridgeRequestTimeoutMillis */
  requestTimeoutMillis?: number;
  /** Idle keep-alive time, in milliseconds (Node `server.keepAliveTimeout`). Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_KEEP_ALIVE_TIMEOUT_MILLIS`. @default DEFAULTS.bridgeKeepAliveTimeoutMillis */
  keepAliveTimeoutMillis?: number;
  /** Open connections (Node `server.maxConnections`). Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_CONNECTIONS`. @default DEFAULTS.bridgeMaxConnections */
  maxConnections?: number;
  /** Also publish the bridge's counters as OTel metrics through this MeterProvider (`/metrics` is served either way). */
  meterProvider?: MeterProvider;

  // --- Routing to many channels ---
  /**
   * Rules that send records to other channels than the exporter's `channelArn`: the first rule whose
   * `match` a record meets (`{ resource: { 'service.name': 'billing' } }`, `{ attributes: { ... } }`)
   * decides its `channelArn` and `externalId`, at intake, before the spool; records no rule matches go
   * to the exporter's `channelArn`. Checked at start (an invalid rule names its index and field). Needs
   * the bridge's own pipeline (not `sink`). YAML: `bridge.routes`. @default none
   */
  routes?: readonly BridgeRoute[];

  // --- OTLP/gRPC: its own port on the same host, with the same authentication, TLS, limits and queue.
  /**
   * Also receive OTLP/gRPC logs (`LogsService/Export`) on `grpcPort`, as the Collector's `otlp`
   * receiver does beside OTLP/HTTP. Needs the optional dependency `@grpc/grpc-js`.
   * Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_GRPC`. @default true when `@grpc/grpc-js` is installed (or `grpcPort` is given)
   */
  grpc?: boolean;
  /**
   * TCP port of OTLP/gRPC; 0 picks a free one. Env `OTEL_CLOUDTRAIL_LAKE_BRIDGE_GRPC_PORT`.
   * @default DEFAULTS.bridgeGrpcPort, or 0 when `port` is 0 (a bridge asked for any free port gets one for gRPC too)
   */
  grpcPort?: number;
}

/**
 * Whether OTLP/gRPC is on: as asked (`grpc`, or a `grpcPort` given), else when its optional dependency
 * `@grpc/grpc-js` is installed, so a bridge installed without it still starts, on OTLP/HTTP alone.
 */
function wantsGrpc(user: BridgeOptions, env: Env): boolean {
  const asked = resolveOptionalOption('grpc', BRIDGE_OPTIONS.grpc, user.grpc, env, 'throw');
  if (asked !== undefined) return asked;
  if (resolveOptionalOption('grpcPort', BRIDGE_OPTIONS.grpcPort, user.grpcPort, env, 'throw') !== undefined) {
    return true;
  }
  return isGrpcInstalled();
}

function isGrpcInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@grpc/grpc-js');
    return true;
  } catch {
    return false;
  }
}

/** Options after defaults and env were applied. */
export interface ResolvedBridgeOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  maxQueueSize: number;
  retryAfterSeconds: number;
  drainTimeoutMillis: number;
  redact: RedactOptions | false;
  authTokensFile: string | undefined;
  insecureNoAuth: boolean;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  tlsClientCa: string | undefined;
  fileReloadIntervalMillis: number;
  maxRecordsPerRequest: number;
  maxAttributesPerRecord: number;
  maxAnyValueDepth: number;
  maxDecodedBytes: number;
  maxConcurrentRequests: number;
  headersTimeoutMillis: number;
  requestTimeoutMillis: number;
  keepAliveTimeoutMillis: number;
  maxConnections: number;
  /** The OTLP/gRPC port, undefined when `grpc` is false. */
  grpcPort: number | undefined;
}

/** The bridge's own env vars; the exporter reads OTEL_EXPORTER_CLOUDTRAIL_LAKE_* itself. */
export const BRIDGE_ENV = Object.freeze({
  host: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_HOST',
  port: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_PORT',
  maxBodyBytes: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_BODY_BYTES',
  maxQueueSize: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_QUEUE_SIZE',
  retryAfterSeconds: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_RETRY_AFTER_SECONDS',
  drainTimeoutMillis: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_DRAIN_TIMEOUT_MILLIS',
  redact: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_REDACT',
  redactPatterns: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_REDACT_PATTERNS',
  config: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_CONFIG',
  authTokensFile: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_AUTH_TOKENS_FILE',
  insecureNoAuth: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_INSECURE_NO_AUTH',
  tlsCert: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_TLS_CERT',
  tlsKey: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_TLS_KEY',
  tlsClientCa: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_TLS_CLIENT_CA',
  fileReloadIntervalMillis: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_FILE_RELOAD_INTERVAL_MILLIS',
  maxRecordsPerRequest: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_RECORDS_PER_REQUEST',
  maxAttributesPerRecord: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_ATTRIBUTES_PER_RECORD',
  maxAnyValueDepth: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_ANY_VALUE_DEPTH',
  maxDecodedBytes: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_DECODED_BYTES',
  maxConcurrentRequests: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_CONCURRENT_REQUESTS',
  headersTimeoutMillis: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_HEADERS_TIMEOUT_MILLIS',
  requestTimeoutMillis: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_REQUEST_TIMEOUT_MILLIS',
  keepAliveTimeoutMillis: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_KEEP_ALIVE_TIMEOUT_MILLIS',
  maxConnections: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_MAX_CONNECTIONS',
  grpc: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_GRPC',
  grpcPort: 'OTEL_CLOUDTRAIL_LAKE_BRIDGE_GRPC_PORT',
} as const);

/** The bridge's plain-value options as data: env var, rule, default. */
export const BRIDGE_OPTIONS = Object.freeze({
  host: { env: BRIDGE_ENV.host, rule: text('a host name or address', /^\S+$/), default: DEFAULTS.bridgeHost },
  port: { env: BRIDGE_ENV.port, rule: integer(0, 65_535), default: DEFAULTS.bridgePort },
  maxBodyBytes: {
    env: BRIDGE_ENV.maxBodyBytes,
    rule: integer(1, 1024 ** 3),
    default: DEFAULTS.bridgeMaxBodyBytes,
  },
  retryAfterSeconds: {
    env: BRIDGE_ENV.retryAfterSeconds,
    rule: integer(0, 3600),
    default: DEFAULTS.bridgeRetryAfterSeconds,
  },
  drainTimeoutMillis: {
    env: BRIDGE_ENV.drainTimeoutMillis,
    rule: integer(0, 3_600_000),
    default: DEFAULTS.bridgeDrainTimeoutMillis,
  },
  redact: { env: BRIDGE_ENV.redact, rule: boolean, default: DEFAULTS.bridgeRedact },
  insecureNoAuth: { env: BRIDGE_ENV.insecureNoAuth, rule: boolean, default: false },
  fileReloadIntervalMillis: {
    env: BRIDGE_ENV.fileReloadIntervalMillis,
    rule: integer(10, 3_600_000),
    default: DEFAULTS.bridgeFileReloadIntervalMillis,
  },
  maxRecordsPerRequest: {
    env: BRIDGE_ENV.maxRecordsPerRequest,
    rule: integer(1, 10_000_000),
    default: DEFAULTS.bridgeMaxRecordsPerRequest,
  },
  maxAttributesPerRecord: {
    env: BRIDGE_ENV.maxAttributesPerRecord,
    rule: integer(1, 1_000_000),
    default: DEFAULTS.bridgeMaxAttributesPerRecord,
  },
  maxAnyValueDepth: {
    env: BRIDGE_ENV.maxAnyValueDepth,
    rule: integer(1, 256),
    default: DEFAULTS.bridgeMaxAnyValueDepth,
  },
  maxDecodedBytes: {
    env: BRIDGE_ENV.maxDecodedBytes,
    rule: integer(1, 1024 ** 3),
    default: DEFAULTS.bridgeMaxDecodedBytes,
  },
  maxConcurrentRequests: {
    env: BRIDGE_ENV.maxConcurrentRequests,
    rule: integer(1, 10_000),
    default: DEFAULTS.bridgeMaxConcurrentRequests,
  },
  headersTimeoutMillis: {
    env: BRIDGE_ENV.headersTimeoutMillis,
    rule: integer(1, 3_600_000),
    default: DEFAULTS.bridgeHeadersTimeoutMillis,
  },
  keepAliveTimeoutMillis: {
    env: BRIDGE_ENV.keepAliveTimeoutMillis,
    rule: integer(0, 3_600_000),
    default: DEFAULTS.bridgeKeepAliveTimeoutMillis,
  },
  maxConnections: {
    env: BRIDGE_ENV.maxConnections,
    rule: integer(1, 1_000_000),
    default: DEFAULTS.bridgeMaxConnections,
  },
  grpc: { env: BRIDGE_ENV.grpc, rule: boolean },
  grpcPort: { env: BRIDGE_ENV.grpcPort, rule: integer(0, 65_535), default: DEFAULTS.bridgeGrpcPort },
});
/** The files the bridge reads: a token file, a certificate, its key, a client CA. */
const FILE_PATH_RULE = text('a file path', /\S/);
/** The numeric options resolved straight from BRIDGE_OPTIONS. */
const PLAIN_NUMBERS = [
  'port',
  'maxBodyBytes',
  'retryAfterSeconds',
  'drainTimeoutMillis',
  'fileReloadIntervalMillis',
  'maxRecordsPerRequest',
  'maxAttributesPerRecord',
  'maxAnyValueDepth',
  'maxDecodedBytes',
  'maxConcurrentRequests',
  'keepAliveTimeoutMillis',
  'maxConnections',
] as const;
const MAX_QUEUE_SIZE_RULE = integer(1, 10_000_000);

/**
 * Applies user > env > DEFAULTS and validates every value. Unlike the exporter, an invalid bridge env
 * var is an error, not a warning: the bridge is a service that should not start on a port or limit
 * nobody asked for. @throws ConfigError naming the option or env var.
 */
export function resolveBridgeOptions(
  user: BridgeOptions = {},
  env: Env = process.env,
): ResolvedBridgeOptions {
  const O = BRIDGE_OPTIONS;
  let redact: RedactOptions | false;
  const userRedact =
    typeof user.redact === 'object' && user.redact !== null
      ? user.redact
      : resolveOption('redact', O.redact, user.redact, env, 'throw');
  if (userRedact === false) redact = false;
  else if (userRedact === true) {
    const patterns = env[BRIDGE_ENV.redactPatterns]
      ?.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    redact = patterns === undefined || patterns.length === 0 ? {} : { patterns };
  } else redact = userRedact;
  // The bridge's own variable first, then the processor's OTEL_BLRP_MAX_QUEUE_SIZE.
  const processorQueueSize = {
    env: ENV_VARS.maxQueueSize,
    rule: MAX_QUEUE_SIZE_RULE,
    default: DEFAULTS.bridgeMaxQueueSize,
  };
  const maxQueueSize = resolveOption(
    'maxQueueSize',
    {
      env: BRIDGE_ENV.maxQueueSize,
      rule: MAX_QUEUE_SIZE_RULE,
      default: resolveOption('maxQueueSize', processorQueueSize, undefined, env, 'throw'),
    },
    user.maxQueueSize,
    env,
    'throw',
  );
  const path = (option: 'authTokensFile' | 'tlsCert' | 'tlsKey' | 'tlsClientCa'): string | undefined =>
    resolveOptionalOption(
      option,
      { env: BRIDGE_ENV[option], rule: FILE_PATH_RULE },
      user[option],
      env,
      'throw',
    );
  const tlsCert = path('tlsCert');
  const tlsKey = path('tlsKey');
  const tlsClientCa = path('tlsClientCa');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ConfigError(
      tlsCert === undefined ? 'tlsCert' : 'tlsKey',
      'Expected `tlsCert` and `tlsKey` together',
    );
  }
  if (tlsClientCa !== undefined && tlsCert === undefined) {
    throw new ConfigError(
      'tlsClientCa',
      'Expected `tlsClientCa` with `tlsCert` and `tlsKey`: client certificates need TLS',
    );
  }
  checkBridgeRoutes(user.routes);
  if (user.routes !== undefined && user.routes.length > 0 && user.sink !== undefined) {
    throw new ConfigError(
      'routes',
      "Expected no `routes` with a `sink`: routes apply in the bridge's own pipeline",
    );
  }
  const numbers = Object.fromEntries(
    PLAIN_NUMBERS.map((option) => [option, resolveOption(option, O[option], user[option], env, 'throw')]),
  ) as Record<(typeof PLAIN_NUMBERS)[number], number>;
  const headersTimeoutMillis = resolveOption(
    'headersTimeoutMillis',
    O.headersTimeoutMillis,
    user.headersTimeoutMillis,
    env,
    'throw',
  );
  // Node refuses a headersTimeout above requestTimeout.
  const requestTimeoutMillis = resolveOption(
    'requestTimeoutMillis',
    {
      env: BRIDGE_ENV.requestTimeoutMillis,
      rule: integer(headersTimeoutMillis, 3_600_000),
      default: Math.max(headersTimeoutMillis, DEFAULTS.bridgeRequestTimeoutMillis),
    },
    user.requestTimeoutMillis,
    env,
    'throw',
  );
  const grpcPortDefault = numbers.port === 0 ? 0 : O.grpcPort.default;
  const grpcPort = wantsGrpc(user, env)
    ? resolveOption('grpcPort', { ...O.grpcPort, default: grpcPortDefault }, user.grpcPort, env, 'throw')
    : undefined;
  if (grpcPort !== undefined && grpcPort !== 0 && grpcPort === numbers.port) {
    throw new ConfigError(
      'grpcPort',
      `Expected \`grpcPort\` to differ from \`port\` (${numbers.port}): OTLP/gRPC has its own port`,
    );
  }
  return {
    ...numbers,
    grpcPort,
    host: resolveOption('host', O.host, user.host, env, 'throw'),
    maxQueueSize,
    redact,
    authTokensFile: path('authTokensFile'),
    insecureNoAuth: resolveOption('insecureNoAuth', O.insecureNoAuth, user.insecureNoAuth, env, 'throw'),
    tlsCert,
    tlsKey,
    tlsClientCa,
    headersTimeoutMillis,
    requestTimeoutMillis,
  };
}

const FILE_BRIDGE_KEYS = new Set([
  'host',
  'port',
  'maxBodyBytes',
  'maxQueueSize',
  'retryAfterSeconds',
  'drainTimeoutMillis',
  'redact',
  'batch',
  'spool',
  'authTokensFile',
  'insecureNoAuth',
  'tlsCert',
  'tlsKey',
  'tlsClientCa',
  'fileReloadIntervalMillis',
  'maxRecordsPerRequest',
  'maxAttributesPerRecord',
  'maxAnyValueDepth',
  'maxDecodedBytes',
  'maxConcurrentRequests',
  'headersTimeoutMillis',
  'requestTimeoutMillis',
  'keepAliveTimeoutMillis',
  'maxConnections',
  'routes',
  'grpc',
  'grpcPort',
]);

/**
 * Reads a YAML (or JSON) config file with two sections: `bridge` (the options above that are plain
 * data) and `exporter` (CloudTrailLakeLogExporter options). Unknown `bridge` keys are errors, so a
 * typo does not silently fall back to a default. Values are validated by the resolvers later.
 */
export async function loadBridgeConfigFile(path: string): Promise<BridgeOptions> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      'config',
      `Could not read the bridge config file ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    throw new ConfigError(
      'config',
      `The bridge config file ${path} is not valid YAML: ${(cause as Error).message}`,
      { cause },
    );
  }
  document ??= {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(
      'config',
      `Expected the bridge config file ${path} to hold a mapping, got ${describeValue(document)}`,
    );
  }
  const { bridge = {}, exporter, ...rest } = document as Record<string, unknown>;
  const unknownTop = Object.keys(rest);
  if (unknownTop.length > 0) {
    throw new ConfigError(
      'config',
      `Unknown section(s) ${unknownTop.map((k) => `\`${k}\``).join(', ')} in ${path}; expected \`bridge\` and \`exporter\``,
    );
  }
  if (typeof bridge !== 'object' || bridge === null || Array.isArray(bridge)) {
    throw new ConfigError(
      'bridge',
      `Expected \`bridge\` in ${path} to be a mapping, got ${describeValue(bridge)}`,
    );
  }
  for (const key of Object.keys(bridge)) {
    if (!FILE_BRIDGE_KEYS.has(key))
      throw new ConfigError(`bridge.${key}`, `Unknown option \`bridge.${key}\` in ${path}`);
  }
  if (
    exporter !== undefined &&
    (typeof exporter !== 'object' || exporter === null || Array.isArray(exporter))
  ) {
    throw new ConfigError(
      'exporter',
      `Expected \`exporter\` in ${path} to be a mapping, got ${describeValue(exporter)}`,
    );
  }
  return {
    ...(bridge as BridgeOptions),
    ...(exporter === undefined ? {} : { exporterOptions: exporter }),
  };
}
