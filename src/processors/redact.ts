import { ConfigError } from '../errors.js';
import { DEFAULTS } from '../defaults.js';
import { REDACTED_VALUE } from '../limits.js';

/** How a {@link Redactor} decides which values to hide. */
export interface RedactOptions {
  /**
   * Key patterns, as regular expression sources or RegExps (only their source is used): all are matched
   * case-insensitively anywhere in a key. A key matching any of them has its whole value replaced, at any depth.
   * Extend the defaults with `[...DEFAULTS.redactKeyPatterns, 'ssn']`.
   * @default DEFAULTS.redactKeyPatterns
   */
  patterns?: readonly (string | RegExp)[];
  /**
   * Also look inside strings holding a JSON object (`{...}`), as `audit.request_parameters` often does,
   * and re-serialise them when something inside was hidden.
   * @default true
   */
  parseJsonStrings?: boolean;
  /**
   * Nesting deeper than this many levels is replaced whole by the placeholder: an unbounded or
   * cyclic structure fails closed rather than leaking or overflowing the stack (levels).
   * @default DEFAULTS.redactMaxDepth
   */
  maxDepth?: number;
}

/** A compiled set of redaction rules. Every method returns its input unchanged (same reference) when nothing matched. */
export interface Redactor {
  /** Whether `key` names a sensitive value. */
  isSensitiveKey(key: string): boolean;
  /** Redacts inside a value: maps, arrays and JSON-object strings are searched for sensitive keys. */
  redactValue(value: unknown): unknown;
  /** Redacts an attribute map: sensitive keys get REDACTED_VALUE, the rest are searched recursively. */
  redactAttributes<T extends Readonly<Record<string, unknown>>>(attributes: T): T;
}

/** Builds one case-insensitive RegExp from all patterns so a key is tested once, not once per pattern. */
function compilePatterns(patterns: readonly (string | RegExp)[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  const sources = patterns.map((pattern, index) => {
    if (pattern instanceof RegExp) return pattern.source;
    if (typeof pattern !== 'string' || pattern === '') {
      throw new ConfigError(
        'redact.patterns',
        `Expected \`redact.patterns[${index}]\` to be a non-empty string or RegExp, got \`${String(pattern)}\` (${typeof pattern})`,
      );
    }
    try {
      return new RegExp(pattern, 'i').source;
    } catch (cause) {
      throw new ConfigError(
        'redact.patterns',
        `Expected \`redact.patterns[${index}]\` to be a valid regular expression, got \`${pattern}\``,
        { cause },
      );
    }
  });
  return new RegExp(sources.map((source) => `(?:${source})`).join('|'), 'i');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value))
    return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Cheap pre-check so that only strings that can be a JSON object pay for `JSON.parse`. */
function looksLikeJsonObject(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('{') && trimmed.endsWith('}');
}

/** Compiles the rules once; use the result for every record. Throws ConfigError for a bad pattern. */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const matcher = compilePatterns(options.patterns ?? DEFAULTS.redactKeyPatterns);
  const parseJsonStrings = options.parseJsonStrings ?? true;
  const maxDepth = options.maxDepth ?? DEFAULTS.redactMaxDepth;
  if (!Number.isInteger(maxDepth) || maxDepth < 1) {
    throw new ConfigError(
      'redact.maxDepth',
      `Expected \`redact.maxDepth\` to be an integer of at least 1, got \`${String(maxDepth)}\` (${typeof maxDepth})`,
    );
  }

  const isSensitiveKey = (key: string): boolean => matcher !== undefined && matcher.test(key);

  const redactMap = (
    map: Readonly<Record<string, unknown>>,
    depth: number,
  ): Readonly<Record<string, unknown>> => {
    // Copy on first change only: records without secrets keep their original objects.
    let copy: Record<string, unknown> | undefined;
    // A name/value pair such as a HAR header `{ name: 'Authorization', value: '...' }` hides its value.
    const pairName = map['name'] ?? map['key'];
    const sensitivePair = typeof pairName === 'string' && 'value' in map && isSensitiveKey(pairName);
    for (const key of Object.keys(map)) {
      const value = map[key];
      const next =
        isSensitiveKey(key) || (sensitivePair && key === 'value')
          ? value === undefined
            ? value
            : REDACTED_VALUE
          : redactAt(value, depth + 1);
      if (next !== value) {
        copy ??= { ...map };
        copy[key] = next;
      }
    }
    return copy ?? map;
  };

  const redactArray = (array: readonly unknown[], depth: number): readonly unknown[] => {
    let copy: unknown[] | undefined;
    for (let index = 0; index < array.length; index++) {
      const value = array[index];
      const next = redactAt(value, depth + 1);
      if (next !== value) {
        copy ??= [...array];
        copy[index] = next;
      }
    }
    return copy ?? array;
  };

  const redactJsonString = (text: string, depth: number): string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text;
    }
    if (!isPlainObject(parsed)) return text;
    const redacted = redactMap(parsed, depth);
    return redacted === parsed ? text : JSON.stringify(redacted);
  };

  function redactAt(value: unknown, depth: number): unknown {
    if (matcher === undefined) return value;
    if (typeof value === 'string') {
      return parseJsonStrings && looksLikeJsonObject(value) ? redactJsonString(value, depth) : value;
    }
    if (typeof value !== 'object' || value === null) return value;
    const nested = Array.isArray(value) || isPlainObject(value);
    if (!nested) return value;
    if (depth >= maxDepth) return REDACTED_VALUE;
    return Array.isArray(value) ? redactArray(value, depth) : redactMap(value, depth);
  }

  return {
    isSensitiveKey,
    redactValue: (value) => redactAt(value, 0),
    redactAttributes: <T extends Readonly<Record<string, unknown>>>(attributes: T): T =>
      matcher === undefined ? attributes : (redactMap(attributes, 0) as T),
  };
}

let defaultRedactor: Redactor | undefined;

/**
 * Redacts `value` with the default rules (or `options`): values under sensitive keys become
 * REDACTED_VALUE at any depth of maps, arrays and JSON-object strings. Pure: the input is never
 * modified, and it is returned as is when nothing needed hiding. For many calls with custom options,
 * build one {@link createRedactor} instead, since this compiles the options on every call.
 */
export function redact(value: unknown, options?: RedactOptions): unknown {
  if (options !== undefined) return createRedactor(options).redactValue(value);
  defaultRedactor ??= createRedactor();
  return defaultRedactor.redactValue(value);
}
