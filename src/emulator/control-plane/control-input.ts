import { AwsError, type AwsErrorType } from '../aws-error.js';

/**
 * Reading AWS JSON 1.1 request members with the constraints of botocore's `cloudtrail` model
 * (2013-11-01). botocore checks required members and minimums itself, but not maximums, and other
 * clients check nothing, so the emulator checks again and answers with the modelled exception.
 */
export type Input = Readonly<Record<string, unknown>>;

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The exception for a bad value. @default 'InvalidParameterException' */
  error?: AwsErrorType;
}

export function optionalString(input: Input, name: string, rule: StringRule = {}): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const error = rule.error ?? 'InvalidParameterException';
  if (typeof value !== 'string') throw new AwsError(error, `${name} must be a string, got ${typeof value}.`);
  if (rule.min !== undefined && value.length < rule.min)
    throw new AwsError(error, `${name} must have at least ${rule.min} characters, got ${value.length}.`);
  if (rule.max !== undefined && value.length > rule.max)
    throw new AwsError(error, `${name} must have at most ${rule.max} characters, got ${value.length}.`);
  if (rule.pattern !== undefined && !rule.pattern.test(value))
    throw new AwsError(error, `${name} must match ${rule.pattern.source}, got '${value}'.`);
  return value;
}

export function requiredString(input: Input, name: string, rule: StringRule = {}): string {
  const value = optionalString(input, name, rule);
  if (value === undefined)
    throw new AwsError(rule.error ?? 'InvalidParameterException', `${name} is required.`);
  return value;
}

export function optionalBoolean(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new AwsError('InvalidParameterException', `${name} must be a boolean, got ${typeof value}.`);
  return value;
}

export function optionalInteger(
  input: Input,
  name: string,
  min: number,
  max: number,
  error: AwsErrorType = 'InvalidParameterException',
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new AwsError(
      error,
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  return value;
}

/** botocore sends `timestamp` members of the JSON protocol as epoch seconds. */
export function optionalEpochMillis(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  throw new AwsError(
    'InvalidParameterException',
    `${name} must be a timestamp, got ${JSON.stringify(value)}.`,
  );
}

/** Timestamps go back as epoch seconds (JSON numbers), which botocore parses for `timestamp` shapes. */
export function epochSeconds(millis: number): number {
  return millis / 1000;
}

/**
 * One page of a list. The token is opaque to clients (base64url of the list's name and the offset), at
 * least the 4 characters the model's `PaginationToken` requires; a token of another list, or not one
 * of ours, is InvalidNextTokenException.
 */
export function pageOf<T>(
  items: readonly T[],
  list: string,
  nextToken: string | undefined,
  maxResults: number,
): { page: T[]; nextToken: string | undefined } {
  let offset = 0;
  if (nextToken !== undefined) {
    const [name, position] = Buffer.from(nextToken, 'base64url').toString('utf8').split(':');
    offset = Number(position);
    if (name !== list || !Number.isInteger(offset) || offset < 0 || offset > items.length)
      throw new AwsError('InvalidNextTokenException', 'The NextToken is not valid for this request.');
  }
  const end = offset + maxResults;
  return {
    page: items.slice(offset, end),
    nextToken: end < items.length ? Buffer.from(`${list}:${end}`, 'utf8').toString('base64url') : undefined,
  };
}

/** Drops undefined members, so answers carry only what is known (as the service does). */
export function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
