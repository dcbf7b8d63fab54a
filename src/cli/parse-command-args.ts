import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestion } from './did-you-mean.js';

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

/**
 * Exit codes of every command. `interrupted` is 128 + SIGINT (2), what a shell reports for a process
 * killed by Ctrl+C, so scripts treat an interrupted `send` the way they treat any interrupted command.
 */
export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2, interrupted: 130 });

/**
 * Flags spelled as the AWS CLI spells them, each with the name this CLI used first (still accepted).
 * A command that declares either name accepts both, and reads the value under either.
 */
export const FLAG_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'endpoint-url': 'endpoint',
  output: 'format',
});

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

/** `options` with the other name of every aliased flag it declares. */
function withAliases(options: Options): Options {
  const out: Options = { ...options };
  for (const [name, alias] of Object.entries(FLAG_ALIASES)) {
    const declared = options[name] ?? options[alias];
    if (declared === undefined) continue;
    out[name] = declared;
    out[alias] = declared;
  }
  return out;
}

const UNKNOWN_OPTION = /^Unknown option '([^']+)'/;

/**
 * parseArgs' message, shortened for an unknown flag and with the closest of `flagNames` (without the
 * dashes) suggested.
 */
export function describeParseError(error: Error, flagNames: readonly string[]): string {
  const unknown = UNKNOWN_OPTION.exec(error.message)?.[1];
  if (unknown === undefined) return error.message;
  const flags = flagNames.map((name) => `--${name}`);
  return `Unknown option '${unknown}'.${suggestion(unknown.split('=')[0]!, flags)}`;
}

/**
 * node:util parseArgs in strict mode, plus `-h/--help` and the {@link FLAG_ALIASES}; any parse error
 * (unknown flag, with the closest known one suggested; missing value) becomes a UsageError carrying `usage`.
 */
export function parseCommandArgs(
  argv: readonly string[],
  options: Options,
  usage: string,
  positionals: { min: number; max: number },
): ParsedCommandArgs {
  const declared = { ...withAliases(options), help: { type: 'boolean', short: 'h' } } as const;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: positionals.max > 0,
      options: declared,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error as Error, Object.keys(declared)), usage);
  }
  const values: Record<string, string | boolean | Array<string | boolean> | undefined> = {
    ...parsed.values,
  };
  for (const [name, alias] of Object.entries(FLAG_ALIASES)) {
    const value = values[name] ?? values[alias];
    if (value === undefined) continue;
    if (values[name] !== undefined && values[alias] !== undefined) {
      throw new UsageError(`Give --${name} or its older name --${alias}, not both`, usage);
    }
    values[name] = value;
    values[alias] = value;
  }
  const help = parsed.values['help'] === true;
  if (!help && parsed.positionals.length < positionals.min) {
    throw new UsageError('Missing argument', usage);
  }
  if (parsed.positionals.length > positionals.max) {
    throw new UsageError(`Unexpected argument '${parsed.positionals[positionals.max] ?? ''}'`, usage);
  }
  return { values, positionals: parsed.positionals, help };
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

/**
 * The `--output` (or `--format`) flag: one of `allowed`, else `fallback`. A wrong value is a
 * UsageError naming the flag, the choices and the value.
 */
export function outputFlag<const T extends string>(
  args: ParsedCommandArgs,
  allowed: readonly T[],
  fallback: T,
  usage: string,
): T {
  const value = stringFlag(args, 'output');
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `Expected --output to be one of ${allowed.join(', ')}, got '${value}'.${suggestion(value, allowed)}`,
    usage,
  );
}
