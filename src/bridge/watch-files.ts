import { unwatchFile, watchFile, type Stats } from 'node:fs';

/**
 * Calls `onChange` when any of `paths` changes. Polls with `stat` (fs.watchFile) rather than using
 * inotify (fs.watch): a Kubernetes Secret or ConfigMap volume updates by swapping a symlink, and an
 * editor by renaming over the file, both of which a watch on the old inode misses. The poll costs one
 * `stat` per file per interval. Returns a function that stops watching.
 */
export function watchFiles(
  paths: readonly string[],
  intervalMillis: number,
  onChange: () => void,
): () => void {
  const listener = (current: Stats, previous: Stats): void => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.ino !== previous.ino ||
      current.size !== previous.size
    ) {
      onChange();
    }
  };
  // Unref'd: watching alone must not keep the process alive after the server closed.
  for (const path of paths) watchFile(path, { interval: intervalMillis, persistent: false }, listener);
  return () => {
    for (const path of paths) unwatchFile(path, listener);
  };
}
