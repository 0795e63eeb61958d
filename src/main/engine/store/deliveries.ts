import { and, count, desc, eq, getTableColumns, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { DeliveryDetail, DeliveryOutcome, DeliverySource, DeliverySummary, Verdict } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import type { Queryable } from '../db/open';
import { deliveries } from '../db/schema';
import { toDeliveryDetail, toDeliverySummary } from './rows';
import { NO_ROW_ABOVE } from './keyset';
import { idAtOffset } from './delivery-offset';
import { countAllDeliveries } from './list-counts';

export interface DeliveryFilter {
  packageId?: string | undefined;
  /** The receiving address: a package's hook id or an inbox id. */
  hookId?: string | undefined;
  outcome?: DeliveryOutcome | undefined;
  event?: string | undefined;
  verdict?: Verdict | undefined;
  source?: DeliverySource | undefined;
  since?: number | undefined;
  until?: number | undefined;
  q?: string | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

export function deliveryConditions(filter: DeliveryFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.packageId) where.push(eq(deliveries.packageId, filter.packageId));
  if (filter.hookId) where.push(eq(deliveries.hookId, filter.hookId));
  if (filter.outcome) where.push(eq(deliveries.outcome, filter.outcome));
  // Part of the name is enough ("release" finds release and release.published), as in the window's filter box.
  if (filter.event) where.push(sql`${deliveries.event} LIKE ${`%${escapeLike(filter.event)}%`} ESCAPE '\\'`);
  if (filter.verdict) where.push(eq(deliveries.verdict, filter.verdict));
  if (filter.source) where.push(eq(deliveries.source, filter.source));
  if (filter.since !== undefined) where.push(gte(deliveries.receivedAt, filter.since));
  if (filter.until !== undefined) where.push(lt(deliveries.receivedAt, filter.until));
  if (filter.q) {
    // Bodies are bytes; searching their UTF-8 text is what a person means by "search".
    const pattern = `%${escapeLike(filter.q)}%`;
    where.push(
      sql`(${deliveries.event} LIKE ${pattern} ESCAPE '\\' OR ${deliveries.tag} LIKE ${pattern} ESCAPE '\\' OR ${deliveries.outcomeReason} LIKE ${pattern} ESCAPE '\\'
        OR ${deliveries.providerDeliveryId} LIKE ${pattern} ESCAPE '\\' OR ${deliveries.headers} LIKE ${pattern} ESCAPE '\\'
        OR CAST(${deliveries.body} AS TEXT) LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  return where;
}

const { body: _body, headers: _headers, ...summaryColumns } = getTableColumns(deliveries);

/** Newest first, keyset-paginated by id so deep pages cost the same as the first. */
export function listDeliveries(db: Queryable, filter: DeliveryFilter & { beforeId?: number | undefined; offset?: number | undefined; limit: number }): DeliverySummary[] {
  const where = deliveryConditions(filter);
  const below = lt(deliveries.id, filter.beforeId ?? NO_ROW_ABOVE);
  if (filter.offset) {
    // Found by walking ids only, then read from there like any page. The page's one bound on
    // the id is that row: with two, SQLite starts from the looser one (the top of the list)
    // and reads every row down to the offset, bodies and all.
    const from = idAtOffset(db, [...where, below], filter.offset);
    if (from === null) return [];
    where.push(lte(deliveries.id, from));
  } else where.push(below);
  return db
    .select(summaryColumns)
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.id))
    .limit(filter.limit)
    .all()
    .map(toDeliverySummary);
}

export function getDelivery(db: Queryable, id: number): DeliveryDetail {
  const row = db.select().from(deliveries).where(eq(deliveries.id, id)).get();
  if (!row) throw new ApiError('not_found', `No delivery with id ${id}.`);
  return toDeliveryDetail(row);
}

/**
 * Exact in every case. The whole list is the total its triggers keep (counting a million rows
 * took longer than a page and held the next request back); a time range alone counts the
 * entries of its range in the received-time index; other filters count what they select.
 */
export function countDeliveries(db: Queryable, filter: DeliveryFilter): number {
  const where = deliveryConditions(filter);
  if (where.length === 0) return countAllDeliveries(db);
  return db.select({ n: count() }).from(deliveries).where(and(...where)).get()?.n ?? 0;
}
