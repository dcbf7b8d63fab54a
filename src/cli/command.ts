import type { CliIo } from './cli-io.js';

/** One CLI command: `run` resolves to the process exit code (see EXIT). */
export interface Command {
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** The usage line printed with a usage error. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
