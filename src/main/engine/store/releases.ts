import { desc, eq, inArray } from 'drizzle-orm';
import type { Release } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { releaseChecks, releases } from '../db/schema';
import { toRelease } from './rows';

export function listReleases(db: Queryable, packageId: string): Release[] {
  const rows = db.select().from(releases).where(eq(releases.packageId, packageId)).orderBy(desc(releases.id)).all();
  if (rows.length === 0) return [];
  const checks = db
    .select()
    .from(releaseChecks)
    .where(inArray(releaseChecks.releaseId, rows.map((r) => r.id)))
    .orderBy(releaseChecks.id)
    .all();
  return rows.map((r) => toRelease(r, checks.filter((c) => c.releaseId === r.id)));
}
