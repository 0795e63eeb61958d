import type pg from 'pg';
import type { ActivityEntry } from '../../../shared/types';
import { activity } from '../db/schema';
import { POSTGRES_OWN_TABLES } from '../db/pg/own-tables';
import { tableSql } from '../db/pg/table-sql';
import { NO_ROW_ABOVE } from './keyset';
import { toActivity } from './rows';

const a = tableSql(activity);

/** The activity feed on PostgreSQL, as listActivity reads it on SQLite: newest first, below a row already seen. */
export async function pgListActivity(pool: pg.Pool, filter: { packageId?: string | undefined; beforeId?: number | undefined; limit: number }): Promise<ActivityEntry[]> {
  const params: unknown[] = [filter.beforeId ?? NO_ROW_ABOVE, filter.limit];
  const ofPackage = filter.packageId ? ` AND ${a.column('packageId')} = $${params.push(filter.packageId)}` : '';
  const { rows } = await pool.query<typeof activity.$inferSelect>(`SELECT ${a.selectList()} FROM ${a.name} WHERE ${a.column('id')} < $1${ofPackage} ORDER BY ${a.column('id')} DESC LIMIT $2`, params);
  return rows.map(toActivity);
}

/**
 * The feed's total: a package's counted through its index; the whole feed's read from the running
 * count the activity_total_pg_plans migration's triggers keep (in 64 slots, so writers never wait on one row), as SQLite
 * keeps it in list_totals, so it never counts every entry.
 */
export async function pgCountActivity(pool: pg.Pool, packageId?: string): Promise<number> {
  const { rows } = packageId
    ? await pool.query<{ n: number }>({ name: 'hb_activity_count_package', text: `SELECT count(*) AS n FROM ${a.name} WHERE ${a.column('packageId')} = $1`, values: [packageId] })
    : await pool.query<{ n: number }>({ name: 'hb_activity_total', text: `SELECT coalesce(sum("rows"), 0)::int8 AS n FROM "${POSTGRES_OWN_TABLES.activityTotalSlots}"` });
  return rows[0]?.n ?? 0;
}
