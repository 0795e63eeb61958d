import { and, count, desc, eq, getTableColumns, gte, lt, lte, sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DeliveryDetail, DeliverySummary } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import type { Queryable } from '../db/open';
import { deliveries } from '../db/schema';
import { toDeliveryDetail, toDeliverySummary } from './rows';
import { NO_ROW_ABOVE } from './keyset';
import { idAtOffset } from './delivery-offset';
import { countAllDeliveries } from './list-counts';
import { containsPattern, deliveryFilterTerms, type DeliveryFilter, type DeliveryFilterTerm } from './delivery-filter-terms';

export type { DeliveryFilter } from './delivery-filter-terms';

const like = (column: SQLWrapper, pattern: string) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;

function sqliteCondition(term: DeliveryFilterTerm): SQL {
  switch (term.kind) {
    case 'is':
      return eq(deliveries[term.column] as Column, term.value);
    case 'receivedFrom':
      return gte(deliveries.receivedAt, term.at);
    case 'receivedBefore':
      return lt(deliveries.receivedAt, term.at);
    case 'contains': {
      const pattern = containsPattern(term.text);
      const each = term.columns.map((column) => like(deliveries[column], pattern));
      if (term.body) each.push(like(sql`CAST(${deliveries.body} AS TEXT)`, pattern));
      return each.length === 1 ? each[0]! : sql`(${sql.join(each, sql` OR `)})`;
    }
  }
}

export function deliveryConditions(filter: DeliveryFilter): SQL[] {
  return deliveryFilterTerms(filter).map(sqliteCondition);
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

export const noSuchDelivery = (id: number) => new ApiError('not_found', `No delivery with id ${id}.`);

export function getDelivery(db: Queryable, id: number): DeliveryDetail {
  const row = db.select().from(deliveries).where(eq(deliveries.id, id)).get();
  if (!row) throw noSuchDelivery(id);
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
