/**
 * One process per spool directory: two writers would interleave segments and replay each other's
 * records. The lock is a file created with O_EXCL (mode 0600) that names its owner by pid, boot id and
 * process start time. A pid alone is not an identity: a container restarted after a crash runs as pid 1
 * again, and after a reboot any pid may be reused, so a lock naming "pid 1" would otherwise keep the
 * restarted process out exactly when its spool holds records to replay. The owner is live only when
 * the machine has not rebooted since (boot id, proc(5) `/proc/sys/kernel/random/boot_id`), the pid
 * runs, and it started at the recorded time (field 22 `starttime` of proc(5) `/proc/<pid>/stat`). A lock
 * naming this process's own pid was written by an earlier incarnation (this process holds no lock it
 * does not track in memory), so it is stale too. Without /proc (macOS, Windows) only the pid checks apply.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudTrailLakeError, ERROR_CODES } from '../errors.js';

export const LOCK_FILE_NAME = 'spool.lock';

/** Lock files are private: they name a process of the account that owns the audit data. */
const LOCK_FILE_MODE = 0o600;

export interface SpoolLock {
  readonly path: string;
  release(): void;
}

/** Who holds a lock: what the lock file records. */
export interface LockOwner {
  pid: number;
  /** The kernel's boot id when the lock was taken; undefined where /proc is not available. */
  bootId?: string | undefined;
  /** The owner's start time in clock ticks after boot; undefined where /proc is not available. */
  startTime?: string | undefined;
}

/** How the running system is inspected, injectable so tests can play another boot or another process. */
export interface ProcessInspector {
  bootId(): string | undefined;
  /** Start time of `pid` (field 22 of /proc/<pid>/stat), undefined when unknown or not running. */
  startTime(pid: number): string | undefined;
  /** Whether a process with this pid exists (signal 0). */
  isRunning(pid: number): boolean;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** proc(5): the fields after `(comm)` start at field 3; comm may hold spaces and parentheses. */
export function startTimeFromStat(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = fields[22 - 3];
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

export const systemInspector: ProcessInspector = {
  bootId: () => readText('/proc/sys/kernel/random/boot_id')?.trim() || undefined,
  startTime: (pid) => {
    const stat = readText(`/proc/${pid}/stat`);
    return stat === undefined ? undefined : startTimeFromStat(stat);
  },
  isRunning: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
};

/** Parses a lock file: the JSON this module writes, or the bare pid older versions wrote. */
export function parseLockOwner(text: string): LockOwner | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Partial<Record<keyof LockOwner, unknown>>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      bootId: typeof value.bootId === 'string' ? value.bootId : undefined,
      startTime: typeof value.startTime === 'string' ? value.startTime : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Whether the recorded owner still runs: same boot, pid alive, same start time, and not this process. */
export function isLiveOwner(owner: LockOwner, inspector: ProcessInspector, ownPid: number): boolean {
  if (owner.pid === ownPid) return false;
  const bootId = inspector.bootId();
  if (owner.bootId !== undefined && bootId !== undefined && owner.bootId !== bootId) return false;
  if (!inspector.isRunning(owner.pid)) return false;
  const startTime = inspector.startTime(owner.pid);
  return owner.startTime === undefined || startTime === undefined || owner.startTime === startTime;
}

// Locks this process holds: a second spool on the same directory in one process is refused here,
// since the file alone cannot tell it from a lock left by an earlier process with the same pid.
const heldByThisProcess = new Set<string>();

/**
 * Takes the lock of `directory`.
 * @throws CloudTrailLakeError `CTL_ERR_SPOOL` when a live process (or this one) holds it, or the file
 *   cannot be created.
 */
export function acquireSpoolLock(
  directory: string,
  inspector: ProcessInspector = systemInspector,
): SpoolLock {
  const path = join(resolve(directory), LOCK_FILE_NAME);
  if (heldByThisProcess.has(path)) {
    throw new CloudTrailLakeError(
      ERROR_CODES.SPOOL,
      `spool directory ${directory} is in use by process ${process.pid} (this process; lock file ${path}); ` +
        'give each spool its own directory',
    );
  }
  const own: LockOwner = {
    pid: process.pid,
    bootId: inspector.bootId(),
    startTime: inspector.startTime(process.pid),
  };
  const ownText = `${JSON.stringify(own)}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', LOCK_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CloudTrailLakeError(ERROR_CODES.SPOOL, `cannot create the spool lock file ${path}`, {
          cause: error,
        });
      }
      const text = readText(path);
      const owner = text === undefined ? undefined : parseLockOwner(text);
      if (owner !== undefined && isLiveOwner(owner, inspector, process.pid)) {
        throw new CloudTrailLakeError(
          ERROR_CODES.SPOOL,
          `spool directory ${directory} is in use by process ${owner.pid} (lock file ${path}); ` +
            'give each process its own spool directory',
        );
      }
      // A dead owner, an earlier boot, our own earlier incarnation, or a torn lock: take it over, unless
      // another process replaced it meanwhile (then the next attempt judges the new owner).
      try {
        if (readText(path) === text) unlinkSync(path);
      } catch {
        // Already removed by a process taking it over first.
      }
      continue;
    }
    try {
      writeSync(fd, ownText);
    } finally {
      closeSync(fd);
    }
    heldByThisProcess.add(path);
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        heldByThisProcess.delete(path);
        try {
          if (readText(path) === ownText) unlinkSync(path);
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
