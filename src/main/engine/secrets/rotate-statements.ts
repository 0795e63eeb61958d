import type { Db } from '../db/open';

/** A column holding sealed values: one per row, or header pairs (JSON) with some values sealed. */
export interface SealedColumn {
  table: string;
  column: string;
  shape: 'value' | 'headers';
}

/** Every place a sealed value is stored. */
export const SEALED_COLUMNS: SealedColumn[] = [
  { table: 'hooks', column: 'secret_sealed', shape: 'value' },
  { table: 'hooks', column: 'previous_secret_sealed', shape: 'value' },
  { table: 'endpoints', column: 'secret_sealed', shape: 'value' },
  { table: 'endpoints', column: 'previous_secret_sealed', shape: 'value' },
  { table: 'connections', column: 'token_sealed', shape: 'value' },
  { table: 'inboxes', column: 'secret_sealed', shape: 'value' },
  { table: 'deliveries', column: 'headers', shape: 'headers' },
  { table: 'attempts', column: 'request_headers', shape: 'headers' },
  { table: 'attempts', column: 'response_headers', shape: 'headers' },
  { table: 'replays', column: 'request_headers', shape: 'headers' },
  { table: 'replays', column: 'response_headers', shape: 'headers' },
  { table: 'fixtures', column: 'headers', shape: 'headers' },
];

export interface SealedRow {
  key: string | number;
  value: string;
}

/** The reads and writes a key rotation makes, behind one interface (a PostgreSQL form is a second one). */
export interface RotationStore {
  count(column: SealedColumn): number;
  /** The next rows after `afterKey` (rowid order) whose column holds something sealed. */
  window(column: SealedColumn, afterKey: number, limit: number): (SealedRow & { rowid: number })[];
  /** Runs the writes of one window as one transaction. */
  inTransaction(run: () => void): void;
  update(column: SealedColumn, key: string | number, value: string): void;
}

const SEALED_TEXT = '%sealed:%';
const ANY_KEY_SEALED = 'aesgcm1:%';

const holds = ({ column, shape }: SealedColumn) => (shape === 'value' ? `"${column}" LIKE '${ANY_KEY_SEALED}'` : `"${column}" LIKE '${SEALED_TEXT}'`);

export function sqliteRotationStore(db: Db): RotationStore {
  const sqlite = db.$client;
  return {
    count: (c) => sqlite.prepare(`SELECT count(*) FROM "${c.table}" WHERE ${holds(c)}`).pluck().get() as number,
    window: (c, afterKey, limit) =>
      sqlite.prepare(`SELECT rowid AS rowid, id AS key, "${c.column}" AS value FROM "${c.table}" WHERE rowid > ? AND ${holds(c)} ORDER BY rowid LIMIT ?`).all(afterKey, limit) as (SealedRow & { rowid: number })[],
    inTransaction: (run) => sqlite.transaction(run).immediate(),
    update: (c, key, value) => void sqlite.prepare(`UPDATE "${c.table}" SET "${c.column}" = ? WHERE id = ?`).run(value, key),
  };
}
