import { statfsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { VacuumState } from '../../../shared/retention-types';
import { openElsewhere } from '../storage/run-markers';

/*
 * How pruned rows give their disk space back: incremental auto-vacuum.
 *
 * The other way, a scheduled `VACUUM INTO` a new file swapped for the old one, was ruled out:
 * - it needs free space for a whole second copy, just when the disk is filling;
 * - the CLI and serve share the file: another process keeps writing to the old inode after the
 *   swap, and what it commits between the copy and the swap would be lost — an acknowledged
 *   delivery among it;
 * - copying the whole database costs minutes of disk traffic to give back a few pages.
 * Incremental auto-vacuum gives back what was freed in small steps (INCREMENTAL_PAGES pages per
 * transaction, a few milliseconds of write lock each), needs no extra space, and works with
 * any number of processes. Its costs: SQLite keeps pointer-map pages (one per ~1,000 pages),
 * and a database made before it was switched on must be rebuilt once by VACUUM, which holds
 * the write lock throughout and needs free space about the database's size. New databases get
 * it from the start; an older one is converted only where that pause hurts no one: at the start
 * of `serve` before the receiver listens, or by `hookbench prune` while no other process has
 * the data dir open, and only once a retention policy asks for pruning.
 */

/** Pages handed back per transaction: moving a page costs about as much as writing one. */
export const INCREMENTAL_PAGES = 64;

export function vacuumState(sqlite: Database.Database): VacuumState {
  return sqlite.pragma('auto_vacuum', { simple: true }) === 2 ? 'incremental' : 'needs-conversion';
}

/** A database that has no tables yet takes the setting at once (called before the first migration). */
export function incrementalFromTheStart(sqlite: Database.Database): void {
  const tables = sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
  if (tables === 0) sqlite.pragma('auto_vacuum = INCREMENTAL');
}

export interface Conversion {
  converted: boolean;
  /** Why it was not done, in words. */
  reason: string | null;
  ms: number;
  /** How much smaller the database file became. */
  freedBytes: number;
}

/**
 * Rebuilds an older database so freed pages can be given back. Refuses when another process has
 * the data dir open (VACUUM would hold the lock through their writes) or when the volume lacks
 * room for the rebuilt copy.
 */
export function convertToIncremental(sqlite: Database.Database, dataDir: string): Conversion {
  const started = performance.now();
  if (vacuumState(sqlite) === 'incremental') return { converted: false, reason: null, ms: 0, freedBytes: 0 };
  if (openElsewhere(dataDir) > 0) return { converted: false, reason: 'another Hookbench process has the data dir open', ms: 0, freedBytes: 0 };
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  const free = (() => {
    try {
      const s = statfsSync(dataDir);
      return s.bavail * s.bsize;
    } catch {
      return Infinity;
    }
  })();
  // The rebuilt copy goes through the write-ahead log: room for it, and some to spare.
  if (free < pages * pageSize * 1.2) return { converted: false, reason: 'the volume has less free space than the database needs to be rebuilt', ms: 0, freedBytes: 0 };
  sqlite.pragma('auto_vacuum = INCREMENTAL');
  sqlite.exec('VACUUM');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const after = sqlite.pragma('page_count', { simple: true }) as number;
  return { converted: vacuumState(sqlite) === 'incremental', reason: null, ms: Math.round(performance.now() - started), freedBytes: Math.max(0, pages - after) * pageSize };
}

/** Free pages waiting to be given back. */
export const freePages = (sqlite: Database.Database) => sqlite.pragma('freelist_count', { simple: true }) as number;

/** Gives back up to INCREMENTAL_PAGES free pages (inside the caller's transaction); returns how many. */
export function vacuumStep(sqlite: Database.Database): number {
  const before = freePages(sqlite);
  if (before === 0) return 0;
  sqlite.pragma(`incremental_vacuum(${INCREMENTAL_PAGES})`);
  return before - freePages(sqlite);
}
