import { ACCOUNT_ID_PATTERN } from '../limits.js';
import { ConfigError } from '../errors.js';
import { boolean, checkOptional, describeValue, func, text } from '../internal/check-option.js';
import { isPlainObject } from './any-value.js';
import type { MappingOptions } from './mapping-options.js';

const DEFAULT_KEYS = ['userIdentityType', 'eventSource', 'version'] as const;

/**
 * Throws ConfigError for a mapping option of the wrong type or form. `undefined` means "not set" for
 * every option. Called once at construction so a typo fails fast rather than rejecting every record.
 */
export function checkMappingOptions(options: MappingOptions): void {
  const { defaults, recipientAccountId, filter, mapRecord, includeAttributes, truncate } = options;
  if (defaults !== undefined) {
    if (!isPlainObject(defaults)) {
      throw new ConfigError(
        'defaults',
        `Expected \`defaults\` to be an object, got ${describeValue(defaults)}`,
      );
    }
    for (const key of Object.keys(defaults)) {
      if (!(DEFAULT_KEYS as readonly string[]).includes(key)) {
        const known = DEFAULT_KEYS.map((k) => `\`${k}\``).join(', ');
        throw new ConfigError(
          `defaults.${key}`,
          `Unknown option \`defaults.${key}\`; expected one of ${known}`,
        );
      }
      const value = defaults[key];
      checkOptional(`defaults.${key}`, value, text());
    }
  }
  checkOptional(
    'recipientAccountId',
    recipientAccountId,
    text('a 12-digit AWS account id', ACCOUNT_ID_PATTERN),
  );
  checkOptional('filter', filter, func);
  checkOptional('mapRecord', mapRecord, func);
  checkOptional('includeAttributes', includeAttributes, boolean);
  checkOptional('truncate', truncate, boolean);
}
