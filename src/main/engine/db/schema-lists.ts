import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Row counts kept up to date by triggers (see the list_paging migration), for the totals of
 * lists with no filter to count through: counting a whole table would read all of it.
 */
export const listTotals = sqliteTable('list_totals', {
  list: text('list').primaryKey(),
  rows: integer('rows').notNull(),
});
