import { count, eq } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { activity, attempts, messages, releases } from '../db/schema';

/**
 * The totals the paged lists show. Each counts the entries of one index range (the same
 * index the list reads its pages from), never the rows of a whole table with a filter.
 */
export const countActivity = (db: Queryable, packageId?: string) =>
  db
    .select({ n: count() })
    .from(activity)
    .where(packageId ? eq(activity.packageId, packageId) : undefined)
    .get()?.n ?? 0;

export const countReleases = (db: Queryable, packageId: string) =>
  db.select({ n: count() }).from(releases).where(eq(releases.packageId, packageId)).get()?.n ?? 0;

export const countAttempts = (db: Queryable, endpointId: string) =>
  db.select({ n: count() }).from(attempts).where(eq(attempts.endpointId, endpointId)).get()?.n ?? 0;

export const countMessages = (db: Queryable, endpointId: string) =>
  db.select({ n: count() }).from(messages).where(eq(messages.endpointId, endpointId)).get()?.n ?? 0;
