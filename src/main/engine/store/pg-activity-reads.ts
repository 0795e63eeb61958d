import type pg from 'pg';
import type { ActivityEntry } from '../../../shared/types';
import { activity } from '../db/schema';
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

/** The feed's total (a package's, or the whole feed's), counted: PostgreSQL keeps no running totals. */
export async function pgCountActivity(pool: pg.Pool, packageId?: string): Promise<number> {
  const { rows } = packageId
    ? await pool.query<{ n: number }>({ name: 'hb_activity_count_package', text: `SELECT count(*) AS n FROM ${a.name} WHERE ${a.column('packageId')} = $1`, values: [packageId] })
    : await pool.query<{ n: number }>({ name: 'hb_activity_count', text: `SELECT count(*) AS n FROM ${a.name}` });
  return rows[0]?.n ?? 0;
}
