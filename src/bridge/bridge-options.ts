import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { CloudTrailLakeLogExporter } from '../cloudtrail-lake-log-exporter.js';
import { DEFAULTS } from '../defaults.js';
import { ENV_VARS, type Env } from '../env.js';
import { ConfigError } from '../errors.js';
import { boolean, describeValue, integer, resolveOption, text } from '../internal/check-option.js';
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
});
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
  return {
    host: resolveOption('host', O.host, user.host, env, 'throw'),
    port: resolveOption('port', O.port, user.port, env, 'throw'),
    maxBodyBytes: resolveOption('maxBodyBytes', O.maxBodyBytes, user.maxBodyBytes, env, 'throw'),
    maxQueueSize,
    retryAfterSeconds: resolveOption(
      'retryAfterSeconds',
      O.retryAfterSeconds,
      user.retryAfterSeconds,
      env,
      'throw',
    ),
    drainTimeoutMillis: resolveOption(
      'drainTimeoutMillis',
      O.drainTimeoutMillis,
      user.drainTimeoutMillis,
      env,
      'throw',
    ),
    redact,
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
