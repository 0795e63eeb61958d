import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { deliveries, packages, releaseChecks, releases } from '../db/schema';

const ph = (name: string) => sql.placeholder(name);
/** `set()` takes SQL, not bare placeholders. */
const set = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * Ingest runs these for every tag push; prepared once, they skip query building,
 * which costs more than SQLite's own work at these sizes.
 */
export function prepareIngestStatements(db: Queryable) {
  return {
    pendingDelivery: db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.id, ph('id')), eq(deliveries.outcome, 'pending')))
      .prepare(),
    packageById: db.select().from(packages).where(eq(packages.id, ph('id'))).prepare(),
    releaseByTag: db
      .select()
      .from(releases)
      .where(and(eq(releases.packageId, ph('packageId')), eq(releases.tag, ph('tag'))))
      .prepare(),
    releaseById: db.select().from(releases).where(eq(releases.id, ph('id'))).prepare(),
    checksOf: db.select().from(releaseChecks).where(eq(releaseChecks.releaseId, ph('releaseId'))).orderBy(releaseChecks.id).prepare(),
    insertRelease: db
      .insert(releases)
      .values({
        packageId: ph('packageId'),
        tag: ph('tag'),
        version: ph('version'),
        prerelease: ph('prerelease'),
        commitSha: ph('commitSha'),
        status: ph('status'),
        deliveryId: ph('deliveryId'),
        createdAt: ph('at'),
        updatedAt: ph('at'),
      })
      .returning()
      .prepare(),
    markTagDeleted: db.update(releases).set({ status: 'tag_deleted', updatedAt: set('at') }).where(eq(releases.id, ph('id'))).prepare(),
    recreateRelease: db
      .update(releases)
      .set({ commitSha: set('commitSha'), deliveryId: set('deliveryId'), status: set('status'), updatedAt: set('at') })
      .where(eq(releases.id, ph('id')))
      .returning()
      .prepare(),
    clearChecks: db.delete(releaseChecks).where(eq(releaseChecks.releaseId, ph('releaseId'))).prepare(),
    insertCheck: db
      .insert(releaseChecks)
      .values({ releaseId: ph('releaseId'), rule: ph('rule'), severity: ph('severity'), passed: ph('passed'), detail: ph('detail') })
      .prepare(),
    settleDelivery: db
      .update(deliveries)
      .set({ outcome: set('outcome'), outcomeReason: set('reason'), releaseId: set('releaseId') })
      .where(eq(deliveries.id, ph('id')))
      .prepare(),
  };
}

export type IngestStatements = ReturnType<typeof prepareIngestStatements>;
