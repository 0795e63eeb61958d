import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';
import { DATABASE_FILE, openDatabase } from '../../src/main/engine/db/open';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { queueForwards } from '../../src/main/engine/inbox/forward/queue';
import { prepareForwardStatements } from '../../src/main/engine/inbox/forward/statements';
import { createDeliveryWriter, type IncomingDelivery } from '../../src/main/engine/receiver/delivery-writer';
import type { DeliveryStore } from '../../src/main/engine/receiver/delivery-store';
import { createPgDeliveryStore } from '../../src/main/engine/receiver/pg-delivery-store';
import { createSqliteDeliveryStore } from '../../src/main/engine/receiver/sqlite-delivery-store';
import { tempDataDir } from '../helpers/data-dir';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { runWriters } from '../helpers/store-writers';
import { waitUntil } from '../helpers/wait-until';

type Row = Record<string, unknown>;

/** One database in one of the two forms: where it is, a store on it, and reads from a connection of the test's own. */
interface Opened {
  database: string;
  store: DeliveryStore;
  /** Rows of a query with `?` parameters, read on another connection than the store's. */
  rows(sql: string, ...params: unknown[]): Promise<Row[]>;
  /** Runs statements that return nothing, on that other connection. */
  exec(sql: string): Promise<void>;
}

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

let databases = 0;

const forms: { name: string; open: (options?: { forwarding?: boolean }) => Promise<Opened> }[] = [
  {
    name: 'SQLite',
    async open(options = {}) {
      const database = join(tempDataDir(), 'data');
      const db = openDatabase(database);
      const other = new Database(join(database, DATABASE_FILE));
      onTestFinished(() => {
        other.close();
        db.$client.close();
      });
      const forwards = prepareForwardStatements(db.$client);
      const store = createSqliteDeliveryStore(db, options.forwarding ? { forwards: { queue: (row) => queueForwards(forwards, row) } } : {});
      return { database, store, rows: async (sql, ...params) => other.prepare(sql).all(...params) as Row[], exec: async (sql) => void other.exec(sql) };
    },
  },
  {
    name: 'PostgreSQL',
    async open(options = {}) {
      const database = cluster.createDatabase(`receiver_store_${++databases}`);
      const db = await openPostgres(database, { poolSize: 4 });
      const other = new pg.Pool({ connectionString: database, max: 1 });
      onTestFinished(async () => {
        await other.end();
        await db.$client.end();
      });
      const store = createPgDeliveryStore(db.$client, { forwarding: options.forwarding === true });
      return { database, store, rows: async (sql, ...params) => (await other.query(toNumbered(sql), params)).rows as Row[], exec: async (sql) => void (await other.query(sql)) };
    },
  },
];

const toNumbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

function delivery(providerDeliveryId: string | null, extra: Partial<IncomingDelivery> = {}): IncomingDelivery {
  const headers: [string, string][] = [['Content-Type', 'application/json'], ['X-GitHub-Delivery', providerDeliveryId ?? '']];
  const body = Buffer.from(JSON.stringify({ ref: 'refs/tags/v1.0.0' }));
  const request = { hookId: 'hook_a', packageId: 'pkg_a', receivedAt: Date.now(), source: 'direct', remoteAddress: '127.0.0.1', headers, body } as const;
  const verdict = { verdict: 'valid', verdictDetail: null, statusCode: 202, outcome: 'pending', outcomeReason: null } as const;
  return { ...request, contentType: 'application/json', providerDeliveryId, event: 'create', tag: 'v1.0.0', ...verdict, ...extra };
}

describe.each(forms)('the receiver group commit on $name', (form) => {
  it('stores a burst of concurrent deliveries once each, byte for byte, headers in their order', async () => {
    const { store, rows } = await form.open();
    const writer = createDeliveryWriter(store, () => undefined);
    const sent = Array.from({ length: 300 }, (_, i) =>
      // Some without a delivery id, some refused: rows that take no id, among those that do.
      delivery(i % 5 === 0 ? null : `burst-${i}`, {
        // Not UTF-8, NUL bytes, sizes around a batch's worth.
        body: randomBytes(100 + i * 7),
        headers: [['X-Second', 'b'], ['x-first', 'a'], ['X-Repeat', '1'], ['x-repeat', '2'], ['X-GitHub-Delivery', `burst-${i}`]],
        ...(i % 7 === 0 ? { verdict: 'invalid', outcome: 'rejected', statusCode: 401 } : {}),
      }),
    );
    const stored = await Promise.all(sent.map((d) => writer.write(d)));
    await writer.close();
    expect(new Set(stored.map((s) => s.summary.id)).size).toBe(300);
    const byId = new Map((await rows('SELECT id, provider_delivery_id, body, headers, duplicate_of FROM deliveries')).map((r) => [Number(r.id), r]));
    expect(byId.size).toBe(300);
    stored.forEach((s, i) => {
      const row = byId.get(s.summary.id)!;
      expect(row.provider_delivery_id).toBe(sent[i]!.providerDeliveryId);
      expect(Buffer.compare(row.body as Buffer, sent[i]!.body)).toBe(0);
      expect(JSON.parse(row.headers as string)).toEqual(sent[i]!.headers);
      expect(row.duplicate_of).toBeNull();
    });
  });

  it('records a provider id seen before as a repeat of its first copy, in the same batch or a later one', async () => {
    const { store, rows } = await form.open();
    const events: PushEvent[] = [];
    const writer = createDeliveryWriter(store, (event) => events.push(event));
    const first = await writer.write(delivery('d-1'));
    const repeats = await Promise.all([
      writer.write(delivery('d-1')),
      writer.write(delivery('d-1')),
      writer.write(delivery('d-1', { packageId: null, hookId: 'inbox_b' })),
      writer.write(delivery('d-3')),
      writer.write(delivery('d-3')),
    ]);
    await writer.close();
    expect(first.duplicateOf).toBeNull();
    expect(repeats.map((r) => r.duplicateOf)).toEqual([first.summary.id, first.summary.id, null, null, repeats[3]!.summary.id]);
    // Numbered in arrival order, each repeat taking the next number as any other delivery.
    expect([first, ...repeats].map((r) => r.summary.id)).toEqual([1, 2, 3, 4, 5, 6]);
    const repeat = (await rows('SELECT outcome, status_code, outcome_reason FROM deliveries WHERE id = ?', repeats[0]!.summary.id))[0]!;
    expect({ ...repeat, status_code: Number(repeat.status_code) }).toEqual({
      outcome: 'duplicate',
      status_code: 200,
      outcome_reason: `Already received as delivery #${first.summary.id} (provider delivery id d-1); nothing ingested again.`,
    });
    // Another receiving address has ids of its own.
    expect((await rows('SELECT outcome FROM deliveries WHERE hook_id = ?', 'inbox_b'))[0]!.outcome).toBe('pending');
    const feed = await rows("SELECT delivery_id, message FROM activity WHERE kind = 'duplicate' ORDER BY id");
    expect(feed.map((r) => Number(r.delivery_id))).toEqual([repeats[0]!.summary.id, repeats[1]!.summary.id, repeats[4]!.summary.id]);
    expect(events.filter((e) => e.type === 'activity')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'delivery')).toHaveLength(6);
  });

  it('lets a forged (rejected) copy take nothing: the real delivery after it is the original', async () => {
    const { store, rows } = await form.open();
    const writer = createDeliveryWriter(store, () => undefined);
    const forged = await writer.write(delivery('d-2', { verdict: 'invalid', outcome: 'rejected', statusCode: 401, outcomeReason: 'Signature does not match.' }));
    const real = await writer.write(delivery('d-2'));
    const again = await writer.write(delivery('d-2'));
    await writer.close();
    expect(forged.duplicateOf).toBeNull();
    expect(real.duplicateOf).toBeNull();
    expect(real.summary.outcome).toBe('pending');
    expect(again.duplicateOf).toBe(real.summary.id);
    expect((await rows('SELECT outcome FROM deliveries ORDER BY id')).map((r) => r.outcome)).toEqual(['rejected', 'pending', 'duplicate']);
  });

  it('fails only the delivery the database refuses: the others sharing its commit are stored and acknowledged', async () => {
    const { store, rows } = await form.open();
    const writer = createDeliveryWriter(store, () => undefined);
    const refused = delivery('bad', { hookId: null as unknown as string });
    const results = await Promise.allSettled([writer.write(delivery('good-1')), writer.write(refused), writer.write(delivery('good-2'))]);
    await writer.close();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await rows('SELECT provider_delivery_id FROM deliveries ORDER BY id')).map((r) => r.provider_delivery_id)).toEqual(['good-1', 'good-2']);
  });

  it('answers a delivery only once another connection can read it', async () => {
    const { store, rows } = await form.open();
    const writer = createDeliveryWriter(store, () => undefined);
    const seen = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const stored = await writer.write(delivery(`seen-${i}`));
        return (await rows('SELECT count(*) AS n FROM deliveries WHERE id = ?', stored.summary.id))[0]!.n;
      }),
    );
    await writer.close();
    expect(seen.map(Number)).toEqual(Array(100).fill(1));
  });

  it("marks a hook verified by its first proving delivery, queues relays and inbox forwards, all in the deliveries' commit", async () => {
    const { store, rows, exec } = await form.open({ forwarding: true });
    await exec(`
      INSERT INTO packages (id, name, provider, repo_full_name, repo_id, created_at) VALUES ('pkg_a', 'widgets', 'github', 'acme/widgets', '1', 0);
      INSERT INTO hooks (id, package_id, secret_sealed, status, created_at) VALUES ('hook_a', 'pkg_a', 'sealed', 'unregistered', 0);
      INSERT INTO endpoints (id, name, url, dialect, events, secret_sealed, active, relay_package_id, relay_mode, created_at, updated_at)
        VALUES ('ep_a', 'relay', 'http://127.0.0.1:9/', 'github', '[]', 'sealed', TRUE, 'pkg_a', 'original', 0, 0);
      INSERT INTO inboxes (id, name, dialect, created_at) VALUES ('inbox_b', 'captures', 'standard-webhooks', 0);
      INSERT INTO inbox_forward_targets (inbox_id, url, events, pass_back, retry_seconds, created_at) VALUES ('inbox_b', 'http://127.0.0.1:9/', '[]', FALSE, '[]', 0);
    `);
    const events: PushEvent[] = [];
    const writer = createDeliveryWriter(store, (event) => events.push(event));
    const [first, second, capture] = await Promise.all([
      writer.write(delivery('p-1')),
      writer.write(delivery('p-2')),
      writer.write(delivery('c-1', { hookId: 'inbox_b', packageId: null, outcome: 'captured' })),
    ]);
    await writer.close();
    const hook = (await rows("SELECT status, status_reason, verified_at FROM hooks WHERE id = 'hook_a'"))[0]!;
    expect(hook.status).toBe('active');
    expect(hook.status_reason).toBe(`Verified by the "create" delivery #${first!.summary.id}: its signature matches the hook's secret.`);
    expect(Number(hook.verified_at)).toBe(first!.summary.receivedAt);
    expect(await rows('SELECT kind, delivery_id, package_name, message FROM activity ORDER BY id')).toEqual([
      { kind: 'hook_verified', delivery_id: expect.anything(), package_name: 'widgets', message: `Delivery #${first!.summary.id} arrived with a valid signature: the hook is set up.` },
    ]);
    const relayed = await rows("SELECT message_id, endpoint_id, body, extra_headers, source, state FROM messages ORDER BY id");
    expect(relayed.map((m) => [m.message_id, m.endpoint_id, m.source, m.state])).toEqual([
      ['p-1', 'ep_a', 'relay', 'pending'],
      ['p-2', 'ep_a', 'relay', 'pending'],
    ]);
    expect(Buffer.compare(relayed[0]!.body as Buffer, delivery('p-1').body)).toBe(0);
    expect(JSON.parse(relayed[1]!.extra_headers as string)).toEqual(delivery('p-2').headers);
    const forwards = await rows('SELECT delivery_id, target_url, state FROM inbox_forwards');
    expect(forwards.map((f) => [Number(f.delivery_id), f.target_url, f.state])).toEqual([[capture!.summary.id, 'http://127.0.0.1:9/', 'pending']]);
    expect(second!.duplicateOf).toBeNull();
    expect(events.filter((e) => e.type === 'packages')).toHaveLength(1);
  });

  it('keeps exactly one original per provider id when two writer processes race on the same ids', async () => {
    const { database, rows } = await form.open();
    // One goes through the ids from the first, the other from the last: they meet with batches holding ids in opposite orders.
    const { results } = await runWriters(database, 2, (i) => ['--count', '400', '--prefix', 'race', '--in-flight', '32', ...(i === 1 ? ['--reverse'] : [])]);
    expect(results.map((r) => [r.acknowledged, r.failed, r.errors])).toEqual([
      [400, 0, []],
      [400, 0, []],
    ]);
    expect(results[0]!.duplicates + results[1]!.duplicates).toBe(400);
    const originals = await rows('SELECT provider_delivery_id AS id, count(*) AS n FROM deliveries WHERE duplicate_of IS NULL GROUP BY provider_delivery_id');
    expect(originals).toHaveLength(400);
    expect(originals.every((r) => Number(r.n) === 1)).toBe(true);
    const pointing = await rows('SELECT count(*) AS n FROM deliveries r JOIN deliveries o ON o.id = r.duplicate_of WHERE o.provider_delivery_id = r.provider_delivery_id AND o.duplicate_of IS NULL');
    expect(Number(pointing[0]!.n)).toBe(400);
  });
});

describe('the receiver group commit on a PostgreSQL server that stops', () => {
  it('rejects what it could not commit, and every delivery it acknowledged is stored', async () => {
    const own = await startPostgres();
    onTestFinished(() => own.stop());
    const url = own.createDatabase('stops');
    const db = await openPostgres(url, { poolSize: 4 });
    const writer = createDeliveryWriter(createPgDeliveryStore(db.$client), () => undefined);
    const acknowledged: string[] = [];
    let rejected = 0;
    let next = 0;
    const lane = async () => {
      while (rejected === 0) {
        const id = `stop-${next++}`;
        try {
          await writer.write(delivery(id));
          acknowledged.push(id);
        } catch {
          rejected++;
        }
      }
    };
    const lanes = Promise.all(Array.from({ length: 32 }, lane));
    await waitUntil(async () => acknowledged.length, (n) => n >= 100);
    own.halt();
    await lanes;
    await writer.close();
    await db.$client.end();
    expect(rejected).toBeGreaterThan(0);
    own.resume();
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    onTestFinished(() => reader.end());
    const { rows } = await reader.query<{ id: string }>('SELECT provider_delivery_id AS id FROM deliveries WHERE provider_delivery_id = ANY($1)', [acknowledged]);
    expect(rows.map((r) => r.id).sort()).toEqual([...acknowledged].sort());
  });
});
