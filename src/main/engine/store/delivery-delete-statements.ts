import { and, asc, gt, inArray } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { deliveries, fixtures, releases } from '../db/schema';
import { deliveryConditions, type DeliveryFilter } from './deliveries';

/** What deleting deliveries asks of the store; a PostgreSQL store answers the same. */
export interface DeliveryDeleteStatements {
  /** The next matching ids after `afterId`, oldest first. */
  nextMatching(afterId: number, limit: number): number[];
  /** Of these ids, the ones a release records as its delivery, and the ones a fixture was saved from. */
  linked(ids: number[]): { byRelease: Set<number>; byFixture: Set<number> };
  /** Deletes these rows; a release that named one keeps its data and loses only the link. */
  remove(ids: number[]): number;
}

export function sqliteDeliveryDeleteStatements(db: Queryable, filter: DeliveryFilter & { ids?: number[] | undefined }): DeliveryDeleteStatements {
  const where = deliveryConditions(filter);
  if (filter.ids) where.push(inArray(deliveries.id, filter.ids));
  return {
    nextMatching(afterId, limit) {
      return db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(and(gt(deliveries.id, afterId), ...where))
        .orderBy(asc(deliveries.id))
        .limit(limit)
        .all()
        .map((r) => r.id);
    },
    linked(ids) {
      const byRelease = new Set(
        db
          .select({ id: releases.deliveryId })
          .from(releases)
          .where(inArray(releases.deliveryId, ids))
          .all()
          .map((r) => r.id!),
      );
      const byFixture = new Set(
        db
          .select({ origin: fixtures.origin })
          .from(fixtures)
          .where(inArray(fixtures.origin, ids.map((id) => `delivery:${id}`)))
          .all()
          .map((r) => Number(r.origin.slice('delivery:'.length))),
      );
      return { byRelease, byFixture };
    },
    remove(ids) {
      if (ids.length === 0) return 0;
      db.update(releases).set({ deliveryId: null }).where(inArray(releases.deliveryId, ids)).run();
      return db.delete(deliveries).where(inArray(deliveries.id, ids)).run().changes;
    },
  };
}
