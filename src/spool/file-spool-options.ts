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
