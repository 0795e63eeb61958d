import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pgDeliveryHandlers } from '../../src/main/engine/control/pg/delivery-handlers';
import { pgEndpointHandlers } from '../../src/main/engine/control/pg/endpoint-handlers';
import { pgPackageHandlers } from '../../src/main/engine/control/pg/package-handlers';
import { pgRetentionHandlers } from '../../src/main/engine/control/pg/retention-handlers';
import { pgTunnelHandlers } from '../../src/main/engine/control/pg/tunnel-handlers';
import { createTeamEngine, type TeamEngine } from '../../src/main/engine/team/team-engine';
import type { PruneReport } from '../../src/shared/retention-types';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { sharedKeyBox } from '../helpers/engine-sites';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const DAY = 86_400_000;
const NOW = Date.now();

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgPackageHandlers, pgDeliveryHandlers, pgEndpointHandlers, pgRetentionHandlers, pgTunnelHandlers]);

/** Rows written straight into the store, with the times and sizes a test needs. */
function seed(api: HandlerStore) {
  const one = async (sql: string, params: unknown[]) => (await api.query<{ id: number }>(sql, params))[0]!.id;
  return {
    delivery: (hookId: string, packageId: string | null, ageMs: number, bytes = 1024, outcome = 'ignored') =>
      one(
        `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
         VALUES ($1, $2, $3, 'direct', '[]', $4, $5, 'valid', 202, $6) RETURNING id`,
        [hookId, packageId, NOW - ageMs, Buffer.alloc(bytes, 1), bytes, outcome],
      ),
    message: (endpointId: string, ageMs: number, state: string) =>
      one(
        `INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, attempt_count, created_at, updated_at)
         VALUES ($1, $2, 'ping', $3, 'application/json', 'trigger', $4, 0, $5, $5) RETURNING id`,
        [`msg_${Math.random()}`, endpointId, Buffer.alloc(2048, 2), state, NOW - ageMs],
      ),
    attempt: (messageRowId: number, endpointId: string, ageMs: number) =>
      one(
        `INSERT INTO attempts (message_row_id, endpoint_id, attempt_no, trigger, started_at, url, request_headers, succeeded)
         VALUES ($1, $2, 1, 'scheduled', $3, 'http://127.0.0.1:9/', '[]', $4) RETURNING id`,
        [messageRowId, endpointId, NOW - ageMs, false],
      ),
    fixture: (origin: string) => one(`INSERT INTO fixtures (name, origin, headers, body, created_at) VALUES ('kept', $1, '[]', $2, $3) RETURNING id`, [origin, Buffer.from('{}'), NOW]),
    inbox: async (name: string) => {
      const id = `inb_${Math.random().toString(36).slice(2, 10)}`;
      await api.query(`INSERT INTO inboxes (id, name, dialect, created_at) VALUES ($1, $2, 'none', $3)`, [id, name, NOW]);
      return id;
    },
    release: (packageId: string, deliveryId: number) =>
      api.query(`INSERT INTO releases (package_id, tag, version, prerelease, status, delivery_id, created_at, updated_at) VALUES ($1, 'v1.0.0', '1.0.0', $2, 'published', $3, 0, 0)`, [
        packageId,
        false,
        deliveryId,
      ]),
  };
}

async function addPkg(api: HandlerStore, repo: string, repoId: string) {
  const created = await api.invoke('packages.add', { provider: 'github', repo, repoId });
  return { id: created.id, hookId: created.hookUrl.split('/').at(-1)! };
}

const ids = async (api: HandlerStore, where: string, ...params: unknown[]) => (await api.query<{ id: number }>(`SELECT id FROM deliveries WHERE ${where} ORDER BY id`, params)).map((r) => r.id);
const column = async (api: HandlerStore, sql: string) => (await api.query<{ id: number }>(sql)).map((r) => r.id);
const byName = (r: PruneReport) => Object.fromEntries(r.scopes.map(({ id: _id, ...rest }) => [rest.name, rest]));

describe.each(HANDLER_STORES)('retention on the %s store', (kind) => {
  it('prunes by age, count and size per package, inbox and endpoint, never what the user pinned, and reports it alike', async () => {
    const api = await open(kind);
    const put = seed(api);
    const pkg = await addPkg(api, 'octo/old', '1');
    const big = await addPkg(api, 'octo/big', '2');
    const forever = await addPkg(api, 'octo/forever', '3');
    const inbox = await put.inbox('busy');
    const endpoint = await api.invoke('endpoints.add', { name: 'sink', url: 'http://127.0.0.1:9/', dialect: 'github', events: ['release.published'] });

    // Ten days of deliveries, one a day; three of the old ones pinned three ways, one still pending.
    const daily: number[] = [];
    for (let i = 0; i < 10; i++) daily.push(await put.delivery(pkg.hookId, pkg.id, i * DAY + 1000));
    const [keptByUser, savedAsFixture, linkedToRelease] = [daily[7]!, daily[8]!, daily[9]!];
    const pending = await put.delivery(pkg.hookId, pkg.id, 9 * DAY, 1024, 'pending');
    await api.invoke('deliveries.keep', { id: keptByUser, keep: true });
    await put.fixture(`delivery:${savedAsFixture}`);
    await put.release(pkg.id, linkedToRelease);
    // 300 KB bodies: a 1 MB limit keeps the newest three.
    const large: number[] = [];
    for (let i = 0; i < 10; i++) large.push(await put.delivery(big.hookId, big.id, (10 - i) * 60_000, 300 * 1024));
    const ancient: number[] = [];
    for (let i = 0; i < 3; i++) ancient.push(await put.delivery(forever.hookId, forever.id, 400 * DAY));
    const captures: number[] = [];
    for (let i = 0; i < 20; i++) captures.push(await put.delivery(inbox, null, (20 - i) * 1000));
    const finished: number[] = [];
    for (let i = 0; i < 7; i++) finished.push(await put.message(endpoint.id, 8 * DAY, 'succeeded'));
    // An attempt of one finished message was saved as a fixture: the message stays.
    const savedAttempt = await put.attempt(finished[6]!, endpoint.id, 8 * DAY);
    await put.fixture(`attempt:${savedAttempt}`);
    const recent = await put.message(endpoint.id, DAY, 'failed');
    const retrying = await put.message(endpoint.id, 8 * DAY, 'pending');
    const oldTry = await put.attempt(retrying, endpoint.id, 8 * DAY);
    const newTry = await put.attempt(retrying, endpoint.id, 1000);

    await api.invoke('retention.set', { days: 5 });
    await api.invoke('retention.set', { scope: 'inbox', id: inbox, maxDeliveries: 5 });
    await api.invoke('retention.set', { scope: 'package', id: big.id, maxBytes: 1024 ** 2 });
    await api.invoke('retention.set', { scope: 'package', id: forever.id, forever: true });
    const shown = await api.invoke('retention.show', {});
    expect(shown.global).toEqual({ days: 5, maxDeliveries: null, maxBytes: null });
    expect(shown.overrides.map((o) => [o.scope, o.name, o.set, o.effective])).toEqual([
      ['inbox', 'busy', { maxDeliveries: 5 }, { days: 5, maxDeliveries: 5, maxBytes: null }],
      ['package', 'octo/big', { maxBytes: 1024 ** 2 }, { days: 5, maxDeliveries: null, maxBytes: 1024 ** 2 }],
      ['package', 'octo/forever', { days: null, maxDeliveries: null, maxBytes: null }, { days: null, maxDeliveries: null, maxBytes: null }],
    ]);
    await expect(api.invoke('retention.set', { scope: 'package', id: 'pkg_missing', days: 1 })).rejects.toMatchObject({ code: 'not_found', message: 'No package with id pkg_missing.' });
    await expect(api.invoke('retention.set', {})).rejects.toMatchObject({ code: 'invalid_params' });

    const expected = {
      'octo/old': { scope: 'package', name: 'octo/old', rows: 2, bytes: 2048, attempts: 0, pinned: 3 },
      'octo/big': { scope: 'package', name: 'octo/big', rows: 7, bytes: 7 * 300 * 1024, attempts: 0, pinned: 0 },
      busy: { scope: 'inbox', name: 'busy', rows: 15, bytes: 15 * 1024, attempts: 0, pinned: 0 },
      sink: { scope: 'endpoint', name: 'sink', rows: 6, bytes: 6 * 2048, attempts: 1, pinned: 1 },
    };
    const dry = await api.invoke('retention.prune', { dryRun: true });
    expect(byName(dry)).toEqual(expected);
    expect(dry.total).toEqual({ rows: 30, bytes: 2048 + 7 * 300 * 1024 + 15 * 1024 + 6 * 2048, attempts: 1, pinned: 4 });
    expect(await ids(api, 'package_id = $1', pkg.id)).toHaveLength(11);

    const done = await api.invoke('retention.prune', {});
    expect(done.dryRun).toBe(false);
    expect(byName(done)).toEqual(expected);
    expect(done.total).toEqual(dry.total);
    expect(done.vacuum).toBe(api.kind === 'postgres' ? 'server' : 'incremental');
    expect(await ids(api, 'package_id = $1', pkg.id)).toEqual([...daily.slice(0, 5), keptByUser, savedAsFixture, linkedToRelease, pending].sort((a, b) => a - b));
    expect(await ids(api, 'package_id = $1', big.id)).toEqual(large.slice(7));
    expect(await ids(api, 'package_id = $1', forever.id)).toEqual(ancient);
    expect(await ids(api, 'hook_id = $1', inbox)).toEqual(captures.slice(15));
    expect(await column(api, 'SELECT id FROM messages ORDER BY id')).toEqual([finished[6], recent, retrying]);
    expect(await column(api, 'SELECT id FROM attempts ORDER BY id')).toEqual([savedAttempt, newTry]);
    expect(oldTry).toBeLessThan(newTry);
    const [feed] = await api.query<{ kind: string; message: string }>('SELECT kind, message FROM activity ORDER BY id DESC LIMIT 1');
    expect(feed).toEqual({ kind: 'pruned', message: expect.stringContaining('Retention removed 30 deliveries and messages') });
    expect(api.events.filter((e) => e.type === 'activity' && e.entry.kind === 'pruned')).toHaveLength(1);

    // Unmarked, the delivery kept by the user goes at the next prune.
    await api.invoke('deliveries.keep', { id: keptByUser, keep: false });
    const again = await api.invoke('retention.prune', {});
    expect(again.total).toEqual({ rows: 1, bytes: 1024, attempts: 0, pinned: 3 });
    expect(await ids(api, 'id = $1', keptByUser)).toEqual([]);

    // inherit drops an override: the inbox follows the global policy again.
    await api.invoke('retention.set', { scope: 'inbox', id: inbox, inherit: true });
    expect((await api.invoke('retention.show', {})).overrides.map((o) => o.name)).toEqual(['octo/big', 'octo/forever']);
  });

  it('tells the storage status: counts by kind, bodies, oldest rows and what the policy removes next', async () => {
    const api = await open(kind);
    const put = seed(api);
    const pkg = await addPkg(api, 'octo/status', '9');
    const endpoint = await api.invoke('endpoints.add', { name: 'sink', url: 'http://127.0.0.1:9/', dialect: 'github', events: ['release.published'] });
    const empty = await api.invoke('storage.status', {});
    expect(empty.counts).toMatchObject({ deliveriesTotal: 0, messagesTotal: 0, releases: 0, attempts: 0, fixtures: 0 });
    expect(empty.oldest.delivery).toBeNull();
    expect(empty.nextPrune?.total).toEqual({ rows: 0, bytes: 0, attempts: 0, pinned: 0 });

    for (let i = 0; i < 4; i++) await put.delivery(pkg.hookId, pkg.id, (10 - i) * DAY, 500);
    await put.delivery(pkg.hookId, pkg.id, DAY, 700, 'rejected');
    const message = await put.message(endpoint.id, DAY, 'succeeded');
    await put.attempt(message, endpoint.id, DAY);
    await put.fixture('builtin:github/push');
    await api.invoke('retention.set', { scope: 'package', id: pkg.id, days: 8 });

    const status = await api.invoke('storage.status', {});
    expect(status.counts).toEqual({
      deliveries: { ignored: 4, rejected: 1 },
      deliveriesTotal: 5,
      releases: 0,
      messages: { succeeded: 1 },
      messagesTotal: 1,
      attempts: 1,
      fixtures: 1,
      activity: status.counts.activity,
    });
    expect(status.bodyBytes).toEqual({ deliveries: 4 * 500 + 700, messages: 2048, attempts: 0, fixtures: 2 });
    expect(status.oldest.delivery).toBe(NOW - 10 * DAY);
    expect(status.retention?.overrides.map((o) => [o.name, o.effective.days])).toEqual([['octo/status', 8]]);
    expect(byName(status.nextPrune!)).toEqual({ 'octo/status': { scope: 'package', name: 'octo/status', rows: 3, bytes: 1500, attempts: 0, pinned: 0 } });
    expect(status.disk ?? null).toBeNull();
    expect(status.files.databaseBytes).toBeGreaterThan(0);
    if (kind === 'postgres') {
      // A server's database: its size as PostgreSQL counts it, and no WAL file, volume or backup of its own.
      const [size] = await api.query<{ bytes: number }>('SELECT pg_database_size(current_database()) AS bytes');
      expect(status.files.databaseBytes).toBeCloseTo(size!.bytes, -6);
      expect(status.files.database).toMatch(/^postgres:\/\/127\.0\.0\.1:\d+\/h_/);
      expect(status.files.database).not.toContain('@');
      expect(status).toMatchObject({ dataDir: status.files.database, volume: null, lastBackup: null });
      expect(status.files.walBytes).toBe(0);
      // Backed up by PostgreSQL's tools, told as such: the command names the database (without its password) and the key it needs.
      expect(status.teamDatabase?.location).toBe(status.files.database);
      expect(status.teamDatabase?.backup).toContain(`pg_dump --format=custom --file hookbench.dump '${status.files.database}'`);
      expect(status.teamDatabase?.backup).toContain('HOOKBENCH_SECRET_KEY');
      await expect(api.invoke('storage.backup', { out: '/tmp/never-written.sqlite' })).rejects.toMatchObject({ code: 'unavailable', message: status.teamDatabase?.backup });
    } else {
      expect(status.teamDatabase).toBeUndefined();
    }
  });

  it('answers the Tunnel page: no tunnel channel', async () => {
    const api = await open(kind);
    const tunnel = await api.invoke('tunnel.status', {});
    expect(tunnel).toMatchObject({ state: 'disconnected', channelUrl: null, hookUrlBase: null, hookUrlsViaTunnel: false, connectedAt: null, gaps: [], events: 0 });
  });
});

describe('a team server of two instances', () => {
  const SHARED_KEY = Buffer.alloc(32, 7);
  const box = () => sharedKeyBox(SHARED_KEY);

  async function instance(url: string): Promise<{ engine: TeamEngine; close: () => Promise<void> }> {
    const engine = await createTeamEngine({ url, box: box(), pruning: { everyMs: 50, firstRunMs: 10 } });
    let closed: Promise<void> | null = null;
    const close = () => (closed ??= engine.close());
    onTestFinished(close);
    await engine.startWorkers();
    return { engine, close };
  }

  it('prunes in one instance at a time, and in the other once the first stops', async () => {
    const url = cluster.createDatabase('team_pruner');
    const a = await instance(url);
    const b = await instance(url);
    const holders = () => [a, b].filter((i) => i.engine.pruner.holding());
    await waitUntil(
      async () => holders().length,
      (n) => n === 1,
    );
    const [holder] = holders();
    const other = holder === a ? b : a;

    const created = (await holder!.engine.invoke('packages.add', { provider: 'github', repo: 'octo/team', repoId: '5' })) as { id: string; hookUrl: string };
    const hookId = created.hookUrl.split('/').at(-1)!;
    await holder!.engine.invoke('retention.set', { scope: 'package', id: created.id, maxDeliveries: 2 });
    const pool = new (await import('pg')).default.Pool({ connectionString: url });
    onTestFinished(() => pool.end());
    const insert = (n: number) =>
      pool.query(
        `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, verdict, status_code, outcome)
         SELECT $1, $2, $3::int8 + g, 'direct', '[]', '\\x00'::bytea, 1, 'valid', 202, 'ignored' FROM generate_series(1, $4) g`,
        [hookId, created.id, NOW, n],
      );
    const left = async () => Number((await pool.query('SELECT count(*) AS n FROM deliveries')).rows[0].n);

    await insert(10);
    await waitUntil(left, (n) => n === 2);
    await waitUntil(
      async () => holder!.engine.pruner.runs(),
      (n) => n >= 3,
    );
    // The other instance asked for the role all along and never pruned.
    expect(other.engine.pruner.holding()).toBe(false);
    expect(other.engine.pruner.runs()).toBe(0);
    expect(holders()).toEqual([holder]);

    // The holder stops: the other takes the role over and applies the policy from then on.
    await holder!.close();
    await waitUntil(
      async () => other.engine.pruner.holding(),
      (held) => held,
    );
    await insert(10);
    await waitUntil(left, (n) => n === 2);
    expect(other.engine.pruner.runs()).toBeGreaterThan(0);
  });
});
