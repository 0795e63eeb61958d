import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { migrate } from './migrate';
import { createPrivateFile, preparePrivateDir, tightenIfPresent } from './private-files';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The database or an open transaction on it: store functions take either. */
export type Queryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

export const DATABASE_FILE = 'hookbench.sqlite';

const STATEMENT_CACHE_SIZE = 1000;

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
      statement = compile(source);
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
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  tightenIfPresent(`${file}-wal`, `${file}-shm`);
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // A WAL that grew during a burst is cut back to this once it has been checkpointed.
  sqlite.pragma('journal_size_limit = 67108864');
  // The CLI and a running server share the file; wait for the writer instead of failing.
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  try {
    migrate(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return drizzle(sqlite, { schema }) as Db;
}
