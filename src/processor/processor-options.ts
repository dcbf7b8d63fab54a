/**
 * The processor adapter's options and their resolution, `resolveProcessorOptions(user, env)`: code option >
 * environment variable (the OTel SDK's `OTEL_BLRP_*`, which the sdk-logs BatchLogRecordProcessor does not
 * read itself, and `OTEL_EXPORTER_CLOUDTRAIL_LAKE_*`) > DEFAULTS.
 */
import { DEFAULTS } from '../defaults.js';
import { ENV_VARS, type Env } from '../env.js';
import { ConfigError } from '../errors.js';
import {
  check,
  describeValue,
  integer,
  readEnvOption,
  resolveOption,
  resolveOptionalOption,
  text,
} from '../internal/check-option.js';
import { MAX_TIMER_MILLIS } from '../limits.js';
import { FILE_SPOOL_OPTIONS, type FileSpoolOptions } from '../spool/file-spool-options.js';

/** Signals {@link CloudTrailLakeLogRecordProcessorOptionsBase.shutdownOnSignals} accepts. */
export type ShutdownSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'SIGQUIT';

/** Options of the processor adapter: those of the sdk-logs BatchLogRecordProcessor, with throughput-minded defaults. */
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
   * Exports in flight at once. The sdk batch processor inside starts an export only when the previous
   * one called back; above 1, a batch is handed over as soon as the exporter has taken it, so the next
   * batch is prepared (CPU) while this one is on the network. Each export in flight holds up to
   * `maxExportBatchSize` records besides the queue; `forceFlush()` and `shutdown()` wait for all of them.
   * 1 restores the sdk's one-at-a-time behaviour. Env: `OTEL_EXPORTER_CLOUDTRAIL_LAKE_MAX_CONCURRENT_EXPORTS`.
   * @default DEFAULTS.maxConcurrentExports (2 exports)
   */
  maxConcurrentExports?: number;
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
  maxConcurrentExports: number;
  shutdownSignals: readonly ShutdownSignal[];
  droppedWarningIntervalMillis: number;
  redeliveryDelayMillis: number;
  /**
   * The file spool the environment asks for (`OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY`, `..._MAX_BYTES`,
   * `..._FSYNC`), used when no `spool` option is given; undefined without a directory.
   */
  envSpool: FileSpoolOptions | undefined;
}

/**
 * The processor's options as data: env var, rule, default. As in sdk-node, a value of 0 or below is
 * invalid in `OTEL_BLRP_*`; code options may set the delays to 0.
 */
export const PROCESSOR_OPTIONS = Object.freeze({
  maxQueueSize: {
    env: ENV_VARS.maxQueueSize,
    rule: integer(1, MAX_TIMER_MILLIS),
    default: DEFAULTS.maxQueueSize,
  },
  scheduledDelayMillis: {
    env: ENV_VARS.scheduledDelayMillis,
    rule: integer(0, MAX_TIMER_MILLIS),
    envRule: integer(1, MAX_TIMER_MILLIS),
    default: DEFAULTS.scheduledDelayMillis,
  },
  exportTimeoutMillis: {
    env: ENV_VARS.exportTimeoutMillis,
    rule: integer(1, MAX_TIMER_MILLIS),
    default: DEFAULTS.processorExportTimeoutMillis,
  },
  maxConcurrentExports: {
    env: ENV_VARS.maxConcurrentExports,
    rule: integer(1, 1_000),
    default: DEFAULTS.maxConcurrentExports,
  },
  droppedWarningIntervalMillis: {
    rule: integer(0, MAX_TIMER_MILLIS),
    default: DEFAULTS.droppedWarningIntervalMillis,
  },
  redeliveryDelayMillis: { rule: integer(0, MAX_TIMER_MILLIS), default: DEFAULTS.spoolRedeliveryDelayMillis },
});

const SIGNALS: readonly unknown[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'];

function shutdownSignals(option: unknown): readonly ShutdownSignal[] {
  if (option === undefined || option === false) return [];
  if (option === true) return DEFAULTS.shutdownSignals;
  if (Array.isArray(option) && option.every((signal) => SIGNALS.includes(signal))) {
    return option as readonly ShutdownSignal[];
  }
  throw new ConfigError(
    'shutdownOnSignals',
    `Expected \`shutdownOnSignals\` to be a boolean or an array of ${SIGNALS.join(', ')}, got ${describeValue(option)}`,
  );
}

/** The file spool from the environment, or undefined without a directory. */
function envSpool(env: Env): FileSpoolOptions | undefined {
  const directory = resolveOptionalOption(
    'spool.directory',
    { env: ENV_VARS.spoolDirectory, rule: text('a directory path') },
    undefined,
    env,
  );
  if (directory === undefined) return undefined;
  const spool: FileSpoolOptions = { directory };
  const maxBytes = readEnvOption(
    env,
    ENV_VARS.spoolMaxBytes,
    'spool.maxBytes',
    FILE_SPOOL_OPTIONS.maxBytes.rule,
    DEFAULTS.spoolMaxBytes,
  );
  if (maxBytes !== undefined) spool.maxBytes = maxBytes;
  const fsync = readEnvOption(
    env,
    ENV_VARS.spoolFsync,
    'spool.fsync',
    FILE_SPOOL_OPTIONS.fsync.rule,
    DEFAULTS.spoolFsync,
  );
  if (fsync !== undefined) spool.fsync = fsync;
  return spool;
}

/** Applies code option > env > DEFAULTS and checks every value. @throws ConfigError */
export function resolveProcessorOptions(
  user: CloudTrailLakeLogRecordProcessorOptionsBase = {},
  env: Env = process.env,
): ResolvedProcessorOptions {
  const O = PROCESSOR_OPTIONS;
  const maxQueueSize = resolveOption('maxQueueSize', O.maxQueueSize, user.maxQueueSize, env);
  // The batch size is bounded by the queue size, so its rule is known only now.
  const maxExportBatchSize = resolveOption(
    'maxExportBatchSize',
    {
      env: ENV_VARS.maxExportBatchSize,
      rule: integer(1, maxQueueSize),
      default: Math.min(DEFAULTS.maxExportBatchSize, maxQueueSize),
    },
    user.maxExportBatchSize,
    env,
  );
  return {
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis:
      user.scheduledDelayMillis !== undefined
        ? check('scheduledDelayMillis', user.scheduledDelayMillis, O.scheduledDelayMillis.rule)
        : resolveOption(
            'scheduledDelayMillis',
            { ...O.scheduledDelayMillis, rule: O.scheduledDelayMillis.envRule },
            undefined,
            env,
          ),
    exportTimeoutMillis: resolveOption(
      'exportTimeoutMillis',
      O.exportTimeoutMillis,
      user.exportTimeoutMillis,
      env,
    ),
    maxConcurrentExports: resolveOption(
      'maxConcurrentExports',
      O.maxConcurrentExports,
      user.maxConcurrentExports,
      env,
    ),
    shutdownSignals: shutdownSignals(user.shutdownOnSignals),
    droppedWarningIntervalMillis: resolveOption(
      'droppedWarningIntervalMillis',
      O.droppedWarningIntervalMillis,
      user.droppedWarningIntervalMillis,
      env,
    ),
    redeliveryDelayMillis: resolveOption(
      'redeliveryDelayMillis',
      O.redeliveryDelayMillis,
      user.redeliveryDelayMillis,
      env,
    ),
    envSpool: envSpool(env),
  };
}
