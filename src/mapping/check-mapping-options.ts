import { ACCOUNT_ID_PATTERN } from '../limits.js';
import { ConfigError } from '../errors.js';
import {
  checkBooleanOption,
  checkFunctionOption,
  checkStringOption,
  describeValue,
} from '../internal/check-option.js';
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
      if (value !== undefined) checkStringOption(`defaults.${key}`, value, /^.+$/s, 'a non-empty string');
    }
  }
  if (recipientAccountId !== undefined) {
    checkStringOption(
      'recipientAccountId',
      recipientAccountId,
      ACCOUNT_ID_PATTERN,
      'a 12-digit AWS account id',
    );
  }
  if (filter !== undefined) checkFunctionOption('filter', filter);
  if (mapRecord !== undefined) checkFunctionOption('mapRecord', mapRecord);
  if (includeAttributes !== undefined) checkBooleanOption('includeAttributes', includeAttributes);
  if (truncate !== undefined) checkBooleanOption('truncate', truncate);
}
