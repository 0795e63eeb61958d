import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ApiError, parseParams } from '../../src/shared/contract';
import { LOCAL_CALLER } from '../../src/shared/access-types';
import { EngineBus } from '../../src/main/engine/bus';
import { createTeamHandlers } from '../../src/main/engine/control/pg/team-handlers';
import { openPostgres } from '../../src/main/engine/db/pg/open';
import { pgTunnelStore } from '../../src/main/engine/tunnel/pg-tunnel-statements';
import { idleLive, TUNNEL_KEYS, type TunnelLive } from '../../src/main/engine/tunnel/saved-status';
import { createStatusPublisher } from '../../src/main/engine/tunnel/status-publisher';
import type { ActivityEntry, DeliverySummary, InboxCreated, PackageCreated, TunnelCreated, TunnelGap, TunnelStatus } from '../../src/shared/types';
import { pgInboxHandlers } from '../../src/main/engine/control/pg/inbox-handlers';
import { pgPackageHandlers } from '../../src/main/engine/control/pg/package-handlers';
import { pgRetentionHandlers } from '../../src/main/engine/control/pg/retention-handlers';
import { pgTunnelHandlers } from '../../src/main/engine/control/pg/tunnel-handlers';
import { createTeamEngine, type TeamEngine } from '../../src/main/engine/team/team-engine';
import { startFakeSmee, type FakeSmee } from '../helpers/fake-smee';
import { HANDLER_STORES, openHandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { sharedKeyBox } from '../helpers/engine-sites';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { call as callServe } from '../helpers/serve-api';
import { startServeWith, type ServeHandle } from '../helpers/serve-process';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

/** A holder's death frees its lock at once; the others ask every second. */
const TAKEOVER_MS = 10_000;

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgPackageHandlers, pgRetentionHandlers, pgTunnelHandlers]);
const channelOf = (url: string) => new URL(url).pathname.slice(1);
/** The hook id at the end of a package's hook URL. */
const hookIdOf = (pkg: PackageCreated) => pkg.hookUrl.split('/hooks/')[1]!;

async function errorOf(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return { code: (error as ApiError).code, message: (error as Error).message };
  }
  throw new Error('expected an error');
}

describe.each(HANDLER_STORES)('%s store: tunnel methods', (kind) => {
  it('creates a channel, turns it off and on and removes it, recording each in the database with the same answers and feed entries', async () => {
    const api = await open(kind);
    const smee = await startFakeSmee();
    const fresh = await api.invoke('tunnel.status', {});
    expect(fresh).toMatchObject({ state: 'disconnected', channelUrl: null, server: null, enabled: true, gaps: [], source: 'saved' });

    const created = await api.invoke('tunnel.create', { server: smee.url });
    expect(created.channelUrl).toMatch(new RegExp(`^${smee.url}/[A-Za-z0-9_-]+$`));
    expect(created).toMatchObject({ server: smee.url, hookUrlBase: `${created.channelUrl}?path=`, hooks: [] });
    expect(created.notes.join('\n')).toMatch(/Form-encoded hooks do not pass through smee/);
    // A team server's address counts as configured, as a public URL set on a data dir does: the tunnel takes what is sent to its own hook URLs.
    expect(created.hookUrlsViaTunnel).toBe(kind === 'sqlite');
    // No instance runs the tunnel here: the status is the one saved, for the channel now configured.
    expect(created.status).toMatchObject({ state: 'disconnected', channelUrl: created.channelUrl, enabled: true, source: 'saved' });

    expect(await api.invoke('tunnel.disconnect', {})).toMatchObject({ channelUrl: created.channelUrl, enabled: false });
    expect((await api.invoke('tunnel.status', {})).enabled).toBe(false);
    expect(await api.invoke('tunnel.connect', {})).toMatchObject({ channelUrl: created.channelUrl, enabled: true });

    const removed = await api.invoke('tunnel.remove', {});
    expect(removed).toMatchObject({ channelUrl: created.channelUrl, hookUrlBase: api.receiverUrl, hooks: [] });
    expect(removed.notes.at(-1)).toBe(`The channel ${created.channelUrl} is no longer read; anything still sent to it is lost.`);
    expect(await api.invoke('tunnel.status', {})).toMatchObject({ state: 'disconnected', channelUrl: null, enabled: true });
    expect((await api.invoke('tunnel.remove', {})).notes).toEqual(['There was no tunnel to remove.']);

    const feed = (await api.query<{ kind: string; message: string }>('SELECT kind, message FROM activity ORDER BY id')).filter((a) => a.kind.startsWith('tunnel_'));
    expect(feed).toEqual([
      { kind: 'tunnel_created', message: `Tunnel channel ${created.channelUrl} created on ${smee.url}.` },
      { kind: 'tunnel_removed', message: `Tunnel channel ${created.channelUrl} removed; hook URLs point at ${api.receiverUrl} again.` },
    ]);
    expect(api.events.filter((e) => e.type === 'activity').map((e) => (e as { entry: ActivityEntry }).entry.kind)).toEqual(['tunnel_created', 'tunnel_removed']);
  });

  it('refuses to connect without a channel, a server that is not a URL, and an unreachable smee server, with the same errors', async () => {
    const api = await open(kind);
    expect(await errorOf(api.invoke('tunnel.connect', {}))).toEqual({ code: 'conflict', message: 'No tunnel channel yet: create one first (hookbench tunnel create).' });
    expect(await errorOf(api.invoke('tunnel.create', { server: 'ftp://smee.example' }))).toEqual({
      code: 'invalid_params',
      message: 'The smee server "ftp://smee.example" must be an http or https URL.',
    });
    const refused = await errorOf(api.invoke('tunnel.create', { server: 'http://127.0.0.1:9' }));
    expect(refused.code).toBe('internal');
    expect(refused.message).toMatch(/^Could not reach the smee server at http:\/\/127\.0\.0\.1:9/);
    expect((await api.invoke('tunnel.status', {})).channelUrl).toBeNull();
  });

  it('reads a status saved as connected by a holder that is gone as disconnected since its last save, saying why', async () => {
    const api = await open(kind);
    const smee = await startFakeSmee();
    const created = await api.invoke('tunnel.create', { server: smee.url });
    const savedAt = 1_700_000_000_000;
    // Saved by a process no longer running (a pid none has), which held no lock on the database either.
    const saved = { ...created.status, state: 'connected', connectedAt: savedAt - 5_000, lastConnectedAt: savedAt - 5_000, source: 'live', pid: 2 ** 22 + 17, updatedAt: savedAt };
    await api.query("INSERT INTO settings (key, value) VALUES ('tunnel.status', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [JSON.stringify(saved)]);
    const status = await api.invoke('tunnel.status', {});
    expect(status).toMatchObject({ state: 'disconnected', connectedAt: null, lastConnectedAt: savedAt - 5_000, disconnectedAt: savedAt, lastErrorAt: savedAt, source: 'saved' });
    expect(status.lastError).toBe(
      kind === 'sqlite'
        ? `The Hookbench process that held the tunnel (pid ${2 ** 22 + 17}) is no longer running; start "hookbench serve" to connect.`
        : 'The team server instance that held the tunnel has stopped, and no other instance has taken it over yet (one does within seconds while any runs).',
    );
  });

  it('shows the gaps the holder saved, and catch-up names the hooks to redeliver by hand', async () => {
    const api = await open(kind);
    const smee = await startFakeSmee();
    const added = await api.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' });
    const pkg = await api.invoke('packages.get', { id: added.id });
    await api.invoke('tunnel.create', { server: smee.url });
    const gap: TunnelGap = {
      from: 1_700_000_000_000,
      to: 1_700_000_005_000,
      cause: 'dropped',
      hooks: [{ packageId: pkg.id, packageName: pkg.name, provider: 'github', repo: 'octo/widgets', hookId: pkg.hook.id, managed: false, advice: 'redeliver on GitHub' }],
      caughtUpAt: null,
    };
    await api.query("INSERT INTO settings (key, value) VALUES ('tunnel.gaps', $1)", [JSON.stringify([gap])]);
    expect((await api.invoke('tunnel.status', {})).gaps).toEqual([gap]);
    const caught = await api.invoke('tunnel.catchUp', {});
    expect(caught).toEqual({ caughtUp: [], failed: [], byHand: gap.hooks, gaps: [gap] });
  });
});

describe('team server: the tunnel status as the holder pushes and saves it', () => {
  it('pushes a state the connection passed through while the database was asked (reconnecting, then connected at once), and saves the latest last', async () => {
    const db = await openPostgres(cluster.createDatabase(`tunnel_${randomUUID().replaceAll('-', '').slice(0, 8)}`));
    onTestFinished(() => db.$client.end());
    const store = pgTunnelStore(db.$client, { receiverUrl: () => 'http://127.0.0.1:7718' });
    const live: TunnelLive = { ...idleLive(), state: 'connected' };
    const pushed: string[] = [];
    const out = createStatusPublisher({ store, live, pid: process.pid, publish: (e) => e.type === 'tunnel' && pushed.push(e.status.state), now: Date.now });
    // The stream drops and is back before the first push has read the settings.
    live.state = 'reconnecting';
    const dropped = out.publish('always');
    live.state = 'connected';
    const back = out.publish('always');
    await Promise.all([dropped, back]);
    expect(pushed).toEqual(['reconnecting', 'connected']);
    const saved = (await store.settings())(TUNNEL_KEYS.status);
    expect((JSON.parse(saved!) as TunnelStatus).state).toBe('connected');
  });
});

const SHARED_KEY = randomBytes(32);
const box = () => sharedKeyBox(SHARED_KEY);

describe('team server: the tunnel in one instance at a time', () => {
  async function instance(url: string, publicUrl?: string) {
    const engine = await createTeamEngine({ url, box: box(), ...(publicUrl ? { publicUrl } : {}), tunnel: { backoffInitialMs: 20, backoffMaxMs: 200, watchMs: 100, stallMs: 5_000 } });
    let closed: Promise<void> | null = null;
    const close = () => (closed ??= engine.close());
    onTestFinished(close);
    return { engine, close };
  }
  const call = <T>(engine: TeamEngine, method: string, params: unknown = {}) => engine.invoke(method, params) as Promise<T>;

  /** One instance on `url` holding the tunnel role, and a smee server for its channel. */
  async function tunnelHolder(url: string) {
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const { engine } = await instance(url);
    await engine.startReceiver({ port: 0 });
    await engine.startWorkers();
    await waitUntil(async () => engine.tunnel.running(), Boolean, TAKEOVER_MS);
    return { smee, engine };
  }

  /** Posts signed tag pushes to the package's hook through the channel, each with its own delivery id. */
  async function send(smee: FakeSmee, channelUrl: string, pkg: PackageCreated, tags: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const tag of tags) {
      const body = JSON.stringify(githubTagPush(4242, tag));
      const id = randomUUID();
      ids.push(id);
      expect((await smee.post(`${channelUrl}?path=/hooks/${hookIdOf(pkg)}`, body, await githubHeaders('push', body, pkg.secret, id))).status).toBe(200);
    }
    return ids;
  }

  it('relays through exactly one of two instances; when it stops the other takes over from the saved relay mark, names the gap, and no event is stored twice', async () => {
    const url = cluster.createDatabase(`tunnel_${randomUUID().replaceAll('-', '').slice(0, 8)}`);
    const sql = new pg.Client({ connectionString: url });
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const a = await instance(url);
    await sql.connect();
    onTestFinished(() => sql.end());
    const b = await instance(url);
    const pkg = await call<PackageCreated>(a.engine, 'packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' });
    for (const { engine } of [a, b]) {
      await engine.startReceiver({ port: 0 });
      await engine.startWorkers();
      await engine.peersListening();
    }
    // Whichever instance took the role runs the tunnel; a channel created through the other is connected by it.
    await waitUntil(async () => a.engine.tunnel.running() || b.engine.tunnel.running(), Boolean, TAKEOVER_MS);
    const [holder, other] = a.engine.tunnel.running() ? [a, b] : [b, a];
    expect(other.engine.tunnel.running()).toBe(false);
    const created = await call<TunnelCreated>(other.engine, 'tunnel.create', { server: smee.url });
    const channel = channelOf(created.channelUrl);
    await smee.waitForStreams(1, channel);
    await waitUntil(
      () => call<TunnelStatus>(other.engine, 'tunnel.status'),
      (s) => s.state === 'connected',
    );

    const delivered = async () => (await sql.query<{ id: string; n: number }>("SELECT provider_delivery_id AS id, count(*)::int AS n FROM deliveries WHERE source = 'tunnel' GROUP BY 1")).rows;
    const first = await send(smee, created.channelUrl, pkg, ['v1.0.0', 'v1.0.1', 'v1.0.2']);
    await waitUntil(delivered, (rows) => rows.length === first.length);
    // One stream read the channel all along: the other instance never opened one.
    expect(smee.streams(channel)).toBe(1);
    const markBefore = (await call<TunnelStatus>(other.engine, 'tunnel.status')).lastRelayedAt;

    await holder.close();
    await waitUntil(async () => other.engine.tunnel.running(), Boolean, TAKEOVER_MS);
    await smee.waitForStreams(1, channel, TAKEOVER_MS);
    const status = await waitUntil(
      () => call<TunnelStatus>(other.engine, 'tunnel.status'),
      (s) => s.state === 'connected' && s.gaps.length > 0,
    );
    // The window between the first holder stopping and the second reading is named, from where the first left off.
    expect(status.gaps[0]).toMatchObject({ cause: 'not running' });
    expect(status.gaps[0]!.from).toBeGreaterThanOrEqual(markBefore ?? 0);
    expect(status.gaps[0]!.hooks.map((h) => h.hookId)).toEqual([hookIdOf(pkg)]);

    const second = await send(smee, created.channelUrl, pkg, ['v1.1.0', 'v1.1.1']);
    await waitUntil(delivered, (rows) => rows.length === first.length + second.length);
    const rows = await delivered();
    expect(rows.map((r) => r.id).sort()).toEqual([...first, ...second].sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
    // Each tag ingested once.
    await waitUntil(
      async () => (await sql.query<{ tag: string }>('SELECT tag FROM releases ORDER BY tag')).rows.map((r) => r.tag),
      (t) => t.join() === 'v1.0.0,v1.0.1,v1.0.2,v1.1.0,v1.1.1',
    );
  });

  it('stores events through the channel for a hook and an inbox another instance added a moment ago, before word of them arrives', async () => {
    const url = cluster.createDatabase(`tunnel_${randomUUID().replaceAll('-', '').slice(0, 8)}`);
    const { smee, engine } = await tunnelHolder(url);
    const created = await call<TunnelCreated>(engine, 'tunnel.create', { server: smee.url });
    await smee.waitForStreams(1, channelOf(created.channelUrl));
    await waitUntil(
      () => call<TunnelStatus>(engine, 'tunnel.status'),
      (st) => st.state === 'connected',
    );

    // The other instance's announcements (on its bus) never reach this one: only the database knows the hook and the inbox.
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    onTestFinished(() => pool.end());
    const elsewhere = createTeamHandlers({ pool, box: box(), bus: new EngineBus(), version: 'test', receiverUrl: () => null, kickDispatcher: () => undefined, now: Date.now }, [
      pgPackageHandlers,
      pgInboxHandlers,
    ]);
    const pkg = (await elsewhere['packages.add'](parseParams('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' }), LOCAL_CALLER)) as PackageCreated;
    const inbox = (await elsewhere['inboxes.add'](parseParams('inboxes.add', { name: 'catch-all', dialect: 'none' }), LOCAL_CALLER)) as InboxCreated;
    const [id] = await send(smee, created.channelUrl, pkg, ['v5.0.0']);
    expect((await smee.post(`${created.channelUrl}?path=/in/${inbox.id}`, '{"seen":true}', { 'content-type': 'application/json' })).status).toBe(200);
    await waitUntil(
      () => call<TunnelStatus>(engine, 'tunnel.status'),
      (st) => st.events === 2,
    );
    await engine.tunnel.drained();
    expect(await call<TunnelStatus>(engine, 'tunnel.status')).toMatchObject({ events: 2, dropped: 0 });
    const stored = await call<DeliverySummary[]>(engine, 'deliveries.list', { source: 'tunnel' });
    expect(stored).toEqual([expect.objectContaining({ hookId: inbox.id, outcome: 'captured' }), expect.objectContaining({ providerDeliveryId: id, verdict: 'valid', packageId: pkg.id })]);
  });

  it('verifies an event through the channel signed with a secret another instance set a moment ago, before word of it arrives', async () => {
    const url = cluster.createDatabase(`tunnel_${randomUUID().replaceAll('-', '').slice(0, 8)}`);
    const { smee, engine } = await tunnelHolder(url);
    const pkg = await call<PackageCreated>(engine, 'packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' });
    const created = await call<TunnelCreated>(engine, 'tunnel.create', { server: smee.url });
    await smee.waitForStreams(1, channelOf(created.channelUrl));

    // Another instance replaces the hook's secret; only the database knows it yet.
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    onTestFinished(() => sql.end());
    const secret = randomBytes(20).toString('hex');
    await sql.query('UPDATE hooks SET secret_sealed = $1 WHERE id = $2', [box().seal(secret), hookIdOf(pkg)]);
    const [id] = await send(smee, created.channelUrl, { ...pkg, secret }, ['v6.0.0']);
    await waitUntil(
      () => call<TunnelStatus>(engine, 'tunnel.status'),
      (st) => st.events === 1,
    );
    await engine.tunnel.drained();
    const stored = await call<DeliverySummary[]>(engine, 'deliveries.list', { source: 'tunnel' });
    expect(stored).toEqual([expect.objectContaining({ providerDeliveryId: id, verdict: 'valid' })]);
  });

  it('sends providers through the tunnel when the servers are started with its hook URL base as their public URL', async () => {
    const url = cluster.createDatabase(`tunnel_${randomUUID().replaceAll('-', '').slice(0, 8)}`);
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const first = await instance(url);
    const created = await call<TunnelCreated>(first.engine, 'tunnel.create', { server: smee.url });
    // The server's own address counts as configured: hook URLs stay on it until the instances are started on the tunnel's.
    expect(created.hookUrlsViaTunnel).toBe(false);
    expect(created.notes[0]).toBe(`Hook URLs keep pointing at the configured public URL http://127.0.0.1:7718; the tunnel takes events sent to ${created.hookUrlBase}/hooks/<hook id>.`);
    await first.close();

    const { engine } = await instance(url, created.hookUrlBase);
    const pkg = await call<PackageCreated>(engine, 'packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' });
    expect(pkg.hookUrl).toBe(`${created.channelUrl}?path=/hooks/${hookIdOf(pkg)}`);
    await engine.startReceiver({ port: 0 });
    await engine.startWorkers();
    await waitUntil(
      () => call<TunnelStatus>(engine, 'tunnel.status'),
      (st) => st.state === 'connected' && st.hookUrlsViaTunnel,
      TAKEOVER_MS,
    );

    const body = JSON.stringify(githubTagPush(4242, 'v4.0.0'));
    expect((await smee.post(pkg.hookUrl, body, await githubHeaders('push', body, pkg.secret, randomUUID()))).status).toBe(200);
    const [release] = await waitUntil(
      () => call<{ tag: string; status: string }[]>(engine, 'releases.list', { packageId: pkg.id }),
      (r) => r.length === 1,
    );
    expect(release).toMatchObject({ tag: 'v4.0.0', status: 'published' });
  });

  it('stops relaying in a holder whose role session is cut, and one instance relays on', async () => {
    const url = cluster.createDatabase(`tunnel_${randomUUID().replaceAll('-', '').slice(0, 8)}`);
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    onTestFinished(() => sql.end());
    const smee = await startFakeSmee({ pingIntervalMs: 50 });
    const a = await instance(url);
    const b = await instance(url);
    const pkg = await call<PackageCreated>(a.engine, 'packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' });
    for (const { engine } of [a, b]) {
      await engine.startReceiver({ port: 0 });
      await engine.startWorkers();
    }
    await waitUntil(async () => a.engine.tunnel.running() || b.engine.tunnel.running(), Boolean, TAKEOVER_MS);
    const created = await call<TunnelCreated>(a.engine, 'tunnel.create', { server: smee.url });
    const channel = channelOf(created.channelUrl);
    await smee.waitForStreams(1, channel);
    const before = await waitUntil(
      () => call<TunnelStatus>(b.engine, 'tunnel.status'),
      (st) => st.state === 'connected',
    );

    // Every role session is cut: whoever held the tunnel stops it at once; one instance takes it again.
    await sql.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'hookbench role %'");
    await waitUntil(
      () => call<TunnelStatus>(b.engine, 'tunnel.status'),
      (st) => st.state === 'connected' && st.connectedAt! > before.connectedAt!,
      TAKEOVER_MS,
    );
    await waitUntil(
      async () => [[a, b].filter((i) => i.engine.tunnel.running()).length, smee.streams(channel)],
      ([running, streams]) => running === 1 && streams === 1,
      TAKEOVER_MS,
    );

    const ids = await send(smee, created.channelUrl, pkg, ['v2.0.0', 'v2.0.1']);
    await waitUntil(
      async () => (await sql.query("SELECT provider_delivery_id AS id FROM deliveries WHERE source = 'tunnel'")).rows.map((r: { id: string }) => r.id).sort(),
      (found) => JSON.stringify(found) === JSON.stringify([...ids].sort()),
    );
  });

  it('takes over from a SIGKILLed serve --database holder: the other process relays the next events, the gap is named, and nothing is stored twice', { timeout: 120_000 }, async () => {
    const url = cluster.createDatabase(`tunnel_${randomUUID().replaceAll('-', '').slice(0, 8)}`);
    const env = { HOOKBENCH_SECRET_KEY: SHARED_KEY.toString('base64') };
    const serves = await Promise.all([startServeWith(['--database', url], env), startServeWith(['--database', url], env)]);
    onTestFinished(() => Promise.all(serves.map((s) => s.stop())).then(() => undefined));
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    onTestFinished(() => sql.end());
    const smee = await startFakeSmee({ pingIntervalMs: 1_000 });
    const [first] = serves as [ServeHandle, ServeHandle];
    const pkg = await callServe<PackageCreated>(first, 'packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' });
    const created = await callServe<TunnelCreated>(first, 'tunnel.create', { server: smee.url });
    const connected = await waitUntil(
      () => callServe<TunnelStatus>(first, 'tunnel.status'),
      (st) => st.state === 'connected',
      TAKEOVER_MS,
    );
    const holder = serves.find((s) => s.child.pid === connected.pid)!;
    const other = serves.find((s) => s !== holder)!;
    const delivered = async () => (await sql.query<{ id: string; n: number }>("SELECT provider_delivery_id AS id, count(*)::int AS n FROM deliveries WHERE source = 'tunnel' GROUP BY 1")).rows;
    const before = await send(smee, created.channelUrl, pkg, ['v3.0.0', 'v3.0.1', 'v3.0.2']);
    await waitUntil(delivered, (rows) => rows.length === before.length);

    await holder.stop('SIGKILL');
    const taken = await waitUntil(
      () => callServe<TunnelStatus>(other, 'tunnel.status'),
      (st) => st.state === 'connected' && st.pid === other.child.pid && st.gaps.length > 0,
      TAKEOVER_MS,
    );
    expect(taken.gaps[0]).toMatchObject({ cause: 'not running' });
    expect(smee.streams(channelOf(created.channelUrl), true)).toBe(1);

    const after = await send(smee, created.channelUrl, pkg, ['v3.1.0', 'v3.1.1']);
    await waitUntil(delivered, (rows) => rows.length === before.length + after.length);
    const rows = await delivered();
    expect(rows.map((r) => r.id).sort()).toEqual([...before, ...after].sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
