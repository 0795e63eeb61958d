import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

function tighten(path: string, mode: number): void {
  // Only ever takes permissions away; modes are set explicitly, whatever the process umask.
  if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}

/**
 * The data dir holds every delivery and the key to every secret: only its owner may
 * enter it or read what is in it. An existing one with looser modes is tightened.
 */
export function preparePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  tighten(dir, DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) tighten(join(dir, entry.name), FILE_MODE);
  }
}

/**
 * Creates the file owner-only before anyone else does. SQLite gives its -wal and -shm files
 * the mode of the database file, so creating the database this way covers them too.
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', FILE_MODE));
  tighten(path, FILE_MODE);
}

/** Files that may already exist from an older run (a WAL left 0644): owner-only. */
export function tightenIfPresent(...paths: string[]): void {
  for (const path of paths) if (existsSync(path)) tighten(path, FILE_MODE);
}
