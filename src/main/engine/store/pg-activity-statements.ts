import type { Pool, PoolClient } from 'pg';
import type { ActivityEntry } from '../../../shared/types';
import { pgNames } from '../db/pg/transaction';
import { activity, packages } from '../db/schema';
import { activityValues, type NewActivity } from './activity';
import { toActivity } from './rows';

type ActivityRow = typeof activity.$inferSelect;

const a = pgNames(activity);
const p = pgNames(packages);
const activityColumns = ['at', 'kind', 'message', 'packageId', 'packageName', 'deliveryId', 'releaseId'] as const;

/** The activity feed's SQL for PostgreSQL, named so every pooled connection prepares it once. */
export const pgActivitySql = {
  insertActivity: {
    name: 'hb_activity_insert',
    // The package's name as it is now, kept with the entry, as the SQLite store does.
    text:
      `INSERT INTO ${a.name} (${activityColumns.map(a.column).join(', ')}) ` +
      `VALUES ($1, $2, $3, $4, coalesce($5, (SELECT ${p.column('name')} FROM ${p.name} WHERE ${p.column('id')} = $4)), $6, $7) RETURNING ${a.selectList()}`,
  },
};

/** One entry, every column given (activityValues fills the defaults). */
export async function pgInsertActivity(db: Pool | PoolClient, values: Omit<ActivityRow, 'id'>): Promise<ActivityRow> {
  const result = await db.query<ActivityRow>({ ...pgActivitySql.insertActivity, values: activityColumns.map((key) => values[key]) });
  return result.rows[0]!;
}

/** recordActivity's PostgreSQL form. */
export async function pgRecordActivity(db: Pool | PoolClient, entry: NewActivity): Promise<ActivityEntry> {
  return toActivity(await pgInsertActivity(db, activityValues(entry)));
}
