import type pg from 'pg';
import type { AppliedMigration } from '../db/migrate';
import { POSTGRES_PLACE, postgresMigrations } from '../db/pg/migrate';
import { tableSql } from '../db/pg/table-sql';
import { deliveries, messages } from '../db/schema';
import type { OpsStore } from './statements';

const d = tableSql(deliveries);
const m = tableSql(messages);

const SQL = {
  applied: { name: 'hb_ops_applied_migrations', text: 'SELECT idx, tag, hash FROM schema_migrations ORDER BY idx' },
  deliveries: { name: 'hb_ops_deliveries', text: `SELECT ${d.column('outcome')} AS outcome, count(*) AS n FROM ${d.name} GROUP BY 1` },
  messages: { name: 'hb_ops_messages', text: `SELECT ${m.column('state')} AS state, count(*) AS n FROM ${m.name} GROUP BY 1` },
  oldestPending: { name: 'hb_ops_oldest_pending', text: `SELECT min(${d.column('receivedAt')}) AS at FROM ${d.name} WHERE ${d.column('outcome')} = 'pending'` },
};

/** The operations endpoints' reads on a team server's database (counts come back as numbers, whatever the pool's parsers). */
export function pgOpsStore(pool: pg.Pool): OpsStore {
  return {
    migrations: { all: postgresMigrations, place: POSTGRES_PLACE },
    ping: async () => void (await pool.query('SELECT 1')),
    appliedMigrations: async () => (await pool.query<AppliedMigration>(SQL.applied)).rows.map((row) => ({ ...row, idx: Number(row.idx) })),
    deliveriesByOutcome: async () => (await pool.query<{ outcome: string; n: string | number }>(SQL.deliveries)).rows.map(({ outcome, n }) => ({ outcome, n: Number(n) })),
    messagesByState: async () => (await pool.query<{ state: string; n: string | number }>(SQL.messages)).rows.map(({ state, n }) => ({ state, n: Number(n) })),
    oldestPendingDeliveryAt: async () => {
      const at = (await pool.query<{ at: string | number | null }>(SQL.oldestPending)).rows[0]?.at ?? null;
      return at === null ? null : Number(at);
    },
  };
}
