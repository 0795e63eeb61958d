/**
 * Several ingesters on one store, as a team server's instances run them: the same test against
 * a SQLite data dir (three connections) and a PostgreSQL database on a throwaway cluster (three
 * pools), each with pushes of the same tags waiting at once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/main/engine/db/open';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { createPgIngester } from '../../src/main/engine/ingest/pg-ingest';
import { createIngestWorker } from '../../src/main/engine/ingest/worker';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { addEndpoint, postgresStore, sqliteStore, type QueueStore } from '../helpers/queue-stores';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const TAGS = 60;
const PUSHES_PER_TAG = 3;

/** Three ingesters on the store, each on its own connection(s); resolves once all have drained it. */
const ingesters: Record<string, (store: QueueStore) => Promise<void>> = {
  async sqlite(store) {
    const dbs = [0, 1, 2].map(() => openDatabase(store.args[1]!));
    onTestFinished(() => dbs.forEach((db) => db.$client.close()));
    const workers = dbs.map((db) => createIngestWorker(db, () => undefined));
    await Promise.all(workers.map((w) => w.idle()));
    await Promise.all(workers.map((w) => w.stop()));
  },
  async postgres(store) {
    const dbs = await Promise.all([0, 1, 2].map(() => openPostgres(store.args[1]!)));
    onTestFinished(() => Promise.all(dbs.map((db) => db.$client.end())).then(() => undefined));
    await Promise.all(dbs.map((db) => createPgIngester(db.$client).drain()));
  },
};

let databases = 0;
const stores: Record<string, () => Promise<QueueStore>> = { sqlite: sqliteStore, postgres: () => postgresStore(cluster, `ingest_${++databases}`) };

/** Tag pushes for one GitHub package, every tag pushed three times (a provider redelivering, say), all pending. */
async function pendingPushes(store: QueueStore): Promise<void> {
  await store.query(`INSERT INTO packages (id, name, provider, repo_full_name, repo_id, created_at) VALUES ('pkg_1', 'widgets', 'github', 'octo/widgets', '42', $1)`, [Date.now()]);
  for (let copy = 0; copy < PUSHES_PER_TAG; copy++) {
    for (let i = 0; i < TAGS; i++) {
      const body = Buffer.from(JSON.stringify({ ref: `refs/tags/v1.${i}.0`, after: 'b'.repeat(40), repository: { id: 42 }, head_commit: { id: 'b'.repeat(40) } }));
      await store.query(
        `INSERT INTO deliveries (hook_id, package_id, provider_delivery_id, received_at, source, event, content_type, headers, body, body_size, verdict, status_code, outcome) VALUES ('hook_1', 'pkg_1', $1, $2, 'direct', 'push', 'application/json', '[]', $3, $4, 'valid', 202, 'pending')`,
        [randomUUID(), Date.now(), body, body.length],
      );
    }
  }
}

describe.each(['sqlite', 'postgres'])('three ingesters on one %s store', (kind) => {
  it('make each release once, however many pushes of its tag they ingest at once', { timeout: 120_000 }, async () => {
    const store = await stores[kind]!();
    onTestFinished(() => store.close());
    await addEndpoint(store, { url: 'http://127.0.0.1:9/', maxInFlight: 1 });
    await pendingPushes(store);

    await ingesters[kind]!(store);

    const count = async (text: string) => Number((await store.query<{ n: number | string }>(text))[0]?.n);
    expect(await count('SELECT count(*) AS n FROM releases')).toBe(TAGS);
    expect(await count("SELECT count(DISTINCT tag) AS n FROM releases WHERE status = 'published'")).toBe(TAGS);
    const outcomes = await store.query<{ outcome: string; n: number | string }>('SELECT outcome, count(*) AS n FROM deliveries GROUP BY outcome ORDER BY outcome');
    expect(outcomes.map((o) => [o.outcome, Number(o.n)])).toEqual([
      ['ingested', TAGS],
      ['skipped', TAGS * (PUSHES_PER_TAG - 1)],
    ]);
    // Each release is announced once: one message per release for the subscribed endpoint.
    expect(await count('SELECT count(*) AS n FROM messages')).toBe(TAGS);
    expect(await count("SELECT count(*) AS n FROM activity WHERE kind = 'ingested'")).toBe(TAGS);
  });
});
