import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { bundledMigrations, checkAppliedMigrations, SchemaMismatchError, type AppliedMigration } from '../db/migrate';
import { DATABASE_FILE } from '../db/open';
import { otherOpeners } from '../storage/run-markers';
import { MoveRefused } from './errors';
import type { MovedTable } from './tables';

export type SourceRow = Record<string, unknown>;

/** A desktop data dir read as one snapshot, never written (not even migrated). */
export interface MoveSource {
  file: string;
  /** Processes that had the data dir open when the snapshot was taken (a running serve). */
  openers: number[];
  count(table: MovedTable): number;
  /** Every row of a table in rowid order, read as it is needed. */
  rows(table: MovedTable): IterableIterator<SourceRow>;
  /** The highest id SQLite ever gave out in this table (deleted rows included), or 0. */
  highestId(table: MovedTable): number;
  /** Values of one column that are not null, for checking secrets before anything is written. */
  values(table: MovedTable, column: string): IterableIterator<string>;
  close(): void;
}

const INTERNAL = new Set(['schema_migrations', 'sqlite_sequence']);

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

function checkSchema(sqlite: Database.Database, dataDir: string): void {
  const applied = sqlite.prepare('SELECT idx, tag, hash FROM schema_migrations ORDER BY idx').all() as AppliedMigration[];
  checkAppliedMigrations(applied, bundledMigrations, { noun: 'data directory', elsewhere: 'migrate it with the build that wrote it' });
  if (applied.length < bundledMigrations.length) {
    throw new MoveRefused(
      `${dataDir} has schema ${applied.at(-1)?.idx ?? 'none'}, older than this build's ${bundledMigrations.at(-1)!.index}, and is only read here, never changed. ` +
        `Bring it up to date first by opening it once with this build (e.g. "hookbench status --data-dir ${dataDir}"), then migrate again.`,
    );
  }
}

/** Every table of the file must be one this build moves: a table left behind would be lost on the server. */
function checkTables(sqlite: Database.Database, tables: MovedTable[]): void {
  const inFile = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).filter((n) => !INTERNAL.has(n));
  const known = new Set(tables.map((t) => t.name));
  const unknown = inFile.filter((name) => !known.has(name));
  if (unknown.length) throw new MoveRefused(`The data dir holds table(s) ${unknown.join(', ')} that this build does not know how to move; nothing was copied.`);
  for (const table of tables) {
    const columns = (sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table.name) as string[]).sort();
    const declared = table.columns.map((c) => c.name).sort();
    if (columns.join() !== declared.join()) throw new MoveRefused(`Table ${table.name} in the data dir has columns ${columns.join(', ')}; this build declares ${declared.join(', ')}.`);
  }
}

/**
 * Opens the data dir's database read-only and begins one read transaction: every table is read
 * as it was at one moment, while a serve on the same data dir goes on receiving (SQLite's WAL
 * keeps a reader's snapshot whole), so nothing needs to be stopped for a consistent copy.
 */
export function openSource(dataDir: string, tables: MovedTable[]): MoveSource {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new MoveRefused(`There is no Hookbench database at ${file}: --from names a data dir (the one "hookbench serve --data-dir" uses).`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 10000');
    sqlite.exec('BEGIN');
    checkSchema(sqlite, dataDir);
    checkTables(sqlite, tables);
  } catch (error) {
    sqlite.close();
    if (error instanceof SchemaMismatchError) throw new MoveRefused(error.message);
    throw error;
  }
  const openers = otherOpeners(dataDir);
  const hasSequence = sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'").pluck().get() === 1;
  return {
    file,
    openers,
    count: (table) =>
      sqlite
        .prepare(`SELECT count(*) FROM ${quote(table.name)}`)
        .pluck()
        .get() as number,
    rows: (table) => sqlite.prepare(`SELECT ${table.columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table.name)} ORDER BY rowid`).iterate() as IterableIterator<SourceRow>,
    highestId(table) {
      if (!table.identity) return 0;
      const max =
        (sqlite
          .prepare(`SELECT max(${quote(table.identity)}) FROM ${quote(table.name)}`)
          .pluck()
          .get() as number | null) ?? 0;
      const given = hasSequence ? ((sqlite.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table.name) as number | undefined) ?? 0) : 0;
      return Math.max(max, given);
    },
    values: (table, column) =>
      sqlite
        .prepare(`SELECT ${quote(column)} FROM ${quote(table.name)} WHERE ${quote(column)} IS NOT NULL`)
        .pluck()
        .iterate() as IterableIterator<string>,
    close() {
      if (sqlite.inTransaction) sqlite.exec('COMMIT');
      sqlite.close();
    },
  };
}
