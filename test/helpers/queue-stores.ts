import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/main/engine/db/open';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import type { PostgresCluster } from './postgres-cluster';
import { tempDataDir } from './data-dir';

/** One shared secret key, as a team's instances have (HOOKBENCH_SECRET_KEY). */
export const SHARED_KEY = randomBytes(32).toString('base64');
const box = keyRingBox('shared-key', () => [Buffer.from(SHARED_KEY, 'base64')], () => Buffer.from(SHARED_KEY, 'base64'), 'HOOKBENCH_SECRET_KEY');

/**
 * A store the outbound and ingest roles share, seeded and read with plain SQL written once
 * ($1-style parameters, each made a plain ? for SQLite): a SQLite data dir or a PostgreSQL database.
 */
export interface QueueStore {
  kind: 'sqlite' | 'postgres';
  /** What `hookbench dispatch` (or any command) needs to reach this store. */
  args: string[];
  env: Record<string, string>;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** true in this store's SQL. */
  TRUE: string;
  close(): Promise<void>;
}

export async function sqliteStore(): Promise<QueueStore> {
  const dataDir = tempDataDir();
  const db = openDatabase(dataDir);
  return {
    kind: 'sqlite',
    args: ['--data-dir', dataDir],
    env: { HOOKBENCH_SECRET_KEY: SHARED_KEY },
    async query<T>(text: string, params: unknown[] = []) {
      // Plain ? parameters, one per place a $n stands, in order.
      const order = [...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]) - 1);
      const statement = db.$client.prepare(text.replace(/\$\d+/g, '?'));
      const values = order.map((i) => (typeof params[i] === 'boolean' ? Number(params[i]) : params[i]));
      return (statement.reader ? statement.all(...values) : (statement.run(...values), [])) as T[];
    },
    TRUE: '1',
    close: async () => void db.$client.close(),
  };
}

export async function postgresStore(cluster: PostgresCluster, name: string): Promise<QueueStore> {
  const url = cluster.createDatabase(name);
  const db = await openPostgres(url);
  await db.$client.end();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  return {
    kind: 'postgres',
    args: ['--database', url],
    env: { HOOKBENCH_SECRET_KEY: SHARED_KEY },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    TRUE: 'true',
    close: () => pool.end(),
  };
}

/** An endpoint signing Standard Webhooks with the shared key's secret; returns its id. */
export async function addEndpoint(store: QueueStore, options: { url: string; maxInFlight: number; timeoutMs?: number }): Promise<string> {
  const id = `ep_${randomUUID().slice(0, 8)}`;
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  await store.query(
    `INSERT INTO endpoints (id, name, url, dialect, events, secret_sealed, active, max_in_flight, timeout_ms, created_at, updated_at) VALUES ($1, $2, $3, 'standard-webhooks', '["release.published"]', $4, ${store.TRUE}, $5, $6, $7, $7)`,
    [id, id, options.url, box.seal(secret), options.maxInFlight, options.timeoutMs ?? 5_000, Date.now()],
  );
  return id;
}

/** Queues `count` messages for an endpoint, due now; their message ids are msg_<n>. */
export async function queueMessages(store: QueueStore, endpointId: string, count: number): Promise<void> {
  const at = Date.now();
  for (let from = 0; from < count; from += 200) {
    const rows = Math.min(200, count - from);
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let i = 0; i < rows; i++) {
      const n = from + i;
      const p = values.length;
      values.push(`msg_${n}`, endpointId, Buffer.from(JSON.stringify({ type: 'release.published', data: { n } })), at);
      tuples.push(`($${p + 1}, $${p + 2}, 'release.published', $${p + 3}, 'application/json', 'trigger', 'pending', $${p + 4}, $${p + 4}, $${p + 4})`);
    }
    await store.query(`INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, next_attempt_at, created_at, updated_at) VALUES ${tuples.join(', ')}`, values);
  }
}

/** How many messages are in each state. */
export async function messageStates(store: QueueStore): Promise<Record<string, number>> {
  const rows = await store.query<{ state: string; n: number | string }>('SELECT state, count(*) AS n FROM messages GROUP BY state');
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
