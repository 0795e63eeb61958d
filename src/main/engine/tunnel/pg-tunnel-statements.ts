/**
 * The tunnel's storage on a team server's PostgreSQL database (TunnelStore): the same settings
 * rows, gap reads and feed entries as in a data dir. Writes go one after another, so feed
 * entries and saved statuses land in the order the tunnel made them.
 */
import type { Pool } from 'pg';
import { inTransaction, pgNames } from '../db/pg/transaction';
import { deliveries, hooks, packages, settings } from '../db/schema';
import { pgRecordActivity } from '../store/pg-activity-statements';
import { roleKey } from '../team/pg-role-lock';
import { PUBLIC_URL_KEY } from './saved-status';
import type { HookAtRiskRow } from './statements';
import type { TunnelStore } from './tunnel-store';

const s = pgNames(settings);
const p = pgNames(packages);
const h = pgNames(hooks);
const d = pgNames(deliveries);

export const pgTunnelSql = {
  settings: {
    name: 'hb_tunnel_settings',
    text: `SELECT ${s.column('key')} AS key, ${s.column('value')} AS value FROM ${s.name} WHERE ${s.column('key')} LIKE 'tunnel.%' OR ${s.column('key')} LIKE 'receiver.%'`,
  },
  put: {
    name: 'hb_tunnel_setting_put',
    text: `INSERT INTO ${s.name} (${s.column('key')}, ${s.column('value')}) VALUES ($1, $2) ON CONFLICT (${s.column('key')}) DO UPDATE SET ${s.column('value')} = excluded.${s.column('value')}`,
  },
  drop: { name: 'hb_tunnel_setting_drop', text: `DELETE FROM ${s.name} WHERE ${s.column('key')} = ANY($1::text[])` },
  hooksOfPackages: {
    name: 'hb_tunnel_hooks_at_risk',
    text:
      `SELECT p.${p.column('id')} AS "packageId", p.${p.column('name')} AS "packageName", p.${p.column('provider')} AS provider, p.${p.column('repoFullName')} AS repo, ` +
      `h.${h.column('id')} AS "hookId", (p.${p.column('connectionId')} IS NOT NULL AND h.${h.column('providerHookId')} IS NOT NULL)::int AS managed ` +
      `FROM ${p.name} p JOIN ${h.name} h ON h.${h.column('packageId')} = p.${p.column('id')} ` +
      `WHERE $1::boolean OR EXISTS (SELECT 1 FROM ${d.name} dd WHERE dd.${d.column('packageId')} = p.${p.column('id')} AND dd.${d.column('source')} = 'tunnel') ` +
      `ORDER BY p.${p.column('createdAt')}`,
  },
  lastTunnelDelivery: { name: 'hb_tunnel_last_delivery', text: `SELECT max(${d.column('receivedAt')}) AS at FROM ${d.name} WHERE ${d.column('source')} = 'tunnel'` },
  /** Whether any session on this database holds the role's advisory lock (a bigint key: high and low halves in classid and objid). */
  roleHeld: {
    name: 'hb_tunnel_role_held',
    text:
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 ` +
      `AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) ` +
      `AND classid::bigint = (($1::bigint >> 32) & 4294967295) AND objid::bigint = ($1::bigint & 4294967295)) AS held`,
  },
};

export interface PgTunnelStoreOptions {
  /**
   * The address a team server's hook URLs are built on: it counts as the configured public URL,
   * which the tunnel never replaces (the tunnel takes what is sent to its own hook URLs).
   */
  receiverUrl: () => string;
}

export function pgTunnelStore(pool: Pool, options: PgTunnelStoreOptions): TunnelStore {
  let writes: Promise<unknown> = Promise.resolve();
  /** Runs after every write asked for before it, whether those worked or not. */
  const inOrder = <T>(write: () => Promise<T>): Promise<T> => {
    const done = writes.then(write, write);
    writes = done.catch(() => undefined);
    return done;
  };
  return {
    async settings() {
      const { rows } = await pool.query<{ key: string; value: string }>(pgTunnelSql.settings);
      const values = new Map(rows.map((row) => [row.key, row.value]));
      return (key) => values.get(key) ?? (key === PUBLIC_URL_KEY ? options.receiverUrl() : undefined);
    },
    change: (changes) =>
      inOrder(() =>
        inTransaction(pool, async (client) => {
          const dropped = Object.keys(changes).filter((key) => changes[key] === null);
          if (dropped.length > 0) await client.query({ ...pgTunnelSql.drop, values: [dropped] });
          for (const [key, value] of Object.entries(changes)) if (value !== null) await client.query({ ...pgTunnelSql.put, values: [key, value] });
        }),
      ),
    hooksOfPackages: async (allHooks) => (await pool.query<HookAtRiskRow>({ ...pgTunnelSql.hooksOfPackages, values: [allHooks] })).rows,
    lastTunnelDeliveryAt: async () => (await pool.query<{ at: number | null }>(pgTunnelSql.lastTunnelDelivery)).rows[0]?.at ?? null,
    recordActivity: (entry) => inOrder(() => pgRecordActivity(pool, entry)),
    async holderGone() {
      const { rows } = await pool.query<{ held: boolean }>({ ...pgTunnelSql.roleHeld, values: [roleKey('tunnel')] });
      return rows[0]?.held ? null : 'The team server instance that held the tunnel has stopped, and no other instance has taken it over yet (one does within seconds while any runs).';
    },
  };
}
