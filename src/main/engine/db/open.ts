import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { setBusyTimeout } from './busy-timeout';
import { reportFailedCommits } from './returning-commit';
import { migrate } from './migrate';
import { createPrivateFile, preparePrivateDir, tightenIfPresent } from './private-files';
import * as schema from './schema';
import { refuseDamagedDatabase, trackCleanClose } from '../storage/integrity';
import { incrementalFromTheStart } from '../retention/vacuum';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The database or an open transaction on it: store functions take either. */
export type Queryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

export const DATABASE_FILE = 'hookbench.sqlite';

const STATEMENT_CACHE_SIZE = 1000;

/** How long a command-line process waits for another's write lock before it reports the database locked. */
const COMMAND_BUSY_TIMEOUT_MS = 30_000;

/**
 * How long the serving process's own occasional writes (a change made in the UI, a setting)
 * may wait for another process's lock, blocking its event loop meanwhile. Its frequent
 * writes (deliveries, ingest, sends) never wait in SQLite: they try again on a timer.
 */
export const SERVING_BUSY_TIMEOUT_MS = 250;

/**
 * The query builder asks SQLite to compile its SQL on every call; the same text
 * compiles to the same statement, so keep the compiled ones (better-sqlite3
 * statements are reusable once a call returns).
 */
function cacheStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = reportFailedCommits(sqlite, compile(source));
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(source, statement);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * WAL with synchronous=FULL: every commit is fsynced before it returns, so a
 * delivery we acknowledged survives a power cut, not only a process crash.
 * The receiver batches commits (group commit) to pay for that fsync once per batch.
 */
export function openDatabase(dataDir: string): Db {
  preparePrivateDir(dataDir);
  const file = join(dataDir, DATABASE_FILE);
  createPrivateFile(file);
  refuseDamagedDatabase(dataDir, file);
  const sqlite = new Database(file);
  // A new database gives pruned space back from the start (see retention/vacuum.ts).
  incrementalFromTheStart(sqlite);
  sqlite.pragma('journal_mode = WAL');
  tightenIfPresent(`${file}-wal`, `${file}-shm`);
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // A WAL that grew during a burst is cut back to this once it has been checkpointed.
  sqlite.pragma('journal_size_limit = 67108864');
  // The CLI and a running server share the file; wait for the writer instead of failing. Every
  // writer holds the lock for milliseconds at a time, so this is long only for a stuck one.
  // (The serving process waits far less: see SERVING_BUSY_TIMEOUT_MS.)
  setBusyTimeout(sqlite, COMMAND_BUSY_TIMEOUT_MS);
  cacheStatements(sqlite);
  try {
    migrate(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  trackCleanClose(sqlite, dataDir);
  const db = drizzle(sqlite, { schema }) as Db;
  beginImmediately(db);
  return db;
}

/**
 * Transactions take the write lock when they begin. A deferred one reads first and asks for
 * the lock at its first write; if another process committed in between, SQLite cannot wait
 * for it (the reads are stale) and fails at once with SQLITE_BUSY_SNAPSHOT, whatever the busy
 * timeout. Beginning IMMEDIATE waits for the lock instead, before reading anything.
 */
function beginImmediately(db: Db): void {
  const deferredByDefault = db.transaction.bind(db);
  db.transaction = ((run, config) => deferredByDefault(run, { behavior: 'immediate', ...config })) as Db['transaction'];
}
