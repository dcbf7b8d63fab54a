import { readFile } from 'node:fs/promises';
import type { MeterProvider } from '@opentelemetry/api';
import { parse as parseYaml } from 'yaml';
import type { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { DEFAULTS } from '../defaults.js';
import { readProcessorEnv } from '../env.js';
import { ConfigError } from '../errors.js';
import {
  checkBooleanOption,
  checkIntegerOption,
  checkStringOption,
  describeValue,
} from '../internal/check-option.js';
import type { AuditLogRecord } from '../mapping/audit-log-record.js';
import type {
  CloudTrailLakeLogExporterOptions,
  CloudTrailLakeLogRecordProcessorOptionsBase,
} from '../options.js';
import type { RedactOptions } from '../processors/redact.js';
import type { SpoolOption } from '../spool/resolve-spool.js';
import type { BridgeSink } from './bridge-sink.js';

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
   * `partialSuccess` rather than accepting them and failing at export. Only applies when the bridge
   * creates the exporter (it needs its mapping options); costs a second mapping per record.
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
}

type Env = Readonly<Record<string, string | undefined>>;

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
} as const);

/**
 * Unlike the exporter, an invalid bridge env var is an error, not a warning: the bridge is a service
 * that should not start on a port or limit nobody asked for.
 */
function envInteger(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(
      name,
      `Expected env ${name} to be a non-negative integer, got ${describeValue(raw)}`,
    );
  return Number(raw);
}

function envBoolean(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `Expected env ${name} to be true or false, got ${describeValue(env[name])}`);
}

/** Applies user > env > DEFAULTS and validates every value. @throws ConfigError naming the option or env var. */
export function resolveBridgeOptions(
  user: BridgeOptions = {},
  env: Env = process.env,
): ResolvedBridgeOptions {
  const host = checkStringOption(
    'host',
    user.host ?? env[BRIDGE_ENV.host] ?? DEFAULTS.bridgeHost,
    /^\S+$/,
    'a host name or address',
  );
  const integer = (
    option: keyof typeof BRIDGE_ENV & keyof BridgeOptions,
    value: unknown,
    fallback: number,
    min: number,
    max: number,
  ): number => checkIntegerOption(option, value ?? envInteger(env, BRIDGE_ENV[option]) ?? fallback, min, max);
  let redact: RedactOptions | false;
  const userRedact = user.redact ?? envBoolean(env, BRIDGE_ENV.redact) ?? DEFAULTS.bridgeRedact;
  if (userRedact === false) redact = false;
  else if (userRedact === true) {
    const patterns = env[BRIDGE_ENV.redactPatterns]
      ?.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    redact = patterns === undefined || patterns.length === 0 ? {} : { patterns };
  } else if (typeof userRedact === 'object' && userRedact !== null) redact = userRedact;
  else redact = checkBooleanOption('redact', userRedact) && {};
  const path = (option: 'authTokensFile' | 'tlsCert' | 'tlsKey' | 'tlsClientCa'): string | undefined => {
    const value = user[option] ?? env[BRIDGE_ENV[option]];
    return value === undefined || value === ''
      ? undefined
      : checkStringOption(option, value, /\S/, 'a file path');
  };
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
  const headersTimeoutMillis = integer(
    'headersTimeoutMillis',
    user.headersTimeoutMillis,
    DEFAULTS.bridgeHeadersTimeoutMillis,
    1,
    3_600_000,
  );
  // Node refuses a headersTimeout above requestTimeout.
  const requestTimeoutMillis = integer(
    'requestTimeoutMillis',
    user.requestTimeoutMillis,
    DEFAULTS.bridgeRequestTimeoutMillis,
    headersTimeoutMillis,
    3_600_000,
  );
  return {
    host,
    port: integer('port', user.port, DEFAULTS.bridgePort, 0, 65_535),
    maxBodyBytes: integer('maxBodyBytes', user.maxBodyBytes, DEFAULTS.bridgeMaxBodyBytes, 1, 1024 ** 3),
    maxQueueSize: integer(
      'maxQueueSize',
      user.maxQueueSize,
      readProcessorEnv(env).maxQueueSize ?? DEFAULTS.bridgeMaxQueueSize,
      1,
      10_000_000,
    ),
    retryAfterSeconds: integer(
      'retryAfterSeconds',
      user.retryAfterSeconds,
      DEFAULTS.bridgeRetryAfterSeconds,
      0,
      3600,
    ),
    drainTimeoutMillis: integer(
      'drainTimeoutMillis',
      user.drainTimeoutMillis,
      DEFAULTS.bridgeDrainTimeoutMillis,
      0,
      3_600_000,
    ),
    redact,
    authTokensFile: path('authTokensFile'),
    insecureNoAuth: checkBooleanOption(
      'insecureNoAuth',
      user.insecureNoAuth ?? envBoolean(env, BRIDGE_ENV.insecureNoAuth) ?? false,
    ),
    tlsCert,
    tlsKey,
    tlsClientCa,
    fileReloadIntervalMillis: integer(
      'fileReloadIntervalMillis',
      user.fileReloadIntervalMillis,
      DEFAULTS.bridgeFileReloadIntervalMillis,
      10,
      3_600_000,
    ),
    maxRecordsPerRequest: integer(
      'maxRecordsPerRequest',
      user.maxRecordsPerRequest,
      DEFAULTS.bridgeMaxRecordsPerRequest,
      1,
      10_000_000,
    ),
    maxAttributesPerRecord: integer(
      'maxAttributesPerRecord',
      user.maxAttributesPerRecord,
      DEFAULTS.bridgeMaxAttributesPerRecord,
      1,
      1_000_000,
    ),
    maxAnyValueDepth: integer(
      'maxAnyValueDepth',
      user.maxAnyValueDepth,
      DEFAULTS.bridgeMaxAnyValueDepth,
      1,
      256,
    ),
    maxDecodedBytes: integer(
      'maxDecodedBytes',
      user.maxDecodedBytes,
      DEFAULTS.bridgeMaxDecodedBytes,
      1,
      1024 ** 3,
    ),
    maxConcurrentRequests: integer(
      'maxConcurrentRequests',
      user.maxConcurrentRequests,
      DEFAULTS.bridgeMaxConcurrentRequests,
      1,
      10_000,
    ),
    headersTimeoutMillis,
    requestTimeoutMillis,
    keepAliveTimeoutMillis: integer(
      'keepAliveTimeoutMillis',
      user.keepAliveTimeoutMillis,
      DEFAULTS.bridgeKeepAliveTimeoutMillis,
      0,
      3_600_000,
    ),
    maxConnections: integer(
      'maxConnections',
      user.maxConnections,
      DEFAULTS.bridgeMaxConnections,
      1,
      1_000_000,
    ),
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
