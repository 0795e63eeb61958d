import type { PoolClient } from 'pg';
import { tableSql } from '../db/pg/table-sql';
import { deliveries, fixtures, releases } from '../db/schema';
import type { DeliveryDeleteStatements } from './delivery-delete-statements';
import type { DeliveryFilter } from './delivery-filter-terms';
import { pgDeliveryConditions } from './pg-delivery-filter';

const d = tableSql(deliveries);
const r = tableSql(releases);
const f = tableSql(fixtures);

/** The same statements answered over the network. */
export type PgDeliveryDeleteStatements = { [K in keyof DeliveryDeleteStatements]: (...args: Parameters<DeliveryDeleteStatements[K]>) => Promise<ReturnType<DeliveryDeleteStatements[K]>> };

/**
 * sqliteDeliveryDeleteStatements' PostgreSQL form, inside one batch's transaction. `lock`: the
 * matching rows are locked until it ends, so an ingest on another instance cannot link a release
 * to one between the check for links and the delete (it waits, or its claim skips the row).
 */
export function pgDeliveryDeleteStatements(client: PoolClient, filter: DeliveryFilter & { ids?: number[] | undefined }, lock: boolean): PgDeliveryDeleteStatements {
  return {
    async nextMatching(afterId, limit) {
      const params: unknown[] = [];
      const where = pgDeliveryConditions(filter, params);
      if (filter.ids) where.push(`${d.column('id')} = ANY($${params.push(filter.ids)}::int8[])`);
      where.push(`${d.column('id')} > $${params.push(afterId)}`);
      const text = `SELECT ${d.column('id')} AS id FROM ${d.name} WHERE ${where.join(' AND ')} ORDER BY ${d.column('id')} LIMIT $${params.push(limit)}${lock ? ' FOR UPDATE' : ''}`;
      return (await client.query<{ id: number }>(text, params)).rows.map((row) => row.id);
    },
    async linked(ids) {
      const [byRelease, byFixture] = await Promise.all([
        client.query<{ id: number }>({
          name: 'hb_delete_linked_releases',
          text: `SELECT ${r.column('deliveryId')} AS id FROM ${r.name} WHERE ${r.column('deliveryId')} = ANY($1::int8[])`,
          values: [ids],
        }),
        client.query<{ origin: string }>({
          name: 'hb_delete_linked_fixtures',
          text: `SELECT ${f.column('origin')} AS origin FROM ${f.name} WHERE ${f.column('origin')} = ANY($1::text[])`,
          values: [ids.map((id) => `delivery:${id}`)],
        }),
      ]);
      return {
        byRelease: new Set(byRelease.rows.map((row) => row.id)),
        byFixture: new Set(byFixture.rows.map((row) => Number(row.origin.slice('delivery:'.length)))),
      };
    },
    async remove(ids) {
      if (ids.length === 0) return 0;
      await client.query({ name: 'hb_delete_unlink_releases', text: `UPDATE ${r.name} SET ${r.column('deliveryId')} = NULL WHERE ${r.column('deliveryId')} = ANY($1::int8[])`, values: [ids] });
      const { rowCount } = await client.query({ name: 'hb_delete_deliveries', text: `DELETE FROM ${d.name} WHERE ${d.column('id')} = ANY($1::int8[])`, values: [ids] });
      return rowCount ?? 0;
    },
  };
}
