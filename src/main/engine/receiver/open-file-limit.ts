import { readFileSync } from 'node:fs';

/**
 * The process's soft limit on open files, or null where it cannot be read (only Linux
 * exposes it without native code). Node itself raises the soft limit to the hard one at
 * start, so this is as high as the OS allows without `ulimit -Hn`.
 */
export function openFileLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
  try {
    const line = read()
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
    if (soft === undefined) return null;
    if (soft === 'unlimited') return Infinity;
    const n = Number(soft);
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
