import { and, desc, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { deliveries } from '../db/schema';

/**
 * The id of the delivery `offset` rows down a newest-first list. Only ids are read, so SQLite
 * steps through the rows (or the index the filter picks: outcome, package) without decoding
 * any body on the way: tens of milliseconds for a million rows.
 */
export function idAtOffset(db: Queryable, where: SQL[], offset: number): number | null {
  const row = db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.id))
    .limit(1)
    .offset(offset)
    .get();
  return row?.id ?? null;
}
