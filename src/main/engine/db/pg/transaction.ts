import { Column, getTableColumns, getTableName } from 'drizzle-orm';
import type { Pool, PoolClient } from 'pg';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * Runs `run` in one transaction on one pooled connection. `relaxed` commits without waiting
 * for the WAL flush (synchronous_commit off for this transaction only): for writes that can be
 * redone from what is already durable, as SQLite's unsynced transactions are (a claim runs
 * out, an attempt is sent again under the same id).
 */
export async function inTransaction<T>(pool: Pool, run: (client: PoolClient) => Promise<T>, options: { relaxed?: boolean } = {}): Promise<T> {
  const client = await pool.connect();
  // A connection that goes mid-transaction (the server ends it, the network drops) fails the
  // statement under way; its error event must not take the process down, and the pool must not
  // hand the dead connection out again.
  let broken: Error | undefined;
  const onError = (error: Error) => void (broken = error);
  client.on('error', onError);
  try {
    await client.query(options.relaxed ? 'BEGIN; SET LOCAL synchronous_commit = off' : 'BEGIN');
    const result = await run(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * A table's names for hand-written SQL, from its one declaration (the PostgreSQL table derived
 * from it has the same names): its quoted name, a column's, and a select list that reads rows
 * back in the schema's shape (the pool already maps bigint to numbers, bytea to buffers and
 * booleans to booleans, so only the names change).
 */
export function pgNames(table: SQLiteTable) {
  const columns = getTableColumns(table) as Record<string, Column>;
  const column = (key: string) => {
    const found = columns[key];
    if (!found) throw new Error(`${getTableName(table)} has no column ${key}`);
    return `"${found.name}"`;
  };
  return {
    name: `"${getTableName(table)}"`,
    column,
    selectList: (alias?: string) =>
      Object.keys(columns)
        .map((key) => `${alias ? `${alias}.` : ''}${column(key)} AS "${key}"`)
        .join(', '),
  };
}
