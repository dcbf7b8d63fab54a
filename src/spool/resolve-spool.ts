/**
 * Turns the processor's `spool` option into a Spool: a Spool object is used as is, a
 * `{ directory, ... }` object opens the file spool, and nothing means the memory spool unless
 * `OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY` names a directory.
 */
import { ConfigError } from '../errors.js';
import { checkIntegerOption, describeValue } from '../internal/check-option.js';
import { createFileSpool, type FileSpoolOptions } from './file-spool.js';
import { createMemorySpool } from './memory-spool.js';
import type { SpoolAttributeScope } from './record-codec.js';
import type { Spool } from './spool.js';

/** The processor's `spool` option. */
export type SpoolOption = Spool | FileSpoolOptions;

const FSYNC_POLICIES: readonly unknown[] = ['always', 'interval', 'never'];
const MAX_INT = 2 ** 53 - 1;

function isSpool(value: object): value is Spool {
  const candidate = value as Partial<Spool>;
  return (
    typeof candidate.append === 'function' &&
    typeof candidate.ack === 'function' &&
    typeof candidate.release === 'function' &&
    typeof candidate.replay === 'function' &&
    typeof candidate.close === 'function'
  );
}

/** Checks the file spool options. @throws ConfigError naming the option */
export function checkFileSpoolOptions(value: FileSpoolOptions): FileSpoolOptions {
  if (typeof value.directory !== 'string' || value.directory === '') {
    throw new ConfigError(
      'spool.directory',
      `Expected \`spool.directory\` to be a non-empty path, got ${describeValue(value.directory)}`,
    );
  }
  const out: FileSpoolOptions = { directory: value.directory };
  if (value.maxBytes !== undefined)
    out.maxBytes = checkIntegerOption('spool.maxBytes', value.maxBytes, 4_096, MAX_INT);
  if (value.fsync !== undefined) {
    if (!FSYNC_POLICIES.includes(value.fsync)) {
      throw new ConfigError(
        'spool.fsync',
        `Expected \`spool.fsync\` to be 'always', 'interval' or 'never', got ${describeValue(value.fsync)}`,
      );
    }
    out.fsync = value.fsync;
  }
  if (value.fsyncIntervalMillis !== undefined) {
    out.fsyncIntervalMillis = checkIntegerOption(
      'spool.fsyncIntervalMillis',
      value.fsyncIntervalMillis,
      1,
      2_147_483_647,
    );
  }
  if (value.segmentBytes !== undefined) {
    out.segmentBytes = checkIntegerOption('spool.segmentBytes', value.segmentBytes, 1, MAX_INT);
  }
  if (value.warningIntervalMillis !== undefined) {
    out.warningIntervalMillis = checkIntegerOption(
      'spool.warningIntervalMillis',
      value.warningIntervalMillis,
      0,
      2_147_483_647,
    );
  }
  if (value.attributes !== undefined) {
    if (value.attributes !== 'mapped' && value.attributes !== 'all') {
      throw new ConfigError(
        'spool.attributes',
        `Expected \`spool.attributes\` to be 'mapped' or 'all', got ${describeValue(value.attributes)}`,
      );
    }
    out.attributes = value.attributes;
  }
  if (value.now !== undefined) out.now = value.now;
  return out;
}

/**
 * @param attributes what a file spool keeps of each record when the option does not say: the caller
 *   passes `'all'` when its exporter reads attributes beyond the mapped ones (`includeAttributes`, a
 *   custom `filter` or `mapRecord`), so a replayed record maps as the live one did.
 * @throws ConfigError for a malformed option; CloudTrailLakeError `CTL_ERR_SPOOL` when the directory is
 *   in use by another process or cannot be opened.
 */
export function resolveSpool(
  option: unknown,
  envDirectory: string | undefined,
  attributes: SpoolAttributeScope = 'mapped',
): Spool {
  if (option === undefined) {
    return envDirectory === undefined
      ? createMemorySpool()
      : createFileSpool({ directory: envDirectory, attributes });
  }
  if (typeof option !== 'object' || option === null) {
    throw new ConfigError(
      'spool',
      `Expected \`spool\` to be a Spool or { directory, maxBytes?, fsync? }, got ${describeValue(option)}`,
    );
  }
  if (isSpool(option)) return option;
  const checked = checkFileSpoolOptions(option as FileSpoolOptions);
  return createFileSpool({ ...checked, attributes: checked.attributes ?? attributes });
}
