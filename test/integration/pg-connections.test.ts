import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pgDeliveryHandlers } from '../../src/main/engine/control/pg/delivery-handlers';
import { pgPackageHandlers } from '../../src/main/engine/control/pg/package-handlers';
import { pgProviderHandlers } from '../../src/main/engine/control/pg/provider-handlers';
import type { FetchLike } from '../../src/main/engine/providers/http';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import { roleKey } from '../../src/main/engine/team/pg-role-lock';
import { createTeamEngine, type TeamEngine } from '../../src/main/engine/team/team-engine';
import type { ConnectionAdded, HookRotation, PackageConnected, PackageSummary, PingResult } from '../../src/shared/types';
import { fakeGitHub, fakeGitLab } from '../fakes/harness';
import { HANDLER_STORES, openHandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const REPO = 'octo/widgets';
const REPO_ID = 4242;

const open = (kind: HandlerStoreKind) =>
  openHandlerStore(kind, cluster, [pgPackageHandlers, pgDeliveryHandlers, pgProviderHandlers], { providers: { checkIntervalMs: 0, pollMs: 10, redeliveryWaitMs: 10_000 } });

async function github() {
  const gh = await fakeGitHub();
  gh.addToken('ghp_good', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
  gh.addToken('ghp_readonly', { login: 'octocat', scopes: ['public_repo'] });
  gh.addRepo(REPO, { id: REPO_ID, admins: ['octocat'] });
  return gh;
}

/** A store, GitHub, and the calls most tests make. */
async function setup(kind: HandlerStoreKind) {
  const gh = await github();
  const api = await open(kind);
  const connect = (token = 'ghp_good') => api.invoke('connections.add', { provider: 'github', token, baseUrl: gh.url });
  /** Adds the package, and waits for GitHub's ping to the new hook to have failed (nothing listens at the hook URL). */
  const add = async (connectionId: string, repo = REPO) => {
    const created = await api.invoke('packages.addFromConnection', { connectionId, repo });
    if (created.registered) await gh.waitForDelivery((d) => d.event === 'ping' && String(d.hookId) === created.hook.providerHookId);
    return created;
  };
  const get = (id: string) => api.invoke('packages.get', { id }) as Promise<PackageSummary>;
  const feed = (kind: string) => api.query<{ message: string; packageId: string | null }>('SELECT message, package_id AS "packageId" FROM activity WHERE kind = $1 ORDER BY id', [kind]);
  return { gh, api, connect, add, get, feed };
}

describe.each(HANDLER_STORES)('%s store', (kind) => {
  it('adds a connection after asking GitHub who the token is, keeps the token sealed, lists it without it, and removes it', async () => {
    const { gh, api, connect, feed } = await setup(kind);
    const conn = await connect();
    expect(conn).toMatchObject({ provider: 'github', baseUrl: `${gh.url}/api/v3`, login: 'octocat', scopes: ['repo', 'admin:repo_hook'], canManageHooks: true, packages: 0, warnings: [] });
    expect(gh.log[0]!.headers.authorization).toBe('Bearer ghp_good');

    const { warnings: _warnings, ...summary } = conn;
    expect(await api.invoke('connections.list', {})).toEqual([summary]);
    expect(JSON.stringify(await api.invoke('connections.list', {}))).not.toContain('ghp_good');
    const [row] = await api.query<{ sealed: string }>('SELECT token_sealed AS sealed FROM connections');
    expect(row!.sealed).not.toContain('ghp_good');
    expect(api.box.open(row!.sealed)).toBe('ghp_good');
    expect(await feed('connection_added')).toEqual([{ message: `GitHub connection ${conn.id} added for octocat at ${gh.url}/api/v3 (scopes: repo, admin:repo_hook).`, packageId: null }]);

    // A bad token is refused in GitHub's words, and nothing is kept.
    await expect(connect('ghp_wrong')).rejects.toThrow(/GitHub rejected the token of the new token \(HTTP 401: Bad credentials\)/);
    expect(await api.invoke('connections.list', {})).toHaveLength(1);

    expect(await api.invoke('connections.remove', { id: conn.id })).toEqual({ removed: true, detachedPackages: [] });
    expect(await api.invoke('connections.list', {})).toEqual([]);
    expect(api.events).toContainEqual({ type: 'packages' });
    await expect(api.invoke('connections.remove', { id: conn.id })).rejects.toMatchObject({
      code: 'not_found',
      message: `No connection with id ${conn.id}; "hookbench connection list" shows them.`,
    });
  });

  it('adds a package through a connection with its hook on GitHub, counts it on the connection, and detaches it when the connection goes', async () => {
    const { gh, api, connect, add, get, feed } = await setup(kind);
    const conn = await connect();
    const created = await add(conn.id, 'OCTO/Widgets');
    const [hook] = gh.repo(REPO).hooks;
    expect(created).toMatchObject({ registered: true, repo: REPO, repoId: String(REPO_ID), connectionId: conn.id, hook: { status: 'active', providerHookId: String(hook!.id) } });
    expect(created.hook.statusReason).toBe(`Created on GitHub as hook ${hook!.id}; waiting for the ping GitHub sends to a new hook.`);
    expect(hook!.config).toMatchObject({ url: created.hookUrl, secret: created.secret });
    expect(created.hookUrl).toBe(`${api.receiverUrl}/hooks/${created.hookUrl.split('/hooks/')[1]}`);
    expect(await get(created.id)).toMatchObject({ connectionId: conn.id, hook: { status: 'active' }, upstream: { providerHookId: String(hook!.id), rotationStep: null } });
    expect((await feed('hook_registered')).map((e) => e.message)).toEqual([
      `Hook ${hook!.id} created on GitHub for ${REPO} through connection ${conn.id}, delivering to ${api.receiverUrl}.`,
    ]);
    expect(api.events.filter((e) => e.type === 'activity').map((e) => e.type === 'activity' && e.entry.kind)).toContain('hook_registered');
    expect((await api.invoke('connections.list', {}))[0]).toMatchObject({ id: conn.id, packages: 1 });

    // A token without the hook permission: the package is saved without a hook, saying what is missing.
    gh.addRepo('octo/gadgets', { id: 4343, admins: ['octocat'] });
    const weak = await add((await connect('ghp_readonly')).id, 'octo/gadgets');
    expect(weak).toMatchObject({ registered: false, hook: { status: 'unregistered' } });
    expect(weak.hook.statusReason).toMatch(/do not include admin:repo_hook \(or repo\)/);
    expect((await feed('hook_unregistered')).map((e) => e.message)).toEqual([weak.hook.statusReason]);

    await expect(api.invoke('packages.addFromConnection', { connectionId: 'conn_missing', repo: REPO })).rejects.toMatchObject({ code: 'not_found' });
    await expect(api.invoke('packages.addFromConnection', { connectionId: conn.id, repo: 'octo/typo' })).rejects.toThrow(/octo\/typo/);

    expect(await api.invoke('connections.remove', { id: conn.id })).toEqual({ removed: true, detachedPackages: [created.id] });
    expect(await get(created.id)).toMatchObject({ connectionId: null, hook: { status: 'active' } });
    expect((await feed('connection_removed')).map((e) => e.message)).toEqual([
      `GitHub connection ${conn.id} (octocat) removed. 1 package(s) keep their hooks but are no longer managed: ${created.id}.`,
    ]);
    expect(gh.repo(REPO).hooks).toHaveLength(1);
  });

  it('rotates through the connection, by hand once it is gone, and attaches a new connection with rotate --connection', async () => {
    const { gh, api, connect, add, get, feed } = await setup(kind);
    const conn = await connect();
    const created = await add(conn.id);
    const first = gh.repo(REPO).hooks[0]!.id;

    const upstream = await api.invoke('packages.rotate', { id: created.id });
    const [second] = gh.repo(REPO).hooks;
    expect(gh.repo(REPO).hooks).toHaveLength(1);
    expect(second!.id).not.toBe(first);
    expect(upstream).toMatchObject({ id: created.id, mode: 'upstream', completed: true, stoppedAt: null, error: null, providerHookId: String(second!.id), previousSecretValidUntil: null });
    expect(second!.config.secret).toBe(upstream.secret);
    expect(upstream.secret).not.toBe(created.secret);
    expect((await feed('hook_rotated')).map((e) => e.message)).toEqual([`Hook re-created on GitHub as ${second!.id} with a new secret; the previous secret no longer verifies.`]);

    await api.invoke('connections.remove', { id: conn.id });
    const manual = await api.invoke('packages.rotate', { id: created.id, overlapSeconds: 60 });
    expect(manual).toMatchObject({ mode: 'manual', completed: true, providerHookId: String(second!.id) });
    expect(manual.message).toMatch(/^Paste the new secret into GitHub: octo\/widgets → Settings → Webhooks → Edit → Secret, then "Update webhook"\. The previous secret keeps verifying until /);
    expect(manual.previousSecretValidUntil! - Date.now()).toBeGreaterThan(50_000);
    expect(await get(created.id)).toMatchObject({ upstream: { previousSecretValid: true } });

    await expect(api.invoke('packages.rotate', { id: created.id, connectionId: 'conn_missing' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No connection with id conn_missing; "hookbench connection list" shows them.',
    });
    await expect(api.invoke('packages.rotate', { id: 'pkg_missing' })).rejects.toMatchObject({ code: 'not_found', message: 'No package with id pkg_missing.' });

    // A new connection takes the hook over: the old one is deleted upstream and a new one made.
    const again = await connect();
    const attached = await api.invoke('packages.rotate', { id: created.id, connectionId: again.id });
    const [third] = gh.repo(REPO).hooks;
    expect(gh.repo(REPO).hooks).toHaveLength(1);
    expect(attached).toMatchObject({ mode: 'upstream', completed: true, providerHookId: String(third!.id) });
    expect(await get(created.id)).toMatchObject({ connectionId: again.id, upstream: { providerHookId: String(third!.id), rotationStep: null } });
  });

  it('pings the hook, and lists GitHub\'s record of its deliveries beside Hookbench\'s own copies', async () => {
    const { gh, api, connect, add } = await setup(kind);
    const created = await add((await connect()).id);
    const ping = await api.invoke('packages.ping', { id: created.id, waitMs: 50 });
    expect(ping).toMatchObject({ id: created.id, arrived: false, verified: false, delivery: null, provider: { event: 'ping', statusCode: 502, status: 'failed to connect', hookbench: null } });
    expect(ping.message).toBe(
      `GitHub tried to deliver the ping to ${created.hookUrl} and got 502 (failed to connect); nothing reached Hookbench within 50 ms. ` +
        'Check that the address is reachable from GitHub (is "hookbench serve" running? is the tunnel connected?).',
    );

    // One of GitHub's attempts reached Hookbench after all (stored under GitHub's delivery id).
    const pings = gh.deliveries.filter((d) => d.event === 'ping');
    expect(pings).toHaveLength(2);
    const hookId = created.hookUrl.split('/hooks/')[1]!;
    const [stored] = await api.query<{ id: number }>(
      `INSERT INTO deliveries (hook_id, package_id, received_at, source, headers, body, body_size, verdict, status_code, outcome, provider_delivery_id, event)
       VALUES ($1, $2, $3, 'direct', '[]', $4, 2, 'valid', 200, 'ping', $5, 'ping') RETURNING id`,
      [hookId, created.id, Date.now(), Buffer.from('{}'), pings[0]!.guid],
    );
    const listed = await api.invoke('packages.providerDeliveries', { id: created.id, limit: 10 });
    expect(listed).toMatchObject({ id: created.id, provider: 'github', supported: true, message: null, nextCursor: null });
    expect(listed.deliveries.map((d) => [d.guid, d.event, d.statusCode, d.hookbench?.id ?? null])).toEqual([
      [pings[1]!.guid, 'ping', 502, null],
      [pings[0]!.guid, 'ping', 502, stored!.id],
    ]);
    expect(listed.deliveries[1]!.hookbench).toMatchObject({ outcome: 'ping', verdict: 'valid', providerDeliveryId: pings[0]!.guid });

    // Without a connection there is nothing to ask GitHub with.
    const plain = await api.invoke('packages.add', { provider: 'github', repo: 'octo/plain', repoId: '77' });
    await expect(api.invoke('packages.ping', { id: plain.id, waitMs: 0 })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`Package ${plain.id} is not managed through a connection, so Hookbench cannot ping the hook on GitHub.`) as string,
    });
  });

  it('catches up: tags GitHub never delivered are ingested oldest version first, and the feed says which came that way', async () => {
    const { gh, api, connect, add, feed } = await setup(kind);
    const created = await add((await connect()).id);
    // Four tags at once: GitHub sends no push event at all.
    expect(await gh.pushTags(REPO, ['v1.2.0', 'v1.0.0', 'v2.0.0-rc.1', 'v1.1.0'])).toEqual([]);
    // The failed ping is older than GitHub keeps deliveries for redelivery.
    for (const d of gh.deliveries) gh.age(d.guid, 4 * 86_400_000);

    const result = await api.invoke('packages.catchUp', { id: created.id, redeliver: true, reconcile: true });
    expect(result).toMatchObject({ id: created.id, redelivered: [], tagsSeen: 4, notSemver: [] });
    expect(result.notRedelivered).toEqual([{ guid: gh.deliveries[0]!.guid, event: 'ping', reason: expect.stringMatching(/outside GitHub's 3-day redelivery window/) as string }]);
    expect(result.reconciled.map((r) => [r.tag, r.outcome])).toEqual([
      ['v1.0.0', 'ingested'],
      ['v1.1.0', 'ingested'],
      ['v1.2.0', 'ingested'],
      ['v2.0.0-rc.1', 'ingested'],
    ]);
    expect(result.messages).toEqual(['No failed GitHub deliveries to redeliver.', '4 tag(s) on GitHub; 4 never delivered: v1.0.0, v1.1.0, v1.2.0, v2.0.0-rc.1.']);
    const releases = await api.invoke('releases.list', { packageId: created.id });
    expect(releases.map((r) => r.tag).sort()).toEqual(['v1.0.0', 'v1.1.0', 'v1.2.0', 'v2.0.0-rc.1']);
    expect((await feed('reconciled')).map((e) => e.message)).toEqual(
      result.reconciled.map((r) => `Release from tag ${r.tag} came from tag reconciliation: GitHub never delivered a push for it, so catch-up found it through the tags API (delivery #${r.deliveryId}).`),
    );

    // Nothing is missing any more.
    const again = await api.invoke('packages.catchUp', { id: created.id, redeliver: false, reconcile: true });
    expect(again).toMatchObject({ reconciled: [], messages: ['4 tag(s) on GitHub; 0 never delivered.'] });
  });

  it('checks hooks upstream: a change is reported once, a hook deleted on GitHub is flagged missing, and removing the package deletes its hook there', async () => {
    const { gh, api, connect, add, get, feed } = await setup(kind);
    const created = await add((await connect()).id);
    const hookId = gh.repo(REPO).hooks[0]!.id;

    const [failing] = await api.invoke('packages.checkUpstream', { id: created.id });
    const reason = `GitHub's last delivery to hook ${hookId} got 502 (failed to connect). "hookbench package deliveries ${created.id}" shows the attempts; "hookbench package catch-up ${created.id}" redelivers the failed ones.`;
    expect(failing).toEqual({ packageId: created.id, status: 'failing', statusReason: reason, checked: true, changed: true, error: null });
    expect(await api.invoke('packages.checkUpstream', {})).toEqual([{ ...failing, changed: false }]);
    expect((await feed('hook_failing')).map((e) => e.message)).toEqual([`Package ${REPO}: ${reason}`]);

    gh.repo(REPO).hooks.length = 0;
    const [missing] = await api.invoke('packages.checkUpstream', {});
    expect(missing).toMatchObject({ status: 'missing', changed: true });
    expect(missing!.statusReason).toBe(`Hook ${hookId} no longer exists on GitHub for ${REPO}: it was deleted upstream. Run "hookbench package rotate ${created.id}" to create it again.`);
    expect(await get(created.id)).toMatchObject({ hook: { status: 'missing', statusReason: missing!.statusReason } });

    // Created again, then the package removed: its hook goes off GitHub with it.
    await api.invoke('packages.rotate', { id: created.id });
    const recreated = gh.repo(REPO).hooks[0]!.id;
    const removed = await api.invoke('packages.remove', { id: created.id });
    expect(removed).toMatchObject({ removed: true, upstream: 'deleted' });
    expect(removed.message).toContain(`Its hook ${recreated} was deleted on GitHub.`);
    expect(gh.repo(REPO).hooks).toHaveLength(0);
  });

  it('adds a GitLab connection on a self-managed server and a project through it', async () => {
    const gl = await fakeGitLab();
    gl.addToken('glpat-good', { username: 'maintainer', scopes: ['api'] });
    gl.addProject('group/widgets', { id: 278964, members: { maintainer: 40 } });
    const api = await open(kind);
    const conn = await api.invoke('connections.add', { provider: 'gitlab', token: 'glpat-good', baseUrl: gl.url });
    expect(conn).toMatchObject({ provider: 'gitlab', baseUrl: `${gl.url}/api/v4`, login: 'maintainer', scopes: ['api'], canManageHooks: true, serverVersion: '17.6.0', warnings: [] });
    const created = await api.invoke('packages.addFromConnection', { connectionId: conn.id, repo: 'group/widgets' });
    expect(created).toMatchObject({ registered: true, repo: 'group/widgets', repoId: '278964', connectionId: conn.id });
    expect(created.hook.statusReason).toMatch(/^Created on GitLab as hook \d+; the next tag push confirms it\.$/);
    expect(gl.project(278964).hooks).toHaveLength(1);
    expect(await api.invoke('connections.list', {})).toMatchObject([{ id: conn.id, provider: 'gitlab', packages: 1 }]);
  });
});

describe('provider work on a team server of two instances', () => {
  const SHARED_KEY = Buffer.alloc(32, 9);
  const box = () => keyRingBox('shared-key', () => [SHARED_KEY], () => SHARED_KEY, 'HOOKBENCH_SECRET_KEY');

  /** An instance whose provider calls are counted, checking hooks every 100 ms while it holds the monitor role. */
  async function instance(url: string, options: { publicUrl?: string; receive?: boolean } = {}) {
    const hookChecks: string[] = [];
    const fetch: FetchLike = (input, init) => {
      if ((init?.method ?? 'GET') === 'GET' && /\/hooks\/\d+$/.test(String(input))) hookChecks.push(String(input));
      return globalThis.fetch(input, init);
    };
    // By default nothing listens at the public address: GitHub's deliveries there fail, as for a server behind a closed port.
    const publicUrl = options.receive ? undefined : (options.publicUrl ?? 'http://127.0.0.1:9');
    const engine: TeamEngine = await createTeamEngine({ url, box: box(), ...(publicUrl ? { publicUrl } : {}), providers: { fetch, checkIntervalMs: 100, pollMs: 10 } });
    let closed: Promise<void> | null = null;
    const close = () => (closed ??= engine.close());
    onTestFinished(close);
    const receiverUrl = options.receive ? await engine.startReceiver({ port: 0 }) : null;
    await engine.startWorkers();
    return { engine, hookChecks, close, receiverUrl };
  }

  it('pings through one instance and sees the ping arrive through the other, verified with the hook\'s secret', async () => {
    const gh = await github();
    const url = cluster.createDatabase('team_ping');
    const receiving = await instance(url, { receive: true });
    const asking = await instance(url, { publicUrl: receiving.receiverUrl! });
    const conn = (await asking.engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
    const created = (await asking.engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo: REPO })) as PackageConnected;
    expect(created.hookUrl.startsWith(`${receiving.receiverUrl}/hooks/`)).toBe(true);
    // GitHub's ping to the new hook reached the other instance, which verified it.
    await waitUntil(
      async () => ((await asking.engine.invoke('packages.get', { id: created.id })) as PackageSummary).hook.statusReason,
      (reason) => reason === 'Ping received and verified.',
    );

    const ping = (await asking.engine.invoke('packages.ping', { id: created.id, waitMs: 10_000 })) as PingResult;
    expect(ping).toMatchObject({ arrived: true, verified: true, provider: null, delivery: { event: 'ping', verdict: 'valid', outcome: 'ping', packageId: created.id } });
    expect(ping.message).toBe(`The ping arrived as delivery #${ping.delivery!.id} and its signature verified: the hook works.`);
  });

  it('checks hooks upstream in one instance at a time, and in the other once the first closes', async () => {
    const gh = await github();
    const url = cluster.createDatabase('team_monitor');
    const a = await instance(url);
    const b = await instance(url);
    const holders = () => [a, b].filter((i) => i.engine.monitoring());
    await waitUntil(
      async () => holders().length,
      (n) => n === 1,
    );
    const [holder] = holders();
    const other = holder === a ? b : a;

    // Added through the instance that does not check: the check still runs where the role is.
    const conn = (await other.engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
    const created = (await other.engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo: REPO })) as PackageConnected;
    await waitUntil(
      async () => holder!.hookChecks.length,
      (n) => n >= 3,
    );
    expect(other.hookChecks).toEqual([]);
    expect(holders()).toEqual([holder]);

    // The holder closes: the other takes the role over, and notices a hook deleted upstream from then on.
    await holder!.close();
    await waitUntil(
      async () => other.engine.monitoring(),
      (held) => held,
    );
    gh.repo(REPO).hooks.length = 0;
    const status = await waitUntil(
      async () => ((await other.engine.invoke('packages.get', { id: created.id })) as PackageSummary).hook.status,
      (s) => s === 'missing',
    );
    expect(status).toBe('missing');
    expect(other.hookChecks.length).toBeGreaterThan(0);
  });

  /** Ends every database session of the instance holding the monitor role, as its death would. */
  async function cutMonitorHolder(url: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND ((l.classid::int8 << 32) | l.objid::int8) = $1::int8`,
        [roleKey('provider-monitor')],
      );
      expect(rows).toHaveLength(1);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [rows[0].name]);
    } finally {
      await client.end();
    }
  }

  it('moves the monitor to the other instance within seconds when the holder\'s database session dies', async () => {
    const gh = await github();
    const url = cluster.createDatabase('team_monitor_cut');
    const a = await instance(url);
    const b = await instance(url);
    const conn = (await a.engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
    await a.engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo: REPO });
    const holder = await waitUntil(
      async () => [a, b].find((i) => i.engine.monitoring()),
      Boolean,
    );
    const other = holder === a ? b : a;
    await waitUntil(
      async () => holder!.hookChecks.length,
      (n) => n > 0,
    );

    await cutMonitorHolder(url);
    await waitUntil(
      async () => other.engine.monitoring() && !holder!.engine.monitoring(),
      Boolean,
    );
    const before = other.hookChecks.length;
    await waitUntil(
      async () => other.hookChecks.length,
      (n) => n > before,
    );
    // The cut instance asks again, and waits while the other holds the role.
    expect(holder!.engine.monitoring()).toBe(false);
  });

  /** Advisory locks someone is waiting for on the database. */
  async function lockWaits(url: string): Promise<number> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return Number((await client.query("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0].n);
    } finally {
      await client.end();
    }
  }

  it('rotates a package on one instance at a time: two rotations at once leave one hook on GitHub, the one recorded, with the last secret', async () => {
    const gh = await github();
    const url = cluster.createDatabase('team_rotate');
    const a = await instance(url);
    const b = await instance(url);
    const conn = (await a.engine.invoke('connections.add', { provider: 'github', token: 'ghp_good', baseUrl: gh.url })) as ConnectionAdded;
    const created = (await a.engine.invoke('packages.addFromConnection', { connectionId: conn.id, repo: REPO })) as PackageConnected;

    // The first rotation is held at GitHub while deleting the old hook; the second is asked for on the other instance meanwhile.
    const held = gh.hold('DELETE', /^\/repos\/octo\/widgets\/hooks\/\d+$/);
    const first = a.engine.invoke('packages.rotate', { id: created.id }) as Promise<HookRotation>;
    await held.reached;
    let secondDone = false;
    const second = (b.engine.invoke('packages.rotate', { id: created.id }) as Promise<HookRotation>).finally(() => (secondDone = true));
    // It waits for the first (its lock asked for on the database), or, were nothing to stop it, runs to its end.
    await waitUntil(
      async () => secondDone || (await lockWaits(url)) > 0,
      Boolean,
    );
    held.release();
    const [one, two] = await Promise.all([first, second]);
    expect([one.completed, two.completed]).toEqual([true, true]);

    const hooks = gh.repo(REPO).hooks;
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.config.secret).toBe(two.secret);
    const summary = (await b.engine.invoke('packages.get', { id: created.id })) as PackageSummary;
    expect(summary.upstream).toMatchObject({ providerHookId: String(hooks[0]!.id), rotationStep: null });
  });
});
