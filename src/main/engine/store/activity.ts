import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { ActivityEntry, ActivityKind } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { activity } from '../db/schema';
import { toActivity } from './rows';

export interface NewActivity {
  kind: ActivityKind;
  message: string;
  packageId?: string | null;
  deliveryId?: number | null;
  releaseId?: number | null;
  at?: number;
}

export function recordActivity(db: Queryable, entry: NewActivity): ActivityEntry {
  const row = db
    .insert(activity)
    .values({
      at: entry.at ?? Date.now(),
      kind: entry.kind,
      message: entry.message,
      packageId: entry.packageId ?? null,
      deliveryId: entry.deliveryId ?? null,
      releaseId: entry.releaseId ?? null,
    })
    .returning()
    .get();
  return toActivity(row);
}

export function listActivity(db: Queryable, filter: { packageId?: string | undefined; limit: number }): ActivityEntry[] {
  const where: SQL[] = [];
  if (filter.packageId) where.push(eq(activity.packageId, filter.packageId));
  return db
    .select()
    .from(activity)
    .where(and(...where))
    .orderBy(desc(activity.id))
    .limit(filter.limit)
    .all()
    .map(toActivity);
}
