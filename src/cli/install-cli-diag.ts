import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { inspect } from 'node:util';
import { cliColors } from './cli-colors.js';
import type { CliIo } from './cli-io.js';

/** `OTEL_LOG_LEVEL` values, as the OTel SDK environment variable specification lists them. */
const LEVELS: Readonly<Record<string, DiagLogLevel>> = Object.freeze({
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
});

/**
 * The CLI's level when `OTEL_LOG_LEVEL` is unset: `warn`, so every record the exporter drops or the
 * service rejects is reported (the exporter logs those at warn or error), and routine progress is not.
 */
export const CLI_DEFAULT_LOG_LEVEL = 'WARN';

function describeArg(value: unknown): string {
  if (value instanceof Error) {
    const code = 'code' in value ? ` [${String(value.code)}]` : '';
    const cause = value.cause instanceof Error ? ` (cause: ${value.cause.message})` : '';
    return `${value.name}: ${value.message}${code}${cause}`;
  }
  return typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: Infinity });
}

/**
 * Routes the OTel diag log (where the exporter, the processor and the spool report drops, rejections and
 * retries) to stderr at the level `OTEL_LOG_LEVEL` names (default `warn`). An unknown value is reported
 * and the default applies. Returns the level in effect.
 */
export function installCliDiag(io: Pick<CliIo, 'err' | 'env' | 'isTty'>): DiagLogLevel {
  const colors = cliColors(io);
  const raw = io.env['OTEL_LOG_LEVEL']?.trim();
  let level = LEVELS[(raw === undefined || raw === '' ? CLI_DEFAULT_LOG_LEVEL : raw).toUpperCase()];
  const unknown = level === undefined;
  level ??= LEVELS[CLI_DEFAULT_LOG_LEVEL]!;
  const line =
    (label: string, paint: (text: string) => string) =>
    (message: string, ...args: unknown[]): void =>
      io.err(`${paint(label)} ${[message, ...args.map(describeArg)].join(' ')}`);
  const logger: DiagLogger = {
    error: line('error:', colors.error),
    warn: line('warn:', colors.warn),
    info: line('info:', (text) => text),
    debug: line('debug:', colors.dim),
    verbose: line('verbose:', colors.dim),
  };
  diag.setLogger(logger, { logLevel: level, suppressOverrideMessage: true });
  if (unknown) {
    diag.warn(
      `Ignoring OTEL_LOG_LEVEL=${raw ?? ''}: expected one of ${Object.keys(LEVELS).join(', ')}; using ${CLI_DEFAULT_LOG_LEVEL.toLowerCase()}`,
    );
  }
  return level;
}
