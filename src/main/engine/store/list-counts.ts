import { count, eq } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { activity, attempts, inboxes, listTotals, messages, packages, releases } from '../db/schema';

/**
 * The totals the paged lists show. Each counts the entries of one index range (the same
 * index the list reads its pages from), or reads a count kept by triggers; never a whole table.
 */
export const countActivity = (db: Queryable, packageId?: string) =>
  packageId
    ? (db.select({ n: count() }).from(activity).where(eq(activity.packageId, packageId)).get()?.n ?? 0)
    : // The whole feed: the count its triggers keep.
      (db.select({ n: listTotals.rows }).from(listTotals).where(eq(listTotals.list, 'activity')).get()?.n ?? 0);

/** Every stored delivery: the count its triggers keep. */
export const countAllDeliveries = (db: Queryable) =>
  db.select({ n: listTotals.rows }).from(listTotals).where(eq(listTotals.list, 'deliveries')).get()?.n ?? 0;

export const countReleases = (db: Queryable, packageId: string) =>
  db.select({ n: count() }).from(releases).where(eq(releases.packageId, packageId)).get()?.n ?? 0;

export const countAttempts = (db: Queryable, endpointId: string) =>
  db.select({ n: count() }).from(attempts).where(eq(attempts.endpointId, endpointId)).get()?.n ?? 0;

export const countMessages = (db: Queryable, endpointId: string) =>
  db.select({ n: count() }).from(messages).where(eq(messages.endpointId, endpointId)).get()?.n ?? 0;

/**
 * Whose list it is, checked by primary key on every page: a package's or an inbox's summary
 * counts its rows, which a stream of many pages must not pay for each time.
 */
export const hasPackage = (db: Queryable, id: string) => db.select({ id: packages.id }).from(packages).where(eq(packages.id, id)).get() !== undefined;
export const hasInbox = (db: Queryable, id: string) => db.select({ id: inboxes.id }).from(inboxes).where(eq(inboxes.id, id)).get() !== undefined;
