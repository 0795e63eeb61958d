import type { DatabaseError, PoolClient } from 'pg';
import { runOpsAsync, type AsyncOps } from '../store/steps';
import { addFixture } from './fixtures';
import { ImportError } from './import-records';
import type { SourceRecord } from './import-source';
import { digestOf, IMPORTED_DELIVERY_COLUMNS, requestOf, type ImportOps } from './import-steps';
import { pgCapturedOps } from './pg-captured-ops';
import { insertImportedDeliveries, pgTransferSql as sql } from './pg-transfer-statements';
import { SeenFilter } from './seen-filter';

/**
 * An import's operations inside its transaction on PostgreSQL, with as few round trips as the
 * answers allow: a batch's import keys are looked up in one query before it is written, its rows
 * take ids reserved from the table's identity and are written in one statement after it, and a
 * provider delivery id this import has not written a first copy of (most of them) is known to
 * have none without asking. Whatever asks the table itself first writes the rows held back.
 */
export function pgImportOps(client: PoolClient, marker: string, label: string, now: () => number) {
  const fixtures = pgCapturedOps(client);
  const firsts = new SeenFilter();
  let looked = new Map<string, boolean>();
  const spareIds: number[] = [];
  let held: unknown[][] = [];

  async function reserveIds(count: number): Promise<void> {
    if (count <= 0) return;
    const { rows } = await client.query<{ id: number }>({ ...sql.reserveIds, values: [count] });
    spareIds.push(...rows.map((row) => row.id).sort((a, b) => a - b));
  }
  /** Writes the rows held back. */
  async function write(): Promise<void> {
    if (held.length === 0) return;
    const rows = held;
    held = [];
    try {
      await client.query(insertImportedDeliveries(rows.length), rows.flat());
    } catch (error) {
      // Another instance imported the same records meanwhile, and committed first.
      if ((error as DatabaseError).code === '23505' && (error as DatabaseError).constraint === 'deliveries_import_key') {
        throw new ImportError(`${label}: another import of the same records finished first; nothing was imported. Import it again to add what that one did not.`, { cause: error });
      }
      throw error;
    }
  }
  const ops: AsyncOps<ImportOps> = {
    isStored: async (importKey) => {
      const known = looked.get(importKey);
      if (known !== undefined) return known;
      await write();
      return (await client.query({ ...sql.isStored, values: [importKey] })).rows.length > 0;
    },
    firstCopy: async (providerDeliveryId) => {
      if (!firsts.mayHave(providerDeliveryId)) return null;
      await write();
      return (await client.query<{ id: number }>({ ...sql.firstCopy, values: [marker, providerDeliveryId] })).rows[0]?.id ?? null;
    },
    insertDelivery: async (values) => {
      if (spareIds.length === 0) await reserveIds(1);
      const id = spareIds.shift()!;
      held.push([id, ...IMPORTED_DELIVERY_COLUMNS.map((key) => values[key])]);
      if (values.duplicateOf === null && values.providerDeliveryId !== null) firsts.note(values.providerDeliveryId);
      return id;
    },
    fixtureStored: async (f) => (await client.query({ ...sql.fixtureStored, values: [f.name, f.body, f.dialect, f.event, f.contentType, f.method, f.path] })).rows.length > 0,
    insertFixture: async (fixture) => void (await runOpsAsync(addFixture(fixture, now()), fixtures)),
  };
  return {
    ops,
    /** Before a batch: whether each record's first copy is stored (a later copy of a record is asked about on its own), and ids for those to write. */
    async lookAhead(records: SourceRecord[]): Promise<void> {
      const keys = records.flatMap((record) => {
        const request = requestOf(record);
        return request ? [`${digestOf(request).toString('base64url')}.1`] : [];
      });
      const { rows } = await client.query<{ key: string }>({ ...sql.storedKeys, values: [keys] });
      const stored = new Set(rows.map((row) => row.key));
      looked = new Map(keys.map((key) => [key, stored.has(key)]));
      await reserveIds(keys.filter((key) => !stored.has(key)).length - spareIds.length);
    },
    /** After a batch, and before anything reads the rows back. */
    write,
  };
}
