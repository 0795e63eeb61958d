import { is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as declared from './schema';

/** Every table the schema declares, read from the one declaration. */
export const declaredTables = (): SQLiteTable[] => (Object.values(declared) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));
