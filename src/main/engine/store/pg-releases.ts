import type { Pool } from 'pg';
import type { Release } from '../../../shared/types';
import type { releaseChecks, releases } from '../db/schema';
import { NO_ROW_ABOVE } from './keyset';
import { pgPackageSql as sql } from './pg-package-statements';
import { toRelease } from './rows';

type ReleaseRow = typeof releases.$inferSelect;
type CheckRow = typeof releaseChecks.$inferSelect;

/** listReleases' PostgreSQL form: newest first, all of them or a page below beforeId. */
export async function pgListReleases(pool: Pool, packageId: string, page: { beforeId?: number | undefined; limit?: number } = {}): Promise<Release[]> {
  const rows = (await pool.query<ReleaseRow>({ ...sql.releasesBelow, values: [packageId, page.beforeId ?? NO_ROW_ABOVE, page.limit ?? null] })).rows;
  if (rows.length === 0) return [];
  const checks = (await pool.query<CheckRow>({ ...sql.checksOf, values: [rows.map((row) => row.id)] })).rows;
  return rows.map((row) =>
    toRelease(
      row,
      checks.filter((check) => check.releaseId === row.id),
    ),
  );
}

export async function pgCountReleases(pool: Pool, packageId: string): Promise<number> {
  return (await pool.query<{ n: number }>({ ...sql.countReleases, values: [packageId] })).rows[0]?.n ?? 0;
}
