import type { Db } from '../db/open';
import type { MaybePromise } from '../maybe-promise';
import type { SealedColumn } from './sealed-columns';

export interface SealedRow {
  key: string | number;
  value: string;
}

export type ResealedRow = SealedRow & { was: string };

/** Where a window of rows ends: the next window starts after it (SQLite's rowid; a row's id on PostgreSQL). */
export type RowCursor = string | number;

/** The reads and writes a key rotation makes, behind one interface: SQLite's below, PostgreSQL's in pg-rotate-statements.ts. */
export interface RotationStore {
  count(column: SealedColumn): MaybePromise<number>;
  /** The next rows after `after` (null: from the first) whose column holds something sealed. */
  window(column: SealedColumn, after: RowCursor | null, limit: number): MaybePromise<(SealedRow & { cursor: RowCursor })[]>;
  /**
   * Writes the new values of one window as one transaction, each only where the row still holds
   * what was read (`was`): a secret changed meanwhile (sealed with the new key already) is kept.
   */
  write(column: SealedColumn, rows: ResealedRow[]): MaybePromise<void>;
}

const SEALED_TEXT = '%sealed:%';
const ANY_KEY_SEALED = 'aesgcm1:%';

/** The rows whose column holds a sealed value (written the same way on both stores). */
export const holdsSealed = ({ column, shape }: SealedColumn) => (shape === 'value' ? `"${column}" LIKE '${ANY_KEY_SEALED}'` : `"${column}" LIKE '${SEALED_TEXT}'`);

export function sqliteRotationStore(db: Db): RotationStore {
  const sqlite = db.$client;
  return {
    count: (c) =>
      sqlite
        .prepare(`SELECT count(*) FROM "${c.table}" WHERE ${holdsSealed(c)}`)
        .pluck()
        .get() as number,
    window: (c, after, limit) =>
      sqlite
        .prepare(`SELECT rowid AS cursor, id AS key, "${c.column}" AS value FROM "${c.table}" WHERE rowid > ? AND ${holdsSealed(c)} ORDER BY rowid LIMIT ?`)
        .all(after ?? 0, limit) as (SealedRow & { cursor: number })[],
    write: (c, rows) => {
      const update = sqlite.prepare(`UPDATE "${c.table}" SET "${c.column}" = ? WHERE id = ? AND "${c.column}" = ?`);
      sqlite.transaction(() => rows.forEach((row) => update.run(row.value, row.key, row.was))).immediate();
    },
  };
}
