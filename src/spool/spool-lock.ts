/**
 * One process per spool directory: two writers would interleave segments and replay each other's
 * records. The lock is a file created with O_EXCL holding the owner's pid; a lock whose pid no longer
 * runs (the owner was killed) is stale and taken over. A pid reused by an unrelated process after a
 * crash keeps the lock held: the error names the file, so an operator can remove it.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailLakeError, ERROR_CODES } from '../errors.js';

export const LOCK_FILE_NAME = 'spool.lock';

export interface SpoolLock {
  readonly path: string;
  release(): void;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of `directory`.
 * @throws CloudTrailLakeError `CTL_ERR_SPOOL` when a running process holds it, or the file cannot be created.
 */
export function acquireSpoolLock(directory: string): SpoolLock {
  const path = join(directory, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CloudTrailLakeError(ERROR_CODES.SPOOL, `cannot create the spool lock file ${path}`, {
          cause: error,
        });
      }
      const owner = readOwner(path);
      if (owner !== undefined && isRunning(owner)) {
        throw new CloudTrailLakeError(
          ERROR_CODES.SPOOL,
          `spool directory ${directory} is in use by process ${owner} (lock file ${path}); ` +
            'give each process its own spool directory',
        );
      }
      // A dead owner, or a lock torn before its pid was written: take it over.
      try {
        unlinkSync(path);
      } catch {
        // Another process may have taken it over first; the next attempt finds out.
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        try {
          if (readOwner(path) === process.pid) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      },
    };
  }
  throw new CloudTrailLakeError(
    ERROR_CODES.SPOOL,
    `cannot take the spool lock ${path}: another process keeps taking it over`,
  );
}
