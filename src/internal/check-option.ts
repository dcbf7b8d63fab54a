import { ConfigError } from '../errors.js';

/**
 * Option checkers shared by every component, so all configuration errors read alike:
 * "Expected `maxRequestBytes` to be an integer from 1 to 1048576, got `2000000` (number)".
 * They print the value they reject, so never use them for a credential or any secret option.
 */

/** A short, printable rendering of a rejected value and its type, for error messages. */
export function describeValue(value: unknown): string {
  let shown: string;
  if (typeof value === 'string') shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  else if (typeof value === 'function') shown = 'function';
  else if (typeof value === 'object' && value !== null) shown = Array.isArray(value) ? 'array' : 'object';
  else shown = String(value);
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

/** Throws ConfigError unless `value` is an integer from `min` to `max` inclusive. */
export function checkIntegerOption(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      option,
      `Expected \`${option}\` to be an integer from ${min} to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Throws ConfigError unless `value` is a finite number from `min` to `max` inclusive. */
export function checkNumberOption(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(
      option,
      `Expected \`${option}\` to be a number from ${min} to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Throws ConfigError unless `value` is a boolean. */
export function checkBooleanOption(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(option, `Expected \`${option}\` to be a boolean, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws ConfigError unless `value` is a function. */
export function checkFunctionOption<T>(option: string, value: T): T {
  if (typeof value !== 'function') {
    throw new ConfigError(option, `Expected \`${option}\` to be a function, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws ConfigError unless `value` is a string matching `pattern`; `expected` describes the pattern in words. */
export function checkStringOption(
  option: string,
  value: unknown,
  pattern?: RegExp,
  expected?: string,
): string {
  if (typeof value !== 'string' || (pattern !== undefined && !pattern.test(value))) {
    const what = expected ?? (pattern === undefined ? 'a string' : `a string matching ${String(pattern)}`);
    throw new ConfigError(option, `Expected \`${option}\` to be ${what}, got ${describeValue(value)}`);
  }
  return value;
}

/** Throws ConfigError unless `value` is one of `allowed`. */
export function checkOneOfOption<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((a) => `\`${a}\``).join(', ');
    throw new ConfigError(option, `Expected \`${option}\` to be one of ${list}, got ${describeValue(value)}`);
  }
  return value as T;
}
