import type { Pool } from 'pg';
import { inTransaction } from '../db/pg/transaction';
import { holdsSealed, type RotationStore, type RowCursor, type SealedRow } from './rotate-statements';

/**
 * A key rotation's reads and writes on a team server's database: windows in id order (the
 * tables have no rowid there), the same columns and tests for "holds something sealed" as on
 * SQLite; the instances keep running meanwhile, so a value is replaced only while it is the one read.
 */
export function pgRotationStore(pool: Pool): RotationStore {
  return {
    count: async (c) => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${c.table}" WHERE ${holdsSealed(c)}`)).rows[0]!.n),
    // By id, in the column's own order (an index), the cursor given back as the driver reads it.
    window: async (c, after, limit) => {
      const from = after === null ? '' : 'id > $2 AND ';
      const text = `SELECT id AS cursor, id AS key, "${c.column}" AS value FROM "${c.table}" WHERE ${from}${holdsSealed(c)} ORDER BY id LIMIT $1`;
      return (await pool.query<SealedRow & { cursor: RowCursor }>(text, after === null ? [limit] : [limit, after])).rows;
    },
    write: (c, rows) =>
      inTransaction(pool, async (client) => {
        for (const row of rows) await client.query(`UPDATE "${c.table}" SET "${c.column}" = $1 WHERE id = $2 AND "${c.column}" = $3`, [row.value, row.key, row.was]);
      }),
  };
}
