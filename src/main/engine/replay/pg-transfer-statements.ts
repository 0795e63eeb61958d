import { tableSql } from '../db/pg/table-sql';
import { deliveries, fixtures, inboxes, settings } from '../db/schema';
import { IMPORTED_DELIVERY_COLUMNS } from './import-steps';

const d = tableSql(deliveries);
const f = tableSql(fixtures);
const i = tableSql(inboxes);
const s = tableSql(settings);

const INSERT_COLUMNS = ['id', ...IMPORTED_DELIVERY_COLUMNS] as const;
const insertTexts = new Map<number, string>();

/** Writes `count` imported deliveries in one statement, each with its reserved id (values row after row, in INSERT_COLUMNS order). */
export function insertImportedDeliveries(count: number): string {
  let text = insertTexts.get(count);
  if (!text) {
    const rows = Array.from({ length: count }, (_, r) => `(${INSERT_COLUMNS.map((_, c) => `$${r * INSERT_COLUMNS.length + c + 1}`).join(', ')})`);
    text = `INSERT INTO ${d.name} (${INSERT_COLUMNS.map(d.column).join(', ')}) VALUES ${rows.join(', ')}`;
    if (insertTexts.size < 64) insertTexts.set(count, text);
  }
  return text;
}

/**
 * Export's and import's SQL for PostgreSQL, named so every pooled connection prepares it once.
 * Each lookup an import runs per record is answered by an index (the import key's unique
 * index, the provider id's partial unique index), so an import into a large database runs as
 * fast as into an empty one.
 */
export const pgTransferSql = {
  /** Every delivery, those with these ids (null: any) of this package (null: any), in id order. */
  exportDeliveries: {
    name: 'hb_export_deliveries',
    text:
      `SELECT ${d.selectList()} FROM ${d.name} WHERE ($1::bigint[] IS NULL OR ${d.column('id')} = ANY($1::bigint[])) ` +
      `AND ($2::text IS NULL OR ${d.column('packageId')} = $2) ORDER BY ${d.column('id')}`,
  },
  exportFixtures: { name: 'hb_export_fixtures', text: `SELECT ${f.selectList()} FROM ${f.name} ORDER BY ${f.column('id')}` },

  isStored: { name: 'hb_import_stored', text: `SELECT 1 FROM ${d.name} WHERE ${d.column('importKey')} = $1 LIMIT 1` },
  /** Which of these keys are stored already: one query for a batch of records. */
  storedKeys: { name: 'hb_import_stored_keys', text: `SELECT ${d.column('importKey')} AS key FROM ${d.name} WHERE ${d.column('importKey')} = ANY($1::text[])` },
  // Spelled as the unique index's condition, so the index answers it.
  firstCopy: {
    name: 'hb_import_first_copy',
    text:
      `SELECT ${d.column('id')} AS id FROM ${d.name} WHERE ${d.column('hookId')} = $1 AND ${d.column('providerDeliveryId')} = $2 ` +
      `AND ${d.column('duplicateOf')} IS NULL AND ${d.column('outcome')} <> 'rejected' LIMIT 1`,
  },
  /** Ids for the rows a batch writes, taken from the table's identity as a default id would be. */
  reserveIds: { name: 'hb_import_reserve_ids', text: `SELECT nextval(pg_get_serial_sequence('${d.name}', 'id'))::bigint AS id FROM generate_series(1, $1::int)` },
  fixtureStored: {
    name: 'hb_import_fixture_stored',
    text:
      `SELECT 1 FROM ${f.name} WHERE ${f.column('name')} = $1 AND ${f.column('body')} = $2 AND ${f.column('dialect')} IS NOT DISTINCT FROM $3 ` +
      `AND ${f.column('event')} IS NOT DISTINCT FROM $4 AND ${f.column('contentType')} IS NOT DISTINCT FROM $5 ` +
      `AND ${f.column('method')} IS NOT DISTINCT FROM $6 AND ${f.column('path')} IS NOT DISTINCT FROM $7 LIMIT 1`,
  },

  inboxName: { name: 'hb_import_inbox_name', text: `SELECT ${i.column('name')} AS name FROM ${i.name} WHERE ${i.column('id')} = $1` },
  capturedRows: {
    name: 'hb_import_captured_rows',
    text: `SELECT ${d.selectList(['id', 'providerDeliveryId', 'duplicateOf'])} FROM ${d.name} WHERE ${d.column('id')} = ANY($1::bigint[]) ORDER BY ${d.column('id')}`,
  },
  /** An inbox's own first copies of these provider delivery ids. */
  inboxFirstCopies: {
    name: 'hb_import_inbox_firsts',
    text:
      `SELECT ${d.column('providerDeliveryId')} AS "providerDeliveryId", min(${d.column('id')}) AS id FROM ${d.name} WHERE ${d.column('hookId')} = $1 ` +
      `AND ${d.column('providerDeliveryId')} = ANY($2::text[]) AND ${d.column('duplicateOf')} IS NULL AND ${d.column('outcome')} <> 'rejected' GROUP BY 1`,
  },
  /** Moves a chunk of imported rows into their inbox, each with its own verdict on being a repeat. */
  adoptCaptures: {
    name: 'hb_import_adopt',
    text:
      `UPDATE ${d.name} AS d SET ${d.column('hookId')} = $1, ${d.column('duplicateOf')} = u.duplicate_of, ${d.column('outcome')} = u.outcome, ${d.column('outcomeReason')} = u.reason ` +
      `FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS u(id, duplicate_of, outcome, reason) WHERE d.${d.column('id')} = u.id`,
  },
  /** Uploads under way, kept in the database so the pieces of one file may reach any instance. */
  uploadLocked: { name: 'hb_upload_locked', text: `SELECT ${s.column('value')} AS value FROM ${s.name} WHERE ${s.column('key')} = $1 FOR UPDATE SKIP LOCKED` },
  uploadWaiting: { name: 'hb_upload_waiting', text: `SELECT ${s.column('value')} AS value FROM ${s.name} WHERE ${s.column('key')} = $1 FOR UPDATE` },
  uploadsLocked: { name: 'hb_uploads_locked', text: `SELECT ${s.column('key')} AS key, ${s.column('value')} AS value FROM ${s.name} WHERE ${s.column('key')} LIKE $1 FOR UPDATE SKIP LOCKED` },
  uploadInsert: { name: 'hb_upload_insert', text: `INSERT INTO ${s.name} (${s.column('key')}, ${s.column('value')}) VALUES ($1, $2)` },
  uploadUpdate: { name: 'hb_upload_update', text: `UPDATE ${s.name} SET ${s.column('value')} = $2 WHERE ${s.column('key')} = $1` },
  uploadDelete: { name: 'hb_upload_delete', text: `DELETE FROM ${s.name} WHERE ${s.column('key')} = $1` },
  /** The file's bytes live in a large object: written a piece at a time, read back a slice at a time. */
  objectCreate: { name: 'hb_lo_create', text: 'SELECT lo_create(0)::bigint AS oid' },
  objectPut: { name: 'hb_lo_put', text: 'SELECT lo_put($1::oid, $2::bigint, $3::bytea)' },
  objectGet: { name: 'hb_lo_get', text: 'SELECT lo_get($1::oid, $2::bigint, $3::int) AS bytes' },
  objectUnlink: { name: 'hb_lo_unlink', text: 'SELECT lo_unlink(oid) FROM pg_largeobject_metadata WHERE oid = $1::oid' },
};
