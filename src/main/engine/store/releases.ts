import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Release } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { releaseChecks, releases } from '../db/schema';
import { toRelease } from './rows';
import { NO_ROW_ABOVE } from './keyset';

/** Newest first: all of them, or a page below beforeId. */
export function listReleases(db: Queryable, packageId: string, page: { beforeId?: number | undefined; limit?: number } = {}): Release[] {
  const query = db
    .select()
    .from(releases)
    .where(and(eq(releases.packageId, packageId), lt(releases.id, page.beforeId ?? NO_ROW_ABOVE)))
    .orderBy(desc(releases.id));
  const rows = page.limit === undefined ? query.all() : query.limit(page.limit).all();
  if (rows.length === 0) return [];
  const checks = db
    .select()
    .from(releaseChecks)
    .where(inArray(releaseChecks.releaseId, rows.map((r) => r.id)))
    .orderBy(releaseChecks.id)
    .all();
  return rows.map((r) => toRelease(r, checks.filter((c) => c.releaseId === r.id)));
}
