import { Column, getTableName, is, SQL } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
} from 'drizzle-orm/pg-core';
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * The schema is declared once, for SQLite (../schema.ts); the PostgreSQL tables are derived from
 * that declaration here, so a column added there exists in both stores and drizzle-kit writes the
 * migrations of each from one source. Stored values keep their meaning: times stay integer
 * milliseconds (bigint, read back as numbers), bodies stay exact bytes (bytea).
 */

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- derived tables are typed by the SQLite declaration they mirror
export type DerivedPgTable = PgTableWithColumns<any>;

const derivedByName = new Map<string, DerivedPgTable>();

function columnBuilder(column: SQLiteColumn): PgColumnBuilderBase {
  const kind = column.columnType;
  let builder;
  if (kind === 'SQLiteBoolean') builder = boolean(column.name);
  else if (kind === 'SQLiteInteger' || kind === 'SQLiteTimestamp') builder = bigint(column.name, { mode: 'number' });
  else if (kind === 'SQLiteText' || kind === 'SQLiteTextJson') builder = text(column.name);
  else if (kind === 'SQLiteBlobBuffer') builder = bytea(column.name);
  else if (kind === 'SQLiteReal') builder = doublePrecision(column.name);
  else throw new Error(`No PostgreSQL form for ${column.name} (${kind}): add one in derive-table.ts`);
  const autoIncrement = (column as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement === true;
  if (autoIncrement && 'generatedByDefaultAsIdentity' in builder) builder = builder.generatedByDefaultAsIdentity();
  if (column.primary) builder = builder.primaryKey();
  if (column.notNull && !column.primary) builder = builder.notNull();
  if (column.hasDefault && column.default !== undefined) builder = builder.default(column.default as never);
  if (column.isUnique && column.uniqueName) builder = builder.unique(column.uniqueName);
  return builder;
}

/** An index expression or condition with SQLite's columns swapped for the derived table's. */
function onDerived(expression: SQL, columns: Record<string, Column>): SQL {
  return new SQL(
    expression.queryChunks.map((chunk) => {
      if (is(chunk, Column)) return columns[chunk.name] ?? chunk;
      if (is(chunk, SQL)) return onDerived(chunk, columns);
      return chunk;
    }),
  );
}

/** The PostgreSQL form of one SQLite table: columns, keys, references and indexes (partial and expression ones too). */
export function derivePgTable(source: SQLiteTable): DerivedPgTable {
  const name = getTableName(source);
  const known = derivedByName.get(name);
  if (known) return known;
  const config = getTableConfig(source);
  const builders = Object.fromEntries(config.columns.map((column) => [column.name, columnBuilder(column)]));
  const table = pgTable(name, builders, (t) => {
    const byName = Object.fromEntries(Object.values(t).map((column) => [(column as Column).name, column as Column]));
    const pick = (column: Column) => {
      const found = byName[column.name];
      if (!found) throw new Error(`${name}: no derived column ${column.name}`);
      return found as never;
    };
    const extras: unknown[] = [];
    for (const key of config.primaryKeys) extras.push(primaryKey({ name: key.getName(), columns: key.columns.map(pick) as [never, ...never[]] }));
    for (const fk of config.foreignKeys) {
      const reference = fk.reference();
      const target = derivePgTable(reference.foreignTable);
      const targetColumns = Object.fromEntries(Object.values(target).filter((c): c is Column => is(c, Column)).map((c) => [c.name, c]));
      let builder = foreignKey({
        name: fk.getName(),
        columns: reference.columns.map(pick) as [never, ...never[]],
        foreignColumns: reference.foreignColumns.map((c) => targetColumns[c.name]) as [never, ...never[]],
      });
      if (fk.onDelete) builder = builder.onDelete(fk.onDelete);
      extras.push(builder);
    }
    for (const idx of config.indexes) {
      const { name: indexName, unique, where, columns } = idx.config;
      const on = columns.map((c) => (is(c, SQL) ? onDerived(c, byName) : pick(c as Column))) as [never, ...never[]];
      let built = (unique ? uniqueIndex(indexName) : index(indexName)).on(...on);
      if (where) built = built.where(onDerived(where, byName));
      extras.push(built);
    }
    return extras as never;
  });
  derivedByName.set(name, table);
  return table;
}
