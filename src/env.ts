/**
 * Environment variables for the exporter (OTEL_EXPORTER_CLOUDTRAIL_LAKE_*) and the processor
 * (OTEL_BLRP_*, which the sdk-logs BatchLogRecordProcessor does not read itself). As in the OTel SDKs,
 * a malformed or out-of-range value logs one warning and is ignored, so the next source (the default)
 * applies; only code options throw.
 */
import { componentLogger } from './internal/diag.js';
import {
  EXTERNAL_ID_MAX_CHARS,
  EXTERNAL_ID_MIN_CHARS,
  EXTERNAL_ID_PATTERN,
  PUT_AUDIT_EVENTS_MAX_EVENTS,
  PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES,
  PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
} from './limits.js';

/** The environment as `process.env` shapes it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Names of every variable this library reads; the README's configuration table lists the same. */
export const ENV_VARS = Object.freeze({
  channelArn: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_CHANNEL_ARN',
  endpoint: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_ENDPOINT',
  region: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_REGION',
  externalId: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_EXTERNAL_ID',
  recipientAccountId: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_RECIPIENT_ACCOUNT_ID',
  useFipsEndpoint: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_USE_FIPS_ENDPOINT',
  useDualstackEndpoint: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_USE_DUALSTACK_ENDPOINT',
  timeoutMillis: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_TIMEOUT',
  maxConcurrentRequests: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_CONCURRENT_REQUESTS',
  maxRequestsPerSecond: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_REQUESTS_PER_SECOND',
  maxEventsPerRequest: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_EVENTS_PER_REQUEST',
  maxRequestBytes: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_REQUEST_BYTES',
  includeAttributes: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_INCLUDE_ATTRIBUTES',
  truncate: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_TRUNCATE',
  deadLetterPath: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_DEAD_LETTER_PATH',
  receiptsPath: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_RECEIPTS_PATH',
  spoolDirectory: 'OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY',
  scheduledDelayMillis: 'OTEL_BLRP_SCHEDULE_DELAY',
  exportTimeoutMillis: 'OTEL_BLRP_EXPORT_TIMEOUT',
  maxQueueSize: 'OTEL_BLRP_MAX_QUEUE_SIZE',
  maxExportBatchSize: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
} as const);

/** Exporter options that can come from the environment. */
export interface ExporterEnvOptions {
  channelArn?: string;
  endpoint?: string;
  region?: string;
  externalId?: string;
  recipientAccountId?: string;
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
  timeoutMillis?: number;
  maxConcurrentRequests?: number;
  maxRequestsPerSecond?: number;
  maxEventsPerRequest?: number;
  maxRequestBytes?: number;
  includeAttributes?: boolean;
  truncate?: boolean;
  deadLetterPath?: string;
  receiptsPath?: string;
}

/** Processor options that can come from the environment. */
export interface ProcessorEnvOptions {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  /** A directory turns the file spool on. */
  spoolDirectory?: string;
}

const logger = componentLogger('CloudTrailLakeLogExporter');

/** Upper bound for any millisecond or count variable: large enough for everything, small enough to catch typos. */
const MAX_ENV_INTEGER = 2_147_483_647;

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function ignore(name: string, expected: string, shown: string): undefined {
  logger.warn(
    `Ignoring ${name}: expected ${expected}, got ${shown}; using the next source (option default).`,
  );
  return undefined;
}

function readString(env: Env, name: string): string | undefined {
  return raw(env, name);
}

function readNumber(env: Env, name: string, min: number, max: number, integer: boolean): number | undefined {
  const text = raw(env, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok = Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  const kind = integer ? 'an integer' : 'a number';
  return ok ? value : ignore(name, `${kind} from ${min} to ${max}`, JSON.stringify(text));
}

function readBoolean(env: Env, name: string): boolean | undefined {
  const text = raw(env, name)?.toLowerCase();
  if (text === undefined) return undefined;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return ignore(name, '`true` or `false`', JSON.stringify(text));
}

function readEndpoint(env: Env, name: string): string | undefined {
  const text = raw(env, name);
  if (text === undefined) return undefined;
  return URL.canParse(text) ? text : ignore(name, 'an absolute URL', JSON.stringify(text));
}

function readExternalId(env: Env, name: string): string | undefined {
  const text = raw(env, name);
  if (text === undefined) return undefined;
  const ok =
    text.length >= EXTERNAL_ID_MIN_CHARS &&
    text.length <= EXTERNAL_ID_MAX_CHARS &&
    EXTERNAL_ID_PATTERN.test(text);
  // The external id guards against the confused-deputy problem: never echo it, only its length.
  return ok
    ? text
    : ignore(
        name,
        `${EXTERNAL_ID_MIN_CHARS} to ${EXTERNAL_ID_MAX_CHARS} characters of [\\w+=,.@:/-]`,
        `a value of ${text.length} characters`,
      );
}

/** Puts `value` under `key` unless it is undefined (exactOptionalPropertyTypes forbids explicit undefined). */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Reads the exporter's variables; invalid ones are warned about and left out. */
export function readExporterEnv(env: Env = process.env): ExporterEnvOptions {
  const out: ExporterEnvOptions = {};
  put(out, 'channelArn', readString(env, ENV_VARS.channelArn));
  put(out, 'endpoint', readEndpoint(env, ENV_VARS.endpoint));
  put(out, 'region', readString(env, ENV_VARS.region));
  put(out, 'externalId', readExternalId(env, ENV_VARS.externalId));
  put(out, 'recipientAccountId', readString(env, ENV_VARS.recipientAccountId));
  put(out, 'useFipsEndpoint', readBoolean(env, ENV_VARS.useFipsEndpoint));
  put(out, 'useDualstackEndpoint', readBoolean(env, ENV_VARS.useDualstackEndpoint));
  put(out, 'timeoutMillis', readNumber(env, ENV_VARS.timeoutMillis, 1, MAX_ENV_INTEGER, true));
  put(out, 'maxConcurrentRequests', readNumber(env, ENV_VARS.maxConcurrentRequests, 1, 1_000, true));
  put(
    out,
    'maxRequestsPerSecond',
    readNumber(
      env,
      ENV_VARS.maxRequestsPerSecond,
      Number.MIN_VALUE,
      PUT_AUDIT_EVENTS_MAX_REQUESTS_PER_SECOND,
      false,
    ),
  );
  put(
    out,
    'maxEventsPerRequest',
    readNumber(env, ENV_VARS.maxEventsPerRequest, 1, PUT_AUDIT_EVENTS_MAX_EVENTS, true),
  );
  put(
    out,
    'maxRequestBytes',
    readNumber(env, ENV_VARS.maxRequestBytes, 1, PUT_AUDIT_EVENTS_MAX_REQUEST_BYTES, true),
  );
  put(out, 'includeAttributes', readBoolean(env, ENV_VARS.includeAttributes));
  put(out, 'truncate', readBoolean(env, ENV_VARS.truncate));
  put(out, 'deadLetterPath', readString(env, ENV_VARS.deadLetterPath));
  put(out, 'receiptsPath', readString(env, ENV_VARS.receiptsPath));
  return out;
}

/** Reads OTEL_BLRP_*; like sdk-node, a value of 0 or below is invalid and ignored. */
export function readProcessorEnv(env: Env = process.env): ProcessorEnvOptions {
  const out: ProcessorEnvOptions = {};
  put(out, 'scheduledDelayMillis', readNumber(env, ENV_VARS.scheduledDelayMillis, 1, MAX_ENV_INTEGER, true));
  put(out, 'exportTimeoutMillis', readNumber(env, ENV_VARS.exportTimeoutMillis, 1, MAX_ENV_INTEGER, true));
  put(out, 'maxQueueSize', readNumber(env, ENV_VARS.maxQueueSize, 1, MAX_ENV_INTEGER, true));
  put(out, 'maxExportBatchSize', readNumber(env, ENV_VARS.maxExportBatchSize, 1, MAX_ENV_INTEGER, true));
  put(out, 'spoolDirectory', readString(env, ENV_VARS.spoolDirectory));
  return out;
}
