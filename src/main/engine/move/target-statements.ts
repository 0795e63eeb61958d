import type { PoolClient } from 'pg';
import { MoveRefused } from './errors';
import type { MovedTable } from './tables';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

const LOCK_NOT_AVAILABLE = '55P03';

/** PostgreSQL takes at most 65,535 parameters a statement. */
export const MAX_PARAMETERS = 60_000;

/** What moving a workspace asks of the server's database, all on one connection inside one transaction. */
export interface MoveTarget {
  /** Begins the transaction and takes every table for itself, so no instance writes while the copy goes in. */
  begin(tables: MovedTable[]): Promise<void>;
  /** Rows a table holds (counted up to `cap`), with the rows `ignore` names left out. */
  rowsIn(table: MovedTable, cap: number, ignoreKeys?: string[]): Promise<number>;
  /** Empties every table (they are all locked): what --replace asks, and what makes room after an empty check. */
  clear(tables: MovedTable[]): Promise<void>;
  insert(table: MovedTable, rows: unknown[][]): Promise<void>;
  /** Sets the identity's next value past `highest`; returns that next value. */
  continueIdentity(table: MovedTable, highest: number): Promise<number>;
  count(table: MovedTable): Promise<number>;
  /** Ids after `afterId` with the sha256 PostgreSQL computes of the stored bytes. */
  blobHashes(table: MovedTable, column: string, afterId: number, limit: number): Promise<{ id: number; hash: Buffer | null }[]>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export function postgresMoveTarget(client: PoolClient): MoveTarget {
  const insertSql = new Map<string, string>();
  const insertFor = (table: MovedTable, rows: number) => {
    const key = `${table.name}:${rows}`;
    let sql = insertSql.get(key);
    if (!sql) {
      const width = table.columns.length;
      const values = Array.from({ length: rows }, (_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
      sql = `INSERT INTO ${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(', ')}) VALUES ${values.join(', ')}`;
      if (insertSql.size >= 64) insertSql.clear();
      insertSql.set(key, sql);
    }
    return sql;
  };
  return {
    async begin(tables) {
      await client.query('BEGIN');
      // A serve holding a table (or a long query) makes this wait at most this long, then say so.
      await client.query("SET LOCAL lock_timeout = '15s'");
      try {
        await client.query(`LOCK TABLE ${tables.map((t) => quote(t.name)).join(', ')} IN ACCESS EXCLUSIVE MODE`);
      } catch (error) {
        if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
        throw new MoveRefused("The server's tables stayed in use for 15 s (a running serve, or a long query): stop the instances on this database, then migrate again. Nothing was written.");
      }
    },
    async rowsIn(table, cap, ignoreKeys = []) {
      const where = ignoreKeys.length ? ` WHERE "key" <> ALL($2::text[])` : '';
      const params: unknown[] = ignoreKeys.length ? [cap, ignoreKeys] : [cap];
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${quote(table.name)}${where} LIMIT $1) AS some_rows`, params);
      return rows[0]!.n;
    },
    async clear(tables) {
      await client.query(`TRUNCATE ${tables.map((t) => quote(t.name)).join(', ')} RESTART IDENTITY`);
    },
    async insert(table, rows) {
      if (rows.length === 0) return;
      // Row values as parameters: bodies go to the server as binary, never as text escapes.
      await client.query(insertFor(table, rows.length), rows.flat());
    },
    async continueIdentity(table, highest) {
      if (!table.identity) return 0;
      const sequence = `SELECT pg_get_serial_sequence($1, $2)`;
      // setval(seq, n, true): the next id is n + 1; with nothing given out yet, the next is 1.
      await client.query(`SELECT setval((${sequence}), $3, $4)`, [quote(table.name), table.identity, Math.max(highest, 1), highest > 0]);
      return highest + 1;
    },
    async count(table) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table.name)}`);
      return Number(rows[0]!.n);
    },
    async blobHashes(table, column, afterId, limit) {
      const id = quote(table.identity!);
      const { rows } = await client.query<{ id: string; hash: Buffer | null }>(
        `SELECT ${id} AS id, sha256(${quote(column)}) AS hash FROM ${quote(table.name)} WHERE ${id} > $1 ORDER BY ${id} LIMIT $2`,
        [afterId, limit],
      );
      return rows.map((r) => ({ id: Number(r.id), hash: r.hash }));
    },
    commit: () => client.query('COMMIT').then(() => undefined),
    rollback: () => client.query('ROLLBACK').then(() => undefined),
  };
}
