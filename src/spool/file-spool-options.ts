import { check, func, integer, oneOf, text, type Rule } from '../internal/check-option.js';
import { MAX_TIMER_MILLIS } from '../limits.js';

/**
 * The options of the durable file spool, apart from its code so that the processor's option types can
 * name them without loading the spool.
 */

/** When written records are forced to the disk. */
export type SpoolFsyncPolicy = 'always' | 'interval' | 'never';

/** Options of {@link createFileSpool}, also accepted as the processor's `spool` option. */
export interface FileSpoolOptions {
  /** The spool directory, created if missing. One process at a time (a lock file enforces it). */
  directory: string;
  /**
   * Bytes the segment files may take on disk. Past it, new records are refused: dropped, counted as
   * `dropped` and warned about, while records already spooled keep being sent.
   * @default DEFAULTS.spoolMaxBytes (268,435,456 bytes)
   */
  maxBytes?: number;
  /**
   * `'always'`: fdatasync after every append (survives power loss; costs a disk flush per record).
   * `'interval'`: fdatasync at most every `fsyncIntervalMillis` (a power loss can lose that window; a
   * process crash loses nothing). `'never'`: leave it to the OS (a process crash still loses nothing).
   * @default DEFAULTS.spoolFsync ('interval')
   */
  fsync?: SpoolFsyncPolicy;
  /** With `fsync: 'interval'`, in milliseconds. @default DEFAULTS.spoolFsyncIntervalMillis (200 ms) */
  fsyncIntervalMillis?: number;
  /** Size at which a segment file is closed and the next begun, in bytes. @default min(DEFAULTS.spoolSegmentBytes, maxBytes / 8) */
  segmentBytes?: number;
  /** Minimum interval between two spool-full warnings, in milliseconds. @default DEFAULTS.droppedWarningIntervalMillis (10,000 ms) */
  warningIntervalMillis?: number;
  /**
   * Which attributes of a record are written: `'mapped'` keeps the ones the default mapping reads
   * (`audit.*` and its semantic-convention fallbacks), so data the Lake never receives (a cookie header,
   * a token) never reaches the disk; `'all'` keeps every attribute, for an exporter whose
   * `includeAttributes`, custom `filter` or `mapRecord` reads others.
   * @default 'mapped'
   */
  attributes?: 'mapped' | 'all';
  /** The clock, for append times. @default Date.now */
  now?: () => number;
}

/**
 * The file spool's options as data: the one rule each is checked with, whether it comes from the
 * `spool` option or from the environment.
 */
export const FILE_SPOOL_OPTIONS = Object.freeze({
  directory: { rule: text('a non-empty path') },
  /** At least one page, so a segment always fits. */
  maxBytes: { rule: integer(4_096, Number.MAX_SAFE_INTEGER) },
  fsync: { rule: oneOf<SpoolFsyncPolicy>(['always', 'interval', 'never']) },
  fsyncIntervalMillis: { rule: integer(1, MAX_TIMER_MILLIS) },
  segmentBytes: { rule: integer(1, Number.MAX_SAFE_INTEGER) },
  warningIntervalMillis: { rule: integer(0, MAX_TIMER_MILLIS) },
  attributes: { rule: oneOf<'mapped' | 'all'>(['mapped', 'all']) },
  now: { rule: func },
});

/** Checks a `{ directory, ... }` spool option. @throws ConfigError naming `spool.<field>` */
export function checkFileSpoolOptions(value: FileSpoolOptions): FileSpoolOptions {
  const out: Record<string, unknown> = {};
  for (const [key, { rule }] of Object.entries(FILE_SPOOL_OPTIONS)) {
    const field = (value as unknown as Record<string, unknown>)[key];
    if (key === 'directory' || field !== undefined)
      out[key] = check(`spool.${key}`, field, rule as Rule<unknown>);
  }
  return out as unknown as FileSpoolOptions;
}
