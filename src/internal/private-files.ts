/**
 * Audit data on disk (spool segments, their ack files, dead letters) is readable by its owner only:
 * files 0600 in directories 0700. A mode given to open(2) or mkdir(2) is masked by the umask, and a file
 * made by an earlier version may carry wider bits, so the modes are set explicitly after creation
 * (chmod(2) is not masked by the umask).
 */
import { chmodSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** rw for the owner only. */
export const PRIVATE_FILE_MODE = 0o600;
/** rwx for the owner only. */
export const PRIVATE_DIRECTORY_MODE = 0o700;

/**
 * Creates `directory` and any missing parents as 0700. A directory that already exists keeps its mode:
 * it may be shared on purpose (a volume mount), and the files in it are private anyway.
 */
export function makePrivateDirectory(directory: string): void {
  const first = mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (first === undefined) return;
  // mkdirSync returns the first directory it created; every one below it up to `directory` is new too.
  let path = first;
  chmodSync(path, PRIVATE_DIRECTORY_MODE);
  for (const part of relative(first, directory).split(sep)) {
    if (part === '') continue;
    path = join(path, part);
    chmodSync(path, PRIVATE_DIRECTORY_MODE);
  }
}

/** Opens `path` for appending, creating it 0600; an existing file is narrowed to 0600 too. */
export function openPrivateForAppend(path: string): number {
  const fd = openSync(path, 'a', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch {
    // A file system without Unix modes (some mounts, Windows): the open itself succeeded.
  }
  return fd;
}
