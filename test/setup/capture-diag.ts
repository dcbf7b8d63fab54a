// Suite-wide secret check, per test file: installs a capturing OTel diag logger at level ALL that stays
// in place when a test sets its own (the test's logger still sees what its level lets through), also
// records errors reaching the OTel global error handler, and writes all of it to a per-worker file that
// the global teardown (test/setup/scan-secrets.ts) scans for every secret in test-credentials.ts.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { diag, DiagLogLevel, type DiagLogger, type DiagLoggerOptions } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { afterAll, expect } from 'vitest';
import { CAPTURE_DIR_ENV } from './capture-files.js';

type Level = 'error' | 'warn' | 'info' | 'debug' | 'verbose';
const LEVELS: Record<Level, DiagLogLevel> = {
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
};

const directory = process.env[CAPTURE_DIR_ENV];
const lines: string[] = [];

function describe(arg: unknown): string {
  if (arg instanceof Error)
    return `${arg.name}: ${arg.message}${arg.cause === undefined ? '' : ` (cause: ${describe(arg.cause)})`}`;
  if (typeof arg === 'string') return arg;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

function capture(level: string, args: unknown[]): void {
  lines.push(`${level} ${args.map(describe).join(' ')}`);
}

if (directory !== undefined) {
  const setLogger = diag.setLogger.bind(diag);
  const disable = diag.disable.bind(diag);
  const tee = (inner: DiagLogger | undefined, innerLevel: DiagLogLevel): DiagLogger => {
    const logger = {} as DiagLogger;
    for (const level of Object.keys(LEVELS) as Level[]) {
      logger[level] = (...args: unknown[]) => {
        capture(level, args);
        if (inner !== undefined && LEVELS[level] <= innerLevel)
          (inner[level] as (...a: unknown[]) => void)(...args);
      };
    }
    return logger;
  };
  const install = (inner: DiagLogger | undefined, innerLevel: DiagLogLevel): boolean =>
    setLogger(tee(inner, innerLevel), { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });

  diag.setLogger = (logger: DiagLogger, options?: DiagLoggerOptions | DiagLogLevel): boolean => {
    const level = typeof options === 'number' ? options : (options?.logLevel ?? DiagLogLevel.INFO);
    return install(logger, level);
  };
  diag.disable = () => {
    disable();
    install(undefined, DiagLogLevel.NONE);
  };
  install(undefined, DiagLogLevel.NONE);
  setGlobalErrorHandler((error) => capture('global-error', [error]));
  process.on('unhandledRejection', (reason) => capture('unhandled-rejection', [reason]));

  afterAll(() => {
    if (lines.length === 0) return;
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `worker-${process.pid}.log`);
    const name = expect.getState().testPath ?? 'unknown test file';
    appendFileSync(file, `# ${name}\n${lines.splice(0).join('\n')}\n`);
  });
}
