import { getTableConfig, type SQLiteColumn, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { declaredTables } from '../db/declared-tables';
import { sealedShape, type SealedShape } from '../secrets/sealed-columns';

/** How a column's values are carried from SQLite to PostgreSQL. */
export type ColumnKind = 'boolean' | 'blob' | 'integer' | 'real' | 'text';

export interface MovedColumn {
  name: string;
  kind: ColumnKind;
  /** What it holds sealed, by the schema's naming rule (secrets/sealed-columns.ts); null: nothing. */
  sealed: SealedShape | null;
}

export interface MovedTable {
  name: string;
  columns: MovedColumn[];
  /** The autoincrement id PostgreSQL numbers by identity; its sequence is set past the copied ids. */
  identity: string | null;
  /** A queue with claims (state 'sending' until claimed_until): nobody holds a claim on the target. */
  claims: boolean;
}

function kindOf(column: SQLiteColumn): ColumnKind {
  switch (column.columnType) {
    case 'SQLiteBoolean':
      return 'boolean';
    case 'SQLiteBlobBuffer':
      return 'blob';
    case 'SQLiteInteger':
    case 'SQLiteTimestamp':
      return 'integer';
    case 'SQLiteReal':
      return 'real';
    case 'SQLiteText':
    case 'SQLiteTextJson':
      return 'text';
    default:
      throw new Error(`No way to move ${column.name} (${column.columnType}): add one in move/tables.ts`);
  }
}

function describe(table: SQLiteTable): MovedTable {
  const config = getTableConfig(table);
  const names = new Set(config.columns.map((c) => c.name));
  const identity = config.columns.find((c) => (c as SQLiteColumn & { autoIncrement?: boolean }).autoIncrement === true);
  return {
    name: config.name,
    columns: config.columns.map((c) => ({ name: c.name, kind: kindOf(c), sealed: sealedShape(c.name) })),
    identity: identity?.name ?? null,
    claims: names.has('state') && names.has('claimed_until'),
  };
}

/**
 * Every table the schema declares, each after the tables it references, so rows can be
 * inserted in this order with every foreign key satisfied. Read from the one declaration:
 * a table added to the schema is moved without a word here.
 */
export function movedTables(): MovedTable[] {
  const tables = declaredTables();
  const byName = new Map(tables.map((t) => [getTableConfig(t).name, t]));
  const ordered: SQLiteTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`The schema's foreign keys form a cycle through ${name}`);
    state.set(name, 'visiting');
    const table = byName.get(name)!;
    for (const fk of getTableConfig(table).foreignKeys) {
      const target = getTableConfig(fk.reference().foreignTable).name;
      if (target !== name) visit(target);
    }
    state.set(name, 'done');
    ordered.push(table);
  };
  for (const name of [...byName.keys()].sort()) visit(name);
  return ordered.map(describe);
}
