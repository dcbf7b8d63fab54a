// Captures OTel diag output so tests can assert on the exporter's diagnostics (and that secrets never appear).
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

export interface DiagLine {
  level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  message: string;
}

export interface CapturedDiag {
  lines: DiagLine[];
  /** Lines at `level` whose text matches `pattern`. */
  matching(level: DiagLine['level'], pattern?: RegExp): DiagLine[];
  restore(): void;
}

/** Installs a capturing diag logger at DEBUG level; call `restore()` in afterEach. */
export function captureDiag(): CapturedDiag {
  const lines: DiagLine[] = [];
  const log =
    (level: DiagLine['level']) =>
    (message: string, ...args: unknown[]): void => {
      const extra = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ');
      lines.push({ level, message: extra === '' ? message : `${message} ${extra}` });
    };
  const logger: DiagLogger = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    verbose: log('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.DEBUG, suppressOverrideMessage: true });
  return {
    lines,
    matching: (level, pattern) =>
      lines.filter((line) => line.level === level && (pattern?.test(line.message) ?? true)),
    restore: () => diag.disable(),
  };
}
