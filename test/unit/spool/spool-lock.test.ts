// The spool lock across restarts: a lock left by this process's own pid (a container restarted as pid 1),
// by another boot, or by a reused pid does not keep the spool closed; a live process holding it does.
// Opening, replay and the size bound of the spool itself: file-spool.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LOCK_FILE_NAME,
  acquireSpoolLock,
  parseLockOwner,
  startTimeFromStat,
  systemInspector,
  type SpoolLock,
} from '../../../src/spool/spool-lock.js';
import { REPO_ROOT } from '../../cli/run-cli-process.js';

let directory: string;
let lockPath: string;
const held: SpoolLock[] = [];
const children: ChildProcess[] = [];
const HAS_PROC = existsSync('/proc/self/stat');

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ctl-spool-lock-'));
  lockPath = join(directory, LOCK_FILE_NAME);
});

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

function take(): SpoolLock {
  const lock = acquireSpoolLock(directory);
  held.push(lock);
  return lock;
}

/** A child process that holds the lock of `directory` until killed; resolves with its pid. */
async function holdInChild(): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/unit/spool/fixtures/hold-spool-lock.ts', directory],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child.pid!;
}

describe('spool lock', () => {
  it('takes over a lock file holding this process pid, as a restarted container (pid 1 again) finds it', () => {
    // What an earlier incarnation with the same pid left: same pid, same boot, even the same start time.
    const earlier = {
      pid: process.pid,
      bootId: systemInspector.bootId(),
      startTime: systemInspector.startTime(process.pid),
    };
    writeFileSync(lockPath, JSON.stringify(earlier));
    take();
    expect(parseLockOwner(readFileSync(lockPath, 'utf8'))?.pid).toBe(process.pid);
  });

  it('takes over a bare-pid lock file of this process, the format earlier versions wrote', () => {
    writeFileSync(lockPath, `${process.pid}\n`);
    expect(() => take()).not.toThrow();
  });

  it('takes over a lock from another boot even when its pid runs now', async () => {
    const pid = await holdInChild();
    // The child's own lock, rewritten as if taken before a reboot: the running pid is someone else now.
    const owner = parseLockOwner(readFileSync(lockPath, 'utf8'))!;
    expect(owner.pid).toBe(pid);
    writeFileSync(lockPath, JSON.stringify({ ...owner, bootId: '00000000-0000-0000-0000-000000000000' }));
    take();
    expect(parseLockOwner(readFileSync(lockPath, 'utf8'))?.pid).toBe(process.pid);
  });

  it.skipIf(!HAS_PROC)('takes over a lock whose pid now runs a process started at another time', async () => {
    const pid = await holdInChild();
    const owner = parseLockOwner(readFileSync(lockPath, 'utf8'))!;
    expect(owner.startTime).toBe(systemInspector.startTime(pid));
    writeFileSync(lockPath, JSON.stringify({ ...owner, startTime: '1' }));
    expect(() => take()).not.toThrow();
  });

  it('refuses a lock a live other process holds, naming its pid', async () => {
    const pid = await holdInChild();
    expect(() => take()).toThrow(expect.objectContaining({ code: 'CTL_ERR_SPOOL' }));
    expect(() => take()).toThrow(`in use by process ${pid}`);
  });

  it('refuses a second lock on one directory within this process, and frees it on release', () => {
    const lock = take();
    expect(() => acquireSpoolLock(directory)).toThrow(`in use by process ${process.pid} (this process`);
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
    expect(() => take()).not.toThrow();
  });

  it('reads the start time from field 22 of /proc/<pid>/stat, whatever the command name holds', () => {
    const fields = Array.from({ length: 50 }, (_, index) => String(index + 1));
    const stat = `4242 (a) b (c) ${fields.slice(2).join(' ')}`;
    expect(startTimeFromStat(stat)).toBe('22');
  });
});
