/**
 * Turns the processor's `spool` option into a Spool: a Spool object is used as is, a
 * `{ directory, ... }` object opens the file spool, and nothing means the memory spool unless
 * `OTEL_EXPORTER_CLOUDTRAIL_LAKE_SPOOL_DIRECTORY` names a directory (with `..._SPOOL_MAX_BYTES` and
 * `..._SPOOL_FSYNC`).
 */
import { ConfigError } from '../errors.js';
import { describeValue } from '../internal/check-option.js';
import { checkFileSpoolOptions } from './file-spool-options.js';

export { checkFileSpoolOptions } from './file-spool-options.js';
import { createFileSpool, type FileSpoolOptions } from './file-spool.js';
import { createMemorySpool } from './memory-spool.js';
import type { SpoolAttributeScope } from './record-codec.js';
import type { Spool } from './spool.js';

/** The processor's `spool` option. */
export type SpoolOption = Spool | FileSpoolOptions;

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

/**
 * @param attributes what a file spool keeps of each record when the option does not say: the caller
 *   passes `'all'` when its exporter reads attributes beyond the mapped ones (`includeAttributes`, a
 *   custom `filter` or `mapRecord`), so a replayed record maps as the live one did.
 * @throws ConfigError for a malformed option; CloudTrailLakeError `CTL_ERR_SPOOL` when the directory is
 *   in use by another process or cannot be opened.
 */
export function resolveSpool(
  option: unknown,
  envSpool: FileSpoolOptions | undefined,
  attributes: SpoolAttributeScope = 'mapped',
): Spool {
  if (option === undefined) {
    return envSpool === undefined
      ? createMemorySpool()
      : createFileSpool({ ...envSpool, attributes: envSpool.attributes ?? attributes });
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
