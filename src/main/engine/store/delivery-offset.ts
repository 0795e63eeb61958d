import { and, desc, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { deliveries } from '../db/schema';

/**
 * The id of the delivery `offset` rows down a newest-first list. Only ids are read: with no
 * filter, from the index that holds nothing else (stepping through the table would read every
 * stored body on the way, a gigabyte at a million rows); with one, from the index the filter
 * picks (outcome, package) or the table.
 */
export function idAtOffset(db: Queryable, where: SQL[], offset: number): number | null {
  if (where.length === 0) {
    const row = db.get<{ id: number } | undefined>(sql`SELECT id FROM deliveries INDEXED BY deliveries_id_order ORDER BY id DESC LIMIT 1 OFFSET ${offset}`);
    return row?.id ?? null;
  }
  const row = db.select({ id: deliveries.id }).from(deliveries).where(and(...where)).orderBy(desc(deliveries.id)).limit(1).offset(offset).get();
  return row?.id ?? null;
}
