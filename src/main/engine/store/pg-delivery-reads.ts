import { getTableColumns } from 'drizzle-orm';
import type pg from 'pg';
import type { DeliveryDetail, DeliverySummary } from '../../../shared/types';
import { deliveries } from '../db/schema';
import { tableSql } from '../db/pg/table-sql';
import type { DeliveryFilter } from './delivery-filter-terms';
import { NO_ROW_ABOVE } from './keyset';
import { noSuchDelivery } from './deliveries';
import { pgDeliveryConditions } from './pg-delivery-filter';
import { toDeliveryDetail, toDeliverySummary } from './rows';

type DeliveryRow = typeof deliveries.$inferSelect;

const d = tableSql(deliveries);
// A list row is everything but the request itself (as on SQLite): bodies are read one at a time, by get.
const summaryList = d.selectList(Object.keys(getTableColumns(deliveries)).filter((key) => key !== 'body' && key !== 'headers'));
const whereOf = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

/**
 * The Deliveries list on PostgreSQL: what listDeliveries gives on SQLite (newest first, below
 * an id or from an offset down the filtered list), by the same filter terms.
 */
export async function pgListDeliveries(pool: pg.Pool, filter: DeliveryFilter & { beforeId?: number | undefined; offset?: number | undefined; limit: number }): Promise<DeliverySummary[]> {
  const params: unknown[] = [];
  const where = pgDeliveryConditions(filter, params);
  const below = `${d.column('id')} < $${params.push(filter.beforeId ?? NO_ROW_ABOVE)}`;
  if (filter.offset) {
    // The row `offset` down is found by its id alone (an index walk), then the page is read from there.
    const at = `SELECT ${d.column('id')} FROM ${d.name} ${whereOf([...where, below])} ORDER BY ${d.column('id')} DESC LIMIT 1 OFFSET $${params.push(filter.offset)}`;
    where.push(`${d.column('id')} <= (${at})`);
  } else where.push(below);
  const text = `SELECT ${summaryList} FROM ${d.name} ${whereOf(where)} ORDER BY ${d.column('id')} DESC LIMIT $${params.push(filter.limit)}`;
  const { rows } = await pool.query<DeliveryRow>(text, params);
  return rows.map(toDeliverySummary);
}

/**
 * Exact, as on SQLite. The PostgreSQL schema keeps no running totals (SQLite's list_totals
 * triggers): one row every insert updates would queue the receivers of every instance behind
 * each other, so the whole list is counted too.
 */
export async function pgCountDeliveries(pool: pg.Pool, filter: DeliveryFilter): Promise<number> {
  const params: unknown[] = [];
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${d.name} ${whereOf(pgDeliveryConditions(filter, params))}`, params);
  return rows[0]?.n ?? 0;
}

export async function pgGetDelivery(pool: pg.Pool, id: number): Promise<DeliveryDetail> {
  const { rows } = await pool.query<DeliveryRow>({ name: 'hb_delivery_get', text: `SELECT ${d.selectList()} FROM ${d.name} WHERE ${d.column('id')} = $1`, values: [id] });
  if (!rows[0]) throw noSuchDelivery(id);
  return toDeliveryDetail(rows[0]);
}

/** Marks a delivery keep (at `at`) or not; false when there is no such delivery. */
export async function pgKeepDelivery(pool: pg.Pool, id: number, at: number | null): Promise<boolean> {
  const { rowCount } = await pool.query({ name: 'hb_delivery_keep', text: `UPDATE ${d.name} SET ${d.column('keptAt')} = $2 WHERE ${d.column('id')} = $1`, values: [id, at] });
  return (rowCount ?? 0) > 0;
}
