import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { ActivityEntry, ActivityKind } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { preparedOn } from '../db/prepared';
import { activity, packages } from '../db/schema';
import { toActivity } from './rows';
import { NO_ROW_ABOVE } from './keyset';

export interface NewActivity {
  kind: ActivityKind;
  message: string;
  packageId?: string | null;
  /** Read from the package when absent; give it when the package is already gone. */
  packageName?: string | null;
  deliveryId?: number | null;
  releaseId?: number | null;
  at?: number;
}

const ph = (name: string) => sql.placeholder(name);

const insertActivity = preparedOn((db) =>
  db
    .insert(activity)
    .values({
      at: ph('at'),
      kind: ph('kind'),
      message: ph('message'),
      packageId: ph('packageId'),
      // The name as it is now, kept with the entry: the feed names a package even after it is removed.
      packageName: sql`coalesce(${ph('packageName')}, (SELECT ${packages.name} FROM ${packages} WHERE ${packages.id} = ${ph('packageId')}))`,
      deliveryId: ph('deliveryId'),
      releaseId: ph('releaseId'),
    })
    .returning()
    .prepare(),
);

/** Every column of a new entry, defaults filled in. */
export function activityValues(entry: NewActivity) {
  return {
    at: entry.at ?? Date.now(),
    kind: entry.kind,
    message: entry.message,
    packageId: entry.packageId ?? null,
    packageName: entry.packageName ?? null,
    deliveryId: entry.deliveryId ?? null,
    releaseId: entry.releaseId ?? null,
  };
}

export function recordActivity(db: Queryable, entry: NewActivity): ActivityEntry {
  return toActivity(insertActivity(db).get(activityValues(entry))!);
}

/** Newest first; beforeId reads on below a row already seen. */
export function listActivity(db: Queryable, filter: { packageId?: string | undefined; beforeId?: number | undefined; limit: number }): ActivityEntry[] {
  const where: SQL[] = [lt(activity.id, filter.beforeId ?? NO_ROW_ABOVE)];
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
