import { closeSync, fsyncSync, openSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Puts a finished file in place for good: its bytes on disk first, then the rename, then the
 * directory entry, so a crash leaves either no file or the whole one under the final name.
 */
export function durableRename(partial: string, target: string): void {
  const fd = openSync(partial, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, target);
  syncDir(dirname(target));
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // Not every platform lets a directory be opened for fsync; the file itself is synced.
  }
}
