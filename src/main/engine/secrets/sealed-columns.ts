import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { declaredTables } from '../db/declared-tables';

/** One sealed value per row, or header pairs (JSON) with the credentials' values sealed. */
export type SealedShape = 'value' | 'headers';

/** A column holding sealed values. */
export interface SealedColumn {
  table: string;
  column: string;
  shape: SealedShape;
}

/**
 * The schema's naming rule for secrets at rest: a `*_sealed` column holds one sealed value,
 * a `headers` or `*_headers` column holds header pairs whose credentials are sealed.
 */
export function sealedShape(column: string): SealedShape | null {
  if (column.endsWith('_sealed')) return 'value';
  if (column === 'headers' || column.endsWith('_headers')) return 'headers';
  return null;
}

let known: SealedColumn[] | undefined;

/**
 * Every place a sealed value is stored, read from the schema by its naming rule, so a column
 * added there is re-sealed by a key rotation and a workspace move without a word elsewhere.
 */
export function sealedColumns(): SealedColumn[] {
  known ??= declaredTables()
    .flatMap((table) => {
      const { name, columns } = getTableConfig(table);
      return columns.flatMap((c) => {
        const shape = sealedShape(c.name);
        return shape ? [{ table: name, column: c.name, shape }] : [];
      });
    })
    .sort((a, b) => a.table.localeCompare(b.table) || a.column.localeCompare(b.column));
  return known;
}
