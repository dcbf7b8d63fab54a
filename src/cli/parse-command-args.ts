import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A wrong command line: the CLI prints the message and the command's usage line, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The usage line of the command at fault. */
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}

/** Exit codes of every command. */
export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2 });

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed command line: flag values by name, positional arguments, and whether help was asked. */
export interface ParsedCommandArgs {
  values: Readonly<Record<string, string | boolean | Array<string | boolean> | undefined>>;
  positionals: readonly string[];
  help: boolean;
}

/** A string flag's value (the last one when repeated). */
export function stringFlag(args: ParsedCommandArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * node:util parseArgs in strict mode, plus `-h/--help`; any parse error (unknown flag, missing value)
 * becomes a UsageError carrying `usage`.
 */
export function parseCommandArgs(
  argv: readonly string[],
  options: Options,
  usage: string,
  positionals: { min: number; max: number },
): ParsedCommandArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: positionals.max > 0,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  const help = parsed.values['help'] === true;
  if (!help && parsed.positionals.length < positionals.min) {
    throw new UsageError('Missing argument', usage);
  }
  if (parsed.positionals.length > positionals.max) {
    throw new UsageError(`Unexpected argument '${parsed.positionals[positionals.max] ?? ''}'`, usage);
  }
  return { values: parsed.values, positionals: parsed.positionals, help };
}

/** Reads a positive number flag; a bad value is a UsageError naming the flag, the range and the value. */
export function numberFlag(
  name: string,
  value: string | undefined,
  usage: string,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < range.min || number > range.max) {
    throw new UsageError(
      `Expected --${name} to be a number from ${range.min} to ${range.max}, got '${value}'`,
      usage,
    );
  }
  return number;
}
