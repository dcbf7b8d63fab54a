/**
 * When spool writes are forced to the disk. `'always'` flushes each write before returning (a power
 * loss loses nothing, at one disk flush per record); `'interval'` flushes every file written to at most
 * `intervalMillis` later, on an unref'd timer (a power loss loses that window); `'never'` leaves it to
 * the OS. A process crash loses nothing under any policy: the write itself already reached the OS.
 */
import { fdatasyncSync } from 'node:fs';
import type { SpoolFsyncPolicy } from './file-spool-options.js';

export interface FsyncScheduler {
  /** `fd` was just written to. */
  written(fd: number): void;
  /** Flushes every pending file now (unless the policy is `'never'`) and cancels the timer. */
  flush(): void;
}

export function createFsyncScheduler(policy: SpoolFsyncPolicy, intervalMillis: number): FsyncScheduler {
  let dirty = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  const flushDirty = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const fds = dirty;
    dirty = new Set();
    for (const fd of fds) {
      try {
        fdatasyncSync(fd);
      } catch {
        // The fd was closed with its segment: nothing left to flush.
      }
    }
  };
  return {
    written(fd) {
      if (policy === 'always') fdatasyncSync(fd);
      else if (policy === 'interval') {
        dirty.add(fd);
        timer ??= setTimeout(flushDirty, intervalMillis).unref();
      }
    },
    flush() {
      if (policy === 'never') dirty.clear();
      else flushDirty();
    },
  };
}
