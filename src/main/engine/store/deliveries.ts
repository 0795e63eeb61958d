import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { getTableColumns } from 'drizzle-orm';
import type { DeliveryDetail, DeliveryOutcome, DeliverySummary } from '../../../shared/types';
import { ApiError } from '../../../shared/contract';
import type { Queryable } from '../db/open';
import { deliveries } from '../db/schema';
import { toDeliveryDetail, toDeliverySummary } from './rows';

export interface DeliveryFilter {
  packageId?: string | undefined;
  outcome?: DeliveryOutcome | undefined;
  beforeId?: number | undefined;
  limit: number;
}

const { body: _body, headers: _headers, ...summaryColumns } = getTableColumns(deliveries);

/** Newest first, keyset-paginated by id so deep pages cost the same as the first. */
export function listDeliveries(db: Queryable, filter: DeliveryFilter): DeliverySummary[] {
  const where: SQL[] = [];
  if (filter.packageId) where.push(eq(deliveries.packageId, filter.packageId));
  if (filter.outcome) where.push(eq(deliveries.outcome, filter.outcome));
  if (filter.beforeId) where.push(lt(deliveries.id, filter.beforeId));
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
