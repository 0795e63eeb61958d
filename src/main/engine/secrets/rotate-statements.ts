import type { Db } from '../db/open';
import type { SealedColumn } from './sealed-columns';

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
