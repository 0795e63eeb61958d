import type Database from 'better-sqlite3';
import { rawTable } from '../db/raw-table';
import type { Db } from '../db/open';
import { deliveries } from '../db/schema';
import { insertFixture } from './fixtures';
import { IMPORTED_DELIVERY_COLUMNS, type ImportOps, type StoredFixtureKey } from './import-steps';

/**
 * What an import runs for every record, compiled once on the bare connection (see
 * raw-table.ts). Each lookup is answered by an index, so an import into a large database
 * runs as fast as into an empty one.
 */
export const IMPORT_LOOKUPS = {
  // Spelled as the unique index's condition, so the index answers it.
  firstCopy: `SELECT id FROM deliveries WHERE hook_id = ? AND provider_delivery_id = ? AND duplicate_of IS NULL AND outcome <> 'rejected' LIMIT 1`,
  byKey: 'SELECT 1 FROM deliveries WHERE import_key = ? LIMIT 1',
};

export function prepareImportStatements(sqlite: Database.Database, marker: string) {
  const rows = rawTable(sqlite, deliveries);
  const firstCopy = sqlite.prepare(IMPORT_LOOKUPS.firstCopy).pluck();
  const byKey = sqlite.prepare(IMPORT_LOOKUPS.byKey).pluck();
  const fixtureStored = sqlite.prepare('SELECT 1 FROM fixtures WHERE name = ? AND body = ? AND dialect IS ? AND event IS ? AND content_type IS ? AND method IS ? AND path IS ? LIMIT 1').pluck();
  return {
    /** Whether a fixture with this name, these bytes and this request line is saved already (fixtures are few: no index needed). */
    fixtureStored: (f: StoredFixtureKey): boolean => fixtureStored.get(f.name, f.body, f.dialect, f.event, f.contentType, f.method, f.path) !== undefined,
    /** The first copy of a provider delivery id this import has written, which a repeat points to. */
    firstCopy: (providerDeliveryId: string): number | null => (firstCopy.get(marker, providerDeliveryId) as number | undefined) ?? null,
    /** Whether a record with this key is stored already (by an earlier import of the same record). */
    isStored: (importKey: string): boolean => byKey.get(importKey) !== undefined,
    insert: rows.append(IMPORTED_DELIVERY_COLUMNS),
  };
}

export type ImportStatements = ReturnType<typeof prepareImportStatements>;

/** An import's operations on SQLite, answered at once inside a slice's transaction. */
export function sqliteImportOps(db: Db, statements: ImportStatements): ImportOps {
  return {
    isStored: statements.isStored,
    firstCopy: statements.firstCopy,
    insertDelivery: statements.insert,
    fixtureStored: statements.fixtureStored,
    insertFixture: (fixture) => void insertFixture(db, fixture),
  };
}
