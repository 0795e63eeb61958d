import { getTableColumns, getTableName, type Column, type Table } from 'drizzle-orm';

/**
 * A table's names for hand-written PostgreSQL statements on hot paths, read from the one
 * declaration (../schema.ts: the derived tables keep its table and column names): quoted column
 * names by the declaration's keys, select lists that give rows back under those keys, and
 * numbered parameters. Values go to the driver as rows hold them (numbers, text, booleans, Buffers).
 */
export function tableSql(table: Table) {
  const columns = getTableColumns(table) as Record<string, Column>;
  const name = `"${getTableName(table)}"`;
  const column = (key: string) => {
    const found = columns[key];
    if (!found) throw new Error(`${name} has no column for ${key}`);
    return `"${found.name}"`;
  };
  return {
    name,
    column,
    /** `"package_id" AS "packageId", …`; every column when no keys are given. */
    selectList: (keys: readonly string[] = Object.keys(columns)) => keys.map((key) => `${column(key)} AS "${key}"`).join(', '),
    /** `INSERT INTO t ("a", "b") VALUES ($1, $2)` */
    insert: (keys: readonly string[]) => `INSERT INTO ${name} (${keys.map(column).join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`,
  };
}
