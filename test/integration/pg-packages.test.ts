import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pgPackageHandlers } from '../../src/main/engine/control/pg/package-handlers';
import { inboxLookup } from '../../src/main/engine/inbox/lookup';
import { pgInboxLookup } from '../../src/main/engine/inbox/pg-inbox-lookup';
import { createDeliveryWriter } from '../../src/main/engine/receiver/delivery-writer';
import { createPgDeliveryStore } from '../../src/main/engine/receiver/pg-delivery-store';
import { createReceiver } from '../../src/main/engine/receiver/server';
import { createSqliteDeliveryStore } from '../../src/main/engine/receiver/sqlite-delivery-store';
import { hookLookup } from '../../src/main/engine/store/packages';
import { pgHookLookup } from '../../src/main/engine/store/pg-hook-lookup';
import { ApiError } from '../../src/shared/contract';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const WIDGET = { provider: 'github', repo: 'acme/widget', repoId: '4242', name: 'Widget' } as const;

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgPackageHandlers]);

/** What a call's refusal said, as a caller sees it. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the call was not refused');
}

/** The receiver's two lookups on the store: SQLite's read on every request, PostgreSQL's kept in memory. */
function receiverLookups(store: HandlerStore) {
  if ('sqlite' in store.backing) {
    const hook = hookLookup(store.backing.sqlite);
    const inbox = inboxLookup(store.backing.sqlite);
    return { hook: (id: string) => hook(id), inbox, fresh: async (id: string) => hook(id, true), refresh: async () => undefined, lookupHook: hook, lookupInbox: inbox };
  }
  const hook = pgHookLookup(store.backing.pool, { bus: store.backing.bus, everyMs: 60_000 });
  const inbox = pgInboxLookup(store.backing.pool, { bus: store.backing.bus, everyMs: 60_000 });
  onTestFinished(() => {
    hook.close();
    inbox.close();
  });
  return {
    hook: (id: string) => hook(id),
    inbox: (id: string) => inbox(id),
    fresh: hook.fresh,
    refresh: async () => void (await Promise.all([hook.refresh(), inbox.refresh()])),
    // What the receiver takes today, unchanged.
    lookupHook: hook,
    lookupInbox: inbox,
  };
}

const hookIdOf = (hookUrl: string) => hookUrl.split('/hooks/')[1]!;

/** A receiver listening on loopback with the store's lookups and delivery store, as a serve of either kind runs one. */
async function listeningReceiver(store: HandlerStore) {
  const lookups = receiverLookups(store);
  const deliveries = 'sqlite' in store.backing ? createSqliteDeliveryStore(store.backing.sqlite) : createPgDeliveryStore(store.backing.pool);
  const receiver = createReceiver({ lookupHook: lookups.lookupHook, lookupInbox: lookups.lookupInbox, box: store.box, writer: createDeliveryWriter(deliveries, () => undefined) });
  const { url } = await receiver.listen();
  onTestFinished(() => receiver.close());
  return { url, refresh: lookups.refresh };
}

describe.each(HANDLER_STORES)('packages and releases on the %s store', (kind) => {
  it('lists and gets an added package with its hook on the receiver URL, and refuses the same repository twice in the same words', async () => {
    const store = await open(kind);
    const created = await store.invoke('packages.add', WIDGET);
    expect(created.hookUrl).toMatch(new RegExp(`^${store.receiverUrl}/hooks/hk_`));
    expect(created.signingToken).toBe(`whsec_${Buffer.from(created.secret, 'hex').toString('base64')}`);

    const listed = await store.invoke('packages.list', {});
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: created.id,
      name: 'Widget',
      provider: 'github',
      repo: 'acme/widget',
      repoId: '4242',
      hook: { url: created.hookUrl, status: 'unregistered', statusReason: expect.stringContaining('Paste the hook URL and secret'), verifiedAt: null },
      latestRelease: null,
      latest: null,
      connectionId: null,
      upstream: { providerHookId: null, rotationStep: null, previousSecretValid: false },
    });
    expect(await store.invoke('packages.get', { id: created.id })).toEqual(listed[0]);
    expect(store.events).toContainEqual({ type: 'packages' });

    const again = await refusal(store.invoke('packages.add', { ...WIDGET, name: 'Widget again' }));
    expect(again).toEqual({
      code: 'conflict',
      message:
        `Package "Widget" (${created.id}) already receives GitHub repository acme/widget (id 4242). ` +
        `A second package would ingest every tag twice; use that one, or remove it first (hookbench package remove ${created.id}).`,
    });
    expect((await store.invoke('packages.list', {})).map((p) => p.id)).toEqual([created.id]);
  });

  it('keeps one package when the same repository is added from several callers at once', async () => {
    const store = await open(kind);
    const names = Array.from({ length: 8 }, (_, i) => `Widget ${i}`);
    // Every caller on a connection of its own already open, as instances of a team server are.
    if (kind === 'postgres') await Promise.all(names.map(() => store.query('SELECT pg_sleep(0.05)')));
    const outcomes = await Promise.allSettled(names.map((name) => store.invoke('packages.add', { ...WIDGET, name })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect((outcome.reason as ApiError).code).toBe('conflict');
    expect(await store.invoke('packages.list', {})).toHaveLength(1);
  });

  it('removes a package: gone from the list, an activity entry naming it, and a packages event', async () => {
    const store = await open(kind);
    const created = await store.invoke('packages.add', WIDGET);
    store.events.length = 0;

    const removed = await store.invoke('packages.remove', { id: created.id });
    expect(removed).toEqual({ removed: true, upstream: 'none', message: 'Package Widget removed; its hook URL now answers 404.' });
    expect(await store.invoke('packages.list', {})).toEqual([]);
    expect(await refusal(store.invoke('packages.get', { id: created.id }))).toEqual({ code: 'not_found', message: `No package with id ${created.id}.` });
    expect(store.events).toContainEqual({ type: 'packages' });

    const feed = await store.query<{ kind: string; message: string; package_name: string }>(
      "SELECT kind, message, package_name FROM activity WHERE kind IN ('package_added', 'package_removed') ORDER BY id",
    );
    expect(feed).toEqual([
      { kind: 'package_added', message: 'Package Widget added for github repository acme/widget (id 4242).', package_name: 'Widget' },
      { kind: 'package_removed', message: 'Package Widget removed; its hook URL now answers 404. Past deliveries are kept.', package_name: 'Widget' },
    ]);
    expect(await refusal(store.invoke('packages.remove', { id: created.id }))).toEqual({ code: 'not_found', message: `No package with id ${created.id}.` });
  });

  it('removes a package once when several callers remove it at once: one entry in the feed, the others told it is gone', async () => {
    const store = await open(kind);
    const created = await store.invoke('packages.add', WIDGET);
    const callers = Array.from({ length: 6 }, () => ({ id: created.id }));
    if (kind === 'postgres') await Promise.all(callers.map(() => store.query('SELECT pg_sleep(0.05)')));
    const outcomes = await Promise.allSettled(callers.map((params) => store.invoke('packages.remove', params)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect((outcome.reason as ApiError).code).toBe('not_found');
    expect(await store.query("SELECT id FROM activity WHERE kind = 'package_removed'")).toHaveLength(1);
  });

  it('lists and pages a package’s releases newest first with their checks, and shows the highest published stable one as latest', async () => {
    const store = await open(kind);
    const { id } = await store.invoke('packages.add', WIDGET);
    const seed = async (tag: string, version: string, prerelease: boolean, status: string) => {
      const [row] = await store.query<{ id: number }>(
        'INSERT INTO releases (package_id, tag, version, prerelease, commit_sha, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id',
        [id, tag, version, prerelease, 'c0ffee', status, 1_700_000_000_000],
      );
      await store.query('INSERT INTO release_checks (release_id, rule, severity, passed, detail) VALUES ($1, $2, $3, $4, $5)', [
        row!.id,
        'semver',
        'blocking',
        status !== 'checks_failed',
        `checked ${tag}`,
      ]);
      return row!.id;
    };
    const stable = await seed('v1.0.0', '1.0.0', false, 'published');
    const beta = await seed('v1.1.0-beta.1', '1.1.0-beta.1', true, 'published');
    const failed = await seed('v2.0.0', '2.0.0', false, 'checks_failed');

    const all = await store.invoke('releases.list', { packageId: id });
    expect(all.map((r) => r.id)).toEqual([failed, beta, stable]);
    expect(all[0]).toEqual({
      id: failed,
      packageId: id,
      tag: 'v2.0.0',
      version: '2.0.0',
      prerelease: false,
      commitSha: 'c0ffee',
      status: 'checks_failed',
      deliveryId: null,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_700_000_000_000,
      checks: [{ rule: 'semver', severity: 'blocking', passed: false, detail: 'checked v2.0.0' }],
    });
    expect((await store.invoke('packages.get', { id })).latest).toEqual({ tag: 'v1.0.0', version: '1.0.0', prerelease: false });

    const first = await store.invoke('releases.page', { packageId: id, limit: 2, total: true });
    expect(first.items.map((r) => r.tag)).toEqual(['v2.0.0', 'v1.1.0-beta.1']);
    expect(first.total).toBe(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await store.invoke('releases.page', { packageId: id, limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [all[2]], nextCursor: null });
  });

  it('answers not_found for the releases of a package it does not have', async () => {
    const store = await open(kind);
    const expected = { code: 'not_found', message: 'No package with id pkg_nope.' };
    expect(await refusal(store.invoke('releases.list', { packageId: 'pkg_nope' }))).toEqual(expected);
    expect(await refusal(store.invoke('releases.page', { packageId: 'pkg_nope', limit: 10 }))).toEqual(expected);
  });

  it('queues package.created for an endpoint subscribed to it, in the same transaction as the package', async () => {
    const store = await open(kind);
    const now = Date.now();
    await store.query('INSERT INTO endpoints (id, name, url, dialect, events, secret_sealed, active, created_at, updated_at) VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $7)', [
      'ep_listening',
      'http://127.0.0.1:9/hook',
      'standard-webhooks',
      '["package.created"]',
      store.box.seal('whsec_c2VjcmV0'),
      true,
      now,
    ]);
    await store.query('INSERT INTO endpoints (id, name, url, dialect, events, secret_sealed, active, created_at, updated_at) VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $7)', [
      'ep_other',
      'http://127.0.0.1:9/other',
      'standard-webhooks',
      '["release.published"]',
      store.box.seal('whsec_c2VjcmV0'),
      true,
      now,
    ]);
    const created = await store.invoke('packages.add', WIDGET);
    const queued = await store.query<{ endpoint_id: string; event: string; source: string; state: string; body: Buffer }>('SELECT endpoint_id, event, source, state, body FROM messages ORDER BY id');
    expect(queued.map(({ body: _body, ...row }) => row)).toEqual([{ endpoint_id: 'ep_listening', event: 'package.created', source: 'event', state: 'pending' }]);
    expect(JSON.parse(Buffer.from(queued[0]!.body).toString('utf8'))).toMatchObject({ type: 'package.created', data: { package: { id: created.id, repo: 'acme/widget', repoId: '4242' } } });
  });

  it('gives the receiver a new hook after a refresh, with a secret the store’s box opens, and no longer a removed one', async () => {
    const store = await open(kind);
    const lookups = receiverLookups(store);
    await lookups.refresh();
    const created = await store.invoke('packages.add', WIDGET);
    const hookId = hookIdOf(created.hookUrl);

    // The packages event the add published is enough: the lookup reads the hooks again.
    const found = await waitUntil(
      async () => lookups.hook(hookId),
      (hook) => hook !== undefined,
    );
    expect(found).toMatchObject({ hookId, packageId: created.id, provider: 'github', repo: 'acme/widget', repoId: '4242', previousSecretSealed: null });
    expect(store.box.open(found!.secretSealed)).toBe(created.secret);

    await store.invoke('packages.remove', { id: created.id });
    await lookups.refresh();
    expect(lookups.hook(hookId)).toBeUndefined();
    expect(await lookups.fresh(hookId)).toBeUndefined();
  });

  it('finds a hook added behind the lookup’s back on the miss path, before any refresh', async () => {
    const store = await open(kind);
    const lookups = receiverLookups(store);
    await lookups.refresh();
    const created = await store.invoke('packages.add', WIDGET);
    const hook = await lookups.fresh(hookIdOf(created.hookUrl));
    expect(hook?.packageId).toBe(created.id);
    expect(store.box.open(hook!.secretSealed)).toBe(created.secret);
    expect(lookups.hook(hookIdOf(created.hookUrl))?.packageId).toBe(created.id);
  });

  it('gives the receiver an inbox with its programmed answer, its secret and the arrivals of an event so far', async () => {
    const store = await open(kind);
    const lookups = receiverLookups(store);
    const answer = JSON.stringify({ status: 503, failFirst: 2 });
    await store.query('INSERT INTO inboxes (id, name, dialect, secret_sealed, created_at, answer) VALUES ($1, $2, $3, $4, $5, $6)', [
      'in_team',
      'Stripe test',
      'stripe',
      store.box.seal('whsec_inbox'),
      Date.now(),
      answer,
    ]);
    await lookups.refresh();
    const inbox = lookups.inbox('in_team');
    expect(inbox).toMatchObject({ id: 'in_team', name: 'Stripe test', dialect: 'stripe', toleranceSeconds: null, previousSecretSealed: null });
    expect(inbox!.answer).toMatchObject({ status: 503, failFirst: 2, failRatio: null, hang: false });
    expect(store.box.open(inbox!.secretSealed!)).toBe('whsec_inbox');
    expect(inbox!.arrivalsSoFar('evt_1')).toBe(0);

    for (const duplicateOf of [null, 1]) {
      await store.query(
        'INSERT INTO deliveries (hook_id, received_at, source, headers, body, body_size, provider_delivery_id, verdict, status_code, outcome, duplicate_of) ' +
          "VALUES ($1, $2, 'direct', '[]', $3, 2, 'evt_1', 'valid', 503, 'captured', $4)",
        ['in_team', Date.now(), Buffer.from('{}'), duplicateOf],
      );
    }
    await lookups.refresh();
    expect(lookups.inbox('in_team')!.arrivalsSoFar('evt_1')).toBe(2);
    expect(lookups.inbox('in_nope')).toBeUndefined();
  });
});

describe.each(HANDLER_STORES)('the receiver on the %s store', (kind) => {
  it('accepts a signed delivery for a package added through the control API, and answers 404 once it is removed', async () => {
    const store = await open(kind);
    const receiver = await listeningReceiver(store);
    const created = await store.invoke('packages.add', WIDGET);
    await receiver.refresh();
    const post = async () => {
      const body = JSON.stringify(githubTagPush(4242, 'v1.0.0'));
      return fetch(`${receiver.url}/hooks/${hookIdOf(created.hookUrl)}`, { method: 'POST', headers: await githubHeaders('push', body, created.secret), body });
    };

    const accepted = await post();
    expect(accepted.status).toBe(202);
    const stored = await store.query<{ package_id: string; verdict: string; outcome: string }>('SELECT package_id, verdict, outcome FROM deliveries');
    expect(stored).toEqual([{ package_id: created.id, verdict: 'valid', outcome: 'pending' }]);

    await store.invoke('packages.remove', { id: created.id });
    await receiver.refresh();
    const gone = await post();
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'unknown_hook' });
  });

  it('captures what is sent to an inbox it has', async () => {
    const store = await open(kind);
    const receiver = await listeningReceiver(store);
    await store.query("INSERT INTO inboxes (id, name, dialect, created_at) VALUES ('in_plain', 'Plain', 'none', $1)", [Date.now()]);
    await receiver.refresh();
    const sent = await fetch(`${receiver.url}/in/in_plain/orders?x=1`, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(sent.status).toBe(200);
    const stored = await store.query<{ hook_id: string; method: string; path: string; outcome: string }>('SELECT hook_id, method, path, outcome FROM deliveries');
    expect(stored).toEqual([{ hook_id: 'in_plain', method: 'PUT', path: '/orders?x=1', outcome: 'captured' }]);
  });
});

describe('server.info on a team server', () => {
  it('names the database (without its credentials) where a desktop names its data dir, and the receiver URL', async () => {
    const store = await open('postgres');
    const info = await store.invoke('server.info', {});
    expect(info).toMatchObject({ receiverUrl: store.receiverUrl, secretStore: store.box.kind });
    expect(info.dataDir).toMatch(new RegExp(`^postgres:\\/\\/127\\.0\\.0\\.1:${cluster.port}\\/h_[0-9a-f]{12}$`));
  });
});
