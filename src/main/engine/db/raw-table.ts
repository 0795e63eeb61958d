import type Database from 'better-sqlite3';
import { Column, getTableColumns, getTableName, type Table } from 'drizzle-orm';

type Row<T extends Table> = T['$inferSelect'];
type Key<T extends Table> = keyof Row<T> & string;

/**
 * One table's rows on the bare SQLite connection, named and converted as the schema says.
 *
 * The query builder checks and maps every parameter and every column on every call; on
 * paths that run for each delivery that costs more than SQLite's own work. Statements
 * built here are plain positional SQL, compiled once, and rows come back in the schema's
 * shape (booleans, buffers) through the columns' own converters.
 */
export function rawTable<T extends Table>(sqlite: Database.Database, table: T) {
  const columns = getTableColumns(table) as Record<string, Column>;
  const name = `"${getTableName(table)}"`;
  const column = (key: string) => `"${columns[key]!.name}"`;
  /** Columns whose driver value is not already what the schema promises. */
  const converted = Object.entries(columns).filter(([, c]) => c.mapFromDriverValue !== Column.prototype.mapFromDriverValue);
  const selectList = Object.keys(columns)
    .map((key) => `${column(key)} AS "${key}"`)
    .join(', ');

  const toRow = (raw: Record<string, unknown> | undefined): Row<T> | undefined => {
    if (raw === undefined) return undefined;
    for (const [key, c] of converted) if (raw[key] !== null) raw[key] = c.mapFromDriverValue(raw[key]);
    return raw as Row<T>;
  };
  const toDriver = (keys: readonly string[]) => {
    const cs = keys.map((key) => columns[key]!);
    return (values: Record<string, unknown>) =>
      cs.map((c, i) => {
        const v = values[keys[i]!];
        return v === null || v === undefined ? null : c.mapToDriverValue(v);
      });
  };
  const where = (keys: readonly string[]) => keys.map((key) => `${column(key)} = ?`).join(' AND ');
  /** `INSERT INTO t (a, b) VALUES (?, ?), …` for `rows` rows. */
  const insertSql = (keys: readonly string[], rows = 1) => {
    const tuple = `(${keys.map(() => '?').join(', ')})`;
    return `INSERT INTO ${name} (${keys.map(column).join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
  };

  return {
    /** The row whose columns equal these values (or the first such), whole. */
    findBy<K extends Key<T>>(keys: readonly K[], extra = '') {
      const statement = sqlite.prepare(`SELECT ${selectList} FROM ${name} WHERE ${where(keys)}${extra ? ` AND ${extra}` : ''} LIMIT 1`);
      const bind = toDriver(keys);
      return (values: Pick<Row<T>, K>): Row<T> | undefined => toRow(statement.get(bind(values)) as Record<string, unknown> | undefined);
    },
    /** Every row whose columns equal these values, whole, in `orderBy` column order. */
    allBy<K extends Key<T>>(keys: readonly K[], orderBy: Key<T>) {
      const statement = sqlite.prepare(`SELECT ${selectList} FROM ${name} WHERE ${where(keys)} ORDER BY ${column(orderBy)}`);
      const bind = toDriver(keys);
      return (values: Pick<Row<T>, K>): Row<T>[] => (statement.all(bind(values)) as Record<string, unknown>[]).map((raw) => toRow(raw)!);
    },
    /** Inserts these columns; returns the row as stored. */
    insert<K extends Key<T>>(keys: readonly K[]) {
      const statement = sqlite.prepare(`${insertSql(keys)} RETURNING ${selectList}`);
      const bind = toDriver(keys);
      return (values: Pick<Row<T>, K>): Row<T> => toRow(statement.get(bind(values)) as Record<string, unknown>)!;
    },
    /** Inserts these columns without reading the row back; returns its id. */
    append<K extends Key<T>>(keys: readonly K[]) {
      const statement = sqlite.prepare(insertSql(keys));
      const bind = toDriver(keys);
      return (values: Pick<Row<T>, K>): number => Number(statement.run(bind(values)).lastInsertRowid);
    },
    /** Inserts several rows of these columns in one statement. */
    appendMany<K extends Key<T>>(keys: readonly K[]) {
      const bind = toDriver(keys);
      const byCount = new Map<number, Database.Statement>();
      return (values: Pick<Row<T>, K>[]): void => {
        if (values.length === 0) return;
        let statement = byCount.get(values.length);
        if (!statement) byCount.set(values.length, (statement = sqlite.prepare(insertSql(keys, values.length))));
        statement.run(values.flatMap(bind));
      };
    },
    /** Deletes the rows whose columns equal these values; returns how many. */
    deleteBy<K extends Key<T>>(keys: readonly K[]) {
      const statement = sqlite.prepare(`DELETE FROM ${name} WHERE ${where(keys)}`);
      const bind = toDriver(keys);
      return (values: Pick<Row<T>, K>): number => statement.run(bind(values)).changes;
    },
    /** Sets `set` columns on the rows matching `by` columns; returns how many changed. */
    update<S extends Key<T>, B extends Key<T>>(set: readonly S[], by: readonly B[]) {
      const statement = sqlite.prepare(`UPDATE ${name} SET ${set.map((key) => `${column(key)} = ?`).join(', ')} WHERE ${where(by)}`);
      const bind = toDriver([...set, ...by]);
      return (values: Pick<Row<T>, S | B>): number => statement.run(bind(values)).changes;
    },
    /**
     * A statement of the caller's, with positional parameters, that ends in RETURNING every
     * column: for writes that pick their rows themselves (a claim, say). Rows come back whole.
     */
    returningAll(text: string) {
      const statement = sqlite.prepare(`${text} RETURNING ${selectList}`);
      return (...params: unknown[]): Row<T>[] => (statement.all(params) as Record<string, unknown>[]).map((raw) => toRow(raw)!);
    },
    name,
    column,
  };
}
