import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which processes have the database open, and how it looked when the last one closed it.
 * A marker left by a process that is gone means a run ended without closing (a crash, kill -9,
 * a power cut); a file that changed while nobody had it open was touched by something else.
 * Either is when the start-up integrity check is worth its cost.
 */
const MARKER_DIR = '.running';
const CLEAN_FILE = 'clean-close.json';

interface Stamp {
  size: number;
  mtimeMs: number;
  walSize: number;
}

function stampOf(file: string): Stamp {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  let mtimeMs = 0;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    // A missing file stamps as empty.
  }
  return { size: size(file), mtimeMs, walSize: size(`${file}-wal`) };
}

/** Tells this process's markers from those of an earlier one that had the same pid (a container's pid 1). */
const THIS_RUN = Math.round(performance.timeOrigin).toString(36);

function alive(marker: string): boolean {
  const [pidText, run] = marker.split('-');
  const pid = Number.parseInt(pidText ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return run === THIS_RUN;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function markers(dataDir: string): { name: string; alive: boolean }[] {
  let names: string[];
  try {
    names = readdirSync(join(dataDir, MARKER_DIR));
  } catch {
    return [];
  }
  return names.map((name) => ({ name, alive: alive(name) }));
}

export interface OpenVerdict {
  /** Why the full check should run, or null when the file is as the last clean close left it. */
  checkBecause: string | null;
  /** Markers of processes that are gone, cleared once the database is found whole. */
  stale: string[];
}

export function judgeOpen(dataDir: string, file: string): OpenVerdict {
  const all = markers(dataDir);
  const stale = all.filter((m) => !m.alive).map((m) => m.name);
  if (stale.length) return { checkBecause: 'the previous run did not close it cleanly', stale };
  // Someone has it open right now: it changes under their hands, as it should.
  if (all.length) return { checkBecause: null, stale };
  let clean: Stamp | null = null;
  try {
    clean = JSON.parse(readFileSync(join(dataDir, CLEAN_FILE), 'utf8')) as Stamp;
  } catch {
    return { checkBecause: 'no clean close of it is recorded', stale };
  }
  const now = stampOf(file);
  const same = clean.size === now.size && clean.mtimeMs === now.mtimeMs && clean.walSize === now.walSize;
  return { checkBecause: same ? null : 'it changed while no Hookbench had it open', stale };
}

export function clearStale(dataDir: string, stale: string[]): void {
  for (const name of stale) rmSync(join(dataDir, MARKER_DIR, name), { force: true });
}

let sequence = 0;

/** Marks this connection open; the returned function, called after it closed, records a clean close. */
export function markOpen(dataDir: string, file: string): () => void {
  const dir = join(dataDir, MARKER_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `${process.pid}-${THIS_RUN}-${++sequence}`;
  writeFileSync(join(dir, name), '', { mode: 0o600 });
  return () => {
    rmSync(join(dir, name), { force: true });
    // The last one out records how it left the file (after SQLite folded the WAL back in).
    if (markers(dataDir).length === 0) writeFileSync(join(dataDir, CLEAN_FILE), JSON.stringify(stampOf(file)), { mode: 0o600 });
  };
}

/** The process ids of other live processes that have this data dir's database open now. */
export function otherOpeners(dataDir: string): number[] {
  return markers(dataDir)
    .filter((m) => m.alive && !m.name.startsWith(`${process.pid}-`))
    .map((m) => Number.parseInt(m.name, 10));
}

/** How many other processes have the data dir's database open right now. */
export function openElsewhere(dataDir: string): number {
  return otherOpeners(dataDir).length;
}
