import { ConfigError } from '../errors.js';
import { componentLogger } from './diag.js';

/**
 * The one set of option checks, so every configuration error reads alike, whether the option came from
 * code, a config file or the environment:
 * "Expected `maxRequestsPerSecond` to be greater than 0 and at most 100, got `100000` (number)".
 * A rule is data (what is expected, in words, plus a test and an env parser); options files declare
 * their options with these rules and resolve them with {@link resolveOption}: code option > env var >
 * default. A wrong code option throws ConfigError; a wrong env value is warned about and the next source
 * is used, as the OTel SDKs do with their own variables.
 */

/** The environment as `process.env` shapes it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What an option must be. `expected` completes "Expected `x` to be …". */
export interface Rule<T> {
  readonly expected: string;
  test(value: unknown): value is T;
  /** Turns an env var's text into a candidate value (checked by `test` afterwards). */
  parse(text: string): unknown;
  /** Never print the value (a shared secret such as the external id): only its length. */
  readonly secret?: boolean;
}

const asText = (text: string): unknown => text;
/** Env numbers are plain decimals: `Number('')`, `'0x10'` or `'1e3'` would be surprising for a limit. */
const asNumber = (text: string): unknown => (/^[-+]?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/** An integer from `min` to `max` inclusive. */
export function integer(min: number, max: number): Rule<number> {
  return {
    expected: `an integer from ${min} to ${max}`,
    test: (value): value is number =>
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
    parse: asNumber,
  };
}

/**
 * A finite number in a range; `above` excludes its bound, `min` includes it. Worded as a reader would
 * ("greater than 0 and at most 100"), never with `Number.MIN_VALUE`.
 */
export function number(range: { above?: number; min?: number; max: number; below?: boolean }): Rule<number> {
  const { above, min, max, below = false } = range;
  const lower = above !== undefined ? `greater than ${above}` : `at least ${min ?? 0}`;
  const upper = below ? `less than ${max}` : `at most ${max}`;
  return {
    expected: above === undefined && !below ? `a number from ${min ?? 0} to ${max}` : `${lower} and ${upper}`,
    test: (value): value is number =>
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (above !== undefined ? value > above : value >= (min ?? 0)) &&
      (below ? value < max : value <= max),
    parse: asNumber,
  };
}

/** `true` or `false`; env text `true`/`false` in any case. */
export const boolean: Rule<boolean> = {
  expected: 'a boolean',
  test: (value): value is boolean => typeof value === 'boolean',
  parse: (text) => {
    const lower = text.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : text;
  },
};

/** A string matching `pattern` (any non-empty string by default), described by `expected`. */
export function text(expected = 'a non-empty string', pattern: RegExp = /^[\s\S]+$/): Rule<string> {
  return {
    expected,
    test: (value): value is string => typeof value === 'string' && pattern.test(value),
    parse: asText,
  };
}

/** Like {@link text}, but the value is never printed, only its length. */
export function secretText(expected: string, pattern: RegExp): Rule<string> {
  return { ...text(expected, pattern), secret: true };
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(values: readonly T[]): Rule<T> {
  return {
    expected: `one of ${values.map((v) => `\`${v}\``).join(', ')}`,
    test: (value): value is T => typeof value === 'string' && (values as readonly string[]).includes(value),
    parse: asText,
  };
}

/** A function (no env form). */
export const func: Rule<(...args: never[]) => unknown> = {
  expected: 'a function',
  test: (value): value is (...args: never[]) => unknown => typeof value === 'function',
  parse: asText,
};

/** A short, printable rendering of a rejected value and its type, for error messages. */
export function describeValue(value: unknown, secret = false): string {
  if (secret) return typeof value === 'string' ? `a string of ${value.length} characters` : typeof value;
  let shown: string;
  if (typeof value === 'string') shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  else if (typeof value === 'function') shown = 'function';
  else if (typeof value === 'object' && value !== null) shown = Array.isArray(value) ? 'array' : 'object';
  else shown = String(value);
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

/** The one wording of a rejected option. */
export function expectationMessage(option: string, rule: Rule<unknown>, value: unknown): string {
  return `Expected \`${option}\` to be ${rule.expected}, got ${describeValue(value, rule.secret)}`;
}

/** Returns `value` when it satisfies `rule`. @throws ConfigError naming the option, the rule and the value */
export function check<T>(option: string, value: unknown, rule: Rule<T>): T {
  if (!rule.test(value)) throw new ConfigError(option, expectationMessage(option, rule, value));
  return value;
}

/** {@link check}, letting `undefined` through. */
export function checkOptional<T>(option: string, value: unknown, rule: Rule<T>): T | undefined {
  return value === undefined ? undefined : check(option, value, rule);
}

const logger = componentLogger('CloudTrailLakeConfig');

/** The trimmed value of an env var, or undefined when it is unset or blank. */
export function envText(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The value of env var `name` for `option`, or undefined when unset. An invalid value is reported as
 * `invalid` says: `'warn'` (the default) logs the variable, its value and what is used instead, and
 * returns undefined; `'throw'` throws ConfigError naming the variable (for services that must not start
 * on a setting nobody asked for).
 */
export function readEnvOption<T>(
  env: Env,
  name: string,
  option: string,
  rule: Rule<T>,
  instead: unknown,
  invalid: 'warn' | 'throw' = 'warn',
): T | undefined {
  const raw = envText(env, name);
  if (raw === undefined) return undefined;
  const value = rule.parse(raw);
  if (rule.test(value)) return value;
  const shown = rule.secret === true ? `a value of ${raw.length} characters` : JSON.stringify(raw);
  if (invalid === 'throw') {
    throw new ConfigError(name, `Expected env ${name} (\`${option}\`) to be ${rule.expected}, got ${shown}`);
  }
  const used = instead === undefined ? 'leaving it unset' : `using ${describeValue(instead)} instead`;
  logger.warn(`Ignoring env ${name}=${shown}: expected \`${option}\` to be ${rule.expected}; ${used}`);
  return undefined;
}

/** One declared option: its env var (if any), its rule and its default. */
export interface OptionSpec<T> {
  readonly env?: string;
  readonly rule: Rule<T>;
  readonly default: T;
}

/**
 * code option > env var > default, checked with one rule. `invalid` is passed to {@link readEnvOption}.
 * @throws ConfigError for a wrong code option
 */
export function resolveOption<T>(
  option: string,
  spec: OptionSpec<T>,
  user: unknown,
  env: Env,
  invalid: 'warn' | 'throw' = 'warn',
): T {
  if (user !== undefined) return check(option, user, spec.rule);
  if (spec.env === undefined) return spec.default;
  return readEnvOption(env, spec.env, option, spec.rule, spec.default, invalid) ?? spec.default;
}

/** Like {@link resolveOption} for an option without a default: undefined when neither source has one. */
export function resolveOptionalOption<T>(
  option: string,
  spec: { readonly env?: string; readonly rule: Rule<T> },
  user: unknown,
  env: Env,
  invalid: 'warn' | 'throw' = 'warn',
): T | undefined {
  if (user !== undefined) return check(option, user, spec.rule);
  if (spec.env === undefined) return undefined;
  return readEnvOption(env, spec.env, option, spec.rule, undefined, invalid);
}
