import { createRequire } from 'node:module';

/**
 * Everything a command touches outside itself, so tests can run commands in-process and the real
 * entry point wires them to the process. Output is line-based; the progress bar writes raw text.
 */
export interface CliIo {
  /** One line of normal output (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
  /** Raw text to stderr without a newline, for a progress bar; only used when `isTty`. */
  progress(text: string): void;
  /** Whether stderr is a terminal: progress bars are drawn only then. */
  isTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** The stream `-` stands for. */
  stdin: NodeJS.ReadableStream;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    progress: (text) => void process.stderr.write(text),
    isTty: process.stderr.isTTY === true,
    env: process.env,
    stdin: process.stdin,
  };
}

/** The package version, from package.json two levels up (src/cli and dist/cli alike). */
export function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
