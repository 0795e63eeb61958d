import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

export interface Migration {
  index: number;
  tag: string;
  sql: string;
}

/**
 * Migrations are embedded at build time so the desktop bundle and the CLI carry
 * exactly the schema they were built with; nothing is read from disk at run time.
 */
const files = import.meta.glob<string>('./migrations/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
});

export const bundledMigrations: Migration[] = Object.entries(files)
  .map(([path, sql]) => {
    const tag = path.slice(path.lastIndexOf('/') + 1, -'.sql'.length);
    return { index: Number.parseInt(tag, 10), tag, sql };
  })
  .sort((a, b) => a.index - b.index);

export class SchemaMismatchError extends Error {}

const hashOf = (sql: string) => createHash('sha256').update(sql).digest('hex');

export interface AppliedMigration {
  idx: number;
  tag: string;
  hash: string;
}

/** How an error names the store it refuses: a data directory, or a team server's database. */
export interface StorePlace {
  noun: string;
  /** What to point elsewhere instead. */
  elsewhere: string;
}

const DATA_DIR: StorePlace = { noun: 'data directory', elsewhere: 'point --data-dir at a new directory' };

/** Throws unless every applied migration is one this build has, unedited (a restore checks a backup the same way). */
export function checkAppliedMigrations(applied: AppliedMigration[], migrations: Migration[] = bundledMigrations, place: StorePlace = DATA_DIR): void {
  const known = new Map(migrations.map((m) => [m.index, m]));
  const newest = migrations.at(-1)?.index ?? -1;
  for (const row of applied) {
    const mine = known.get(row.idx);
    if (!mine) {
      throw new SchemaMismatchError(
        `This ${place.noun} was written by a newer Hookbench (schema ${row.idx} "${row.tag}"; ` +
          `this build knows schemas up to ${newest}). Upgrade Hookbench, or ${place.elsewhere}.`,
      );
    }
    if (mine.tag !== row.tag) {
      throw new SchemaMismatchError(
        `Schema ${row.idx} in this ${place.noun} is "${row.tag}", but in this build it is "${mine.tag}": ` +
          `the database was made by a different build of Hookbench. Open it with that build, or ${place.elsewhere}; ` +
          'this database will not be modified.',
      );
    }
    const buildHash = hashOf(mine.sql);
    if (buildHash !== row.hash) {
      throw new SchemaMismatchError(
        `Schema ${row.idx} "${row.tag}" was applied to this ${place.noun} from SQL with hash ${row.hash.slice(0, 12)}…, ` +
          `but this build's "${row.tag}" has hash ${buildHash.slice(0, 12)}…: the migration's SQL was edited after it was applied. ` +
          `Open this ${place.noun} with the build that created it (or restore the original migration file and rebuild), ` +
          `or ${place.elsewhere}; this database will not be modified.`,
      );
    }
  }
}

/**
 * Applies what is missing and refuses a database this build does not understand:
 * one written by a newer version, or one whose applied migrations were edited since.
 */
export function migrate(db: Database.Database, migrations: Migration[] = bundledMigrations): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    idx INTEGER PRIMARY KEY, tag TEXT NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = db
    .prepare('SELECT idx, tag, hash FROM schema_migrations ORDER BY idx')
    .all() as AppliedMigration[];
  checkAppliedMigrations(applied, migrations);

  const done = new Set(applied.map((r) => r.idx));
  const record = db.prepare('INSERT INTO schema_migrations (idx, tag, hash, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of migrations) {
    if (done.has(m.index)) continue;
    db.transaction(() => {
      for (const statement of m.sql.split('--> statement-breakpoint')) {
        if (statement.trim()) db.exec(statement);
      }
      record.run(m.index, m.tag, hashOf(m.sql), Date.now());
    }).immediate();
  }
}
