import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgEndpointHandlers } from '../../src/main/engine/control/pg/endpoint-handlers';
import { pgFixtureHandlers } from '../../src/main/engine/control/pg/fixture-handlers';
import { pgPackageHandlers } from '../../src/main/engine/control/pg/package-handlers';
import { libraryListing } from '../../src/main/engine/replay/library';
import { sealHeaders } from '../../src/main/engine/secrets/header-seal';
import { ApiError } from '../../src/shared/contract';
import { HIDDEN, SEALED_PREFIX } from '../../src/shared/secret-headers';
import type { ActivityEntry } from '../../src/shared/types';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { githubHeaders, githubTagDelete, githubTagPush } from '../helpers/payloads';
import { startSink } from '../helpers/sink';
import { seedDeliveryRows } from '../helpers/store-seed';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const open = (kind: HandlerStoreKind) => openHandlerStore(kind, cluster, [pgFixtureHandlers, pgEndpointHandlers, pgPackageHandlers]);

const T0 = 1_764_000_000_000;
const TAG_PUSH = Buffer.from('{"ref":"refs/tags/v1.2.0","project":{"id":77}}');
const NOT_UTF8 = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x7b]);

/** How a call failed, as a caller sees it. */
async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

/**
 * Two deliveries (a GitLab tag push whose token is sealed at rest, and an inbox capture with a
 * request line and bytes that are not UTF-8) and one attempt of a message to an endpoint.
 */
async function seed(api: HandlerStore) {
  const [gitlab, capture] = await seedDeliveryRows(api.query, [
    {
      hookId: 'hk_gl',
      packageId: 'pk_gl',
      receivedAt: T0,
      source: 'direct',
      headers: sealHeaders(api.box, [
        ['Content-Type', 'application/json'],
        ['X-Gitlab-Event', 'Tag Push Hook'],
        ['X-Gitlab-Token', 'glt-super-secret'],
        ['X-Gitlab-Event-UUID', 'uuid-1'],
      ]),
      body: TAG_PUSH,
      event: 'Tag Push Hook',
      verdict: 'valid',
      statusCode: 202,
      outcome: 'ingested',
      outcomeReason: null,
      tag: 'v1.2.0',
      providerDeliveryId: 'uuid-1',
      method: null,
      path: null,
      contentType: 'application/json',
    },
    {
      hookId: 'ib_inbox',
      packageId: null,
      receivedAt: T0 + 1000,
      source: 'direct',
      headers: [
        ['Content-Type', 'application/octet-stream'],
        ['X-Trace', 'plain'],
      ],
      body: NOT_UTF8,
      event: null,
      verdict: 'unchecked',
      statusCode: 200,
      outcome: 'captured',
      outcomeReason: null,
      tag: null,
      providerDeliveryId: 'cap-1',
      method: 'PUT',
      path: '/billing?v=2',
      contentType: 'application/octet-stream',
    },
  ]);
  for (const [i, url] of ['https://a.example/one', 'https://b.example/two'].entries()) {
    await api.query(
      `INSERT INTO inbox_forwards (delivery_id, inbox_id, target_url, state, attempts, status, response_headers, response_body, duration_ms, created_at, updated_at)
       VALUES ($1, 'ib_inbox', $2, $3, 1, $4, $5, $6, 12, $7, $7)`,
      [capture, url, i === 0 ? 'delivered' : 'sending', i === 0 ? 200 : null, i === 0 ? '[["set-cookie","s=1"],["x-ok","yes"]]' : null, i === 0 ? Buffer.from('thanks') : null, T0],
    );
  }
  const endpoint = await api.invoke('endpoints.add', { name: 'Ops', url: 'https://hooks.example/in', dialect: 'standard-webhooks', events: ['release.published'] });
  const [message] = await api.query<{ id: number }>(
    `INSERT INTO messages (message_id, endpoint_id, event, body, content_type, source, state, attempt_count, created_at, updated_at)
     VALUES ('msg_1', $1, 'release.published', $2, 'application/json', 'event', 'succeeded', 1, $3, $3) RETURNING id`,
    [endpoint.id, Buffer.from('{"version":"1.2.0"}'), T0],
  );
  const sent: [string, string][] = [
    ['content-type', 'application/json'],
    ['webhook-id', 'msg_1'],
    ['webhook-signature', 'v1,c2lnbmF0dXJl'],
    ['authorization', 'Bearer out-token'],
  ];
  const [attempt] = await api.query<{ id: number }>(
    `INSERT INTO attempts (message_row_id, endpoint_id, attempt_no, trigger, started_at, url, request_headers, status, duration_ms, succeeded)
     VALUES ($1, $2, 1, 'scheduled', $3, 'https://ops:pw@hooks.example/in?token=abc', $4, 200, 5, $5) RETURNING id`,
    [Number(message!.id), endpoint.id, T0, JSON.stringify(sealHeaders(api.box, sent)), true],
  );
  return { gitlab: gitlab!, capture: capture!, attempt: Number(attempt!.id) };
}

describe.each(HANDLER_STORES)('fixtures on the %s store', (kind) => {
  it('lists the built-in library as the desktop does', async () => {
    const api = await open(kind);
    const listed = await api.invoke('fixtures.library', {});
    expect(listed).toEqual(libraryListing());
    expect(listed.length).toBeGreaterThan(50);
  });

  it('saves a delivery, an attempt and a library entry, each as it was, credentials still sealed and shown hidden', async () => {
    const api = await open(kind);
    const { gitlab, capture, attempt } = await seed(api);

    const fromDelivery = await api.invoke('fixtures.save', { ref: String(gitlab) });
    expect(fromDelivery).toMatchObject({
      name: `Saved from ${gitlab}`,
      origin: `delivery:${gitlab}`,
      dialect: 'gitlab',
      event: 'Tag Push Hook',
      contentType: 'application/json',
      method: null,
      path: null,
    });
    expect(fromDelivery.headers).toContainEqual(['X-Gitlab-Token', HIDDEN]);
    expect(Buffer.from(fromDelivery.bodyBase64, 'base64')).toEqual(TAG_PUSH);
    const [stored] = await api.query<{ headers: string }>('SELECT headers FROM fixtures WHERE id = $1', [fromDelivery.id]);
    expect(stored!.headers).not.toContain('glt-super-secret');
    expect(stored!.headers).toContain(JSON.stringify(SEALED_PREFIX).slice(1, -1));

    const fromCapture = await api.invoke('fixtures.save', { ref: `delivery:${capture}`, name: 'Billing capture' });
    expect(fromCapture).toMatchObject({ name: 'Billing capture', origin: `delivery:${capture}`, dialect: null, event: null, method: 'PUT', path: '/billing?v=2', bodySize: NOT_UTF8.length });
    expect(Buffer.from(fromCapture.bodyBase64, 'base64')).toEqual(NOT_UTF8);

    const fromAttempt = await api.invoke('fixtures.save', { ref: `attempt:${attempt}` });
    expect(fromAttempt).toMatchObject({
      name: `Saved from attempt:${attempt}`,
      origin: `attempt:${attempt}`,
      dialect: 'standard-webhooks',
      event: 'release.published',
      contentType: 'application/json',
    });
    expect(fromAttempt.headers).toContainEqual(['authorization', HIDDEN]);

    const key = libraryListing().find((e) => e.dialect === 'github' && e.event === 'push')!.key;
    const fromLibrary = await api.invoke('fixtures.save', { libraryKey: key });
    expect(fromLibrary).toMatchObject({ name: key, origin: `library:${key}`, dialect: 'github', event: 'push', contentType: 'application/json' });

    expect(fromDelivery.createdAt).toBeGreaterThan(T0);
    expect(new Set([fromDelivery.id, fromCapture.id, fromAttempt.id, fromLibrary.id]).size).toBe(4);
  });

  it('saves an edited copy: a header left hidden keeps its sealed value, a new credential is sealed', async () => {
    const api = await open(kind);
    const { gitlab } = await seed(api);
    const edited = await api.invoke('fixtures.save', {
      ref: String(gitlab),
      edits: {
        bodyBase64: Buffer.from('{"edited":true}').toString('base64'),
        headers: [
          ['X-Gitlab-Token', HIDDEN],
          ['Authorization', 'Bearer new-one'],
          ['X-Gitlab-Event-UUID', ''],
        ],
        event: 'Push Hook',
      },
    });
    expect(edited).toMatchObject({ name: `Edited copy of ${gitlab}`, origin: `edited delivery:${gitlab}`, event: 'Push Hook', dialect: 'gitlab' });
    expect(Buffer.from(edited.bodyBase64, 'base64').toString()).toBe('{"edited":true}');
    expect(edited.headers.map(([name]) => name)).not.toContain('X-Gitlab-Event-UUID');
    const revealed = await api.invoke('captured.reveal', { ref: `fixture:${edited.id}`, header: 'x-gitlab-token', via: 'api' });
    expect(revealed).toEqual({ ref: `fixture:${edited.id}`, header: 'X-Gitlab-Token', values: ['glt-super-secret'] });
    const [stored] = await api.query<{ headers: string }>('SELECT headers FROM fixtures WHERE id = $1', [edited.id]);
    expect(stored!.headers).not.toContain('new-one');
  });

  it('refuses what cannot be saved with the same answer, and saves nothing', async () => {
    const api = await open(kind);
    await seed(api);
    expect(await failure(api.invoke('fixtures.save', { name: 'nothing' }))).toEqual({ code: 'invalid_params', message: 'Give what to save: a delivery id, attempt:ID, or a library key.' });
    expect(await failure(api.invoke('fixtures.save', { ref: '999' }))).toEqual({ code: 'not_found', message: 'No delivery with id 999.' });
    expect(await failure(api.invoke('fixtures.save', { ref: 'attempt:999' }))).toEqual({ code: 'not_found', message: 'No attempt with id 999.' });
    expect(await failure(api.invoke('fixtures.save', { ref: 'fixture:999' }))).toEqual({ code: 'not_found', message: 'No fixture with id 999.' });
    // Beyond any row id (and beyond PostgreSQL's bigint): not there, as on SQLite.
    expect(await failure(api.invoke('fixtures.save', { ref: 'delivery:99999999999999999999' }))).toEqual({ code: 'not_found', message: 'No delivery with id 100000000000000000000.' });
    expect(await failure(api.invoke('fixtures.save', { libraryKey: 'github/nope' }))).toEqual({
      code: 'not_found',
      message: 'No built-in fixture "github/nope"; the library lists them ("hookbench fixture library").',
    });
    expect(await api.invoke('fixtures.list', {})).toEqual([]);
  });

  it('lists newest first, gets one, and removes it once however many callers ask at once', async () => {
    const api = await open(kind);
    const { gitlab, capture, attempt } = await seed(api);
    const saved = [];
    for (const ref of [String(gitlab), String(capture), `attempt:${attempt}`]) saved.push(await api.invoke('fixtures.save', { ref }));
    const listed = await api.invoke('fixtures.list', {});
    expect(listed.map((f) => f.id)).toEqual(saved.map((f) => f.id).reverse());
    expect(listed[2]).toEqual({
      id: saved[0]!.id,
      name: saved[0]!.name,
      origin: saved[0]!.origin,
      dialect: 'gitlab',
      event: 'Tag Push Hook',
      bodySize: TAG_PUSH.length,
      createdAt: saved[0]!.createdAt,
      method: null,
      path: null,
    });
    expect(await api.invoke('fixtures.get', { id: saved[1]!.id })).toEqual(saved[1]);
    expect(await failure(api.invoke('fixtures.get', { id: 424242 }))).toEqual({ code: 'not_found', message: 'No fixture with id 424242.' });
    expect(await failure(api.invoke('fixtures.get', { id: Number.MAX_SAFE_INTEGER }))).toEqual({ code: 'not_found', message: `No fixture with id ${Number.MAX_SAFE_INTEGER}.` });

    const target = saved[1]!.id;
    const answers = await Promise.allSettled(Array.from({ length: 4 }, () => api.invoke('fixtures.remove', { id: target })));
    expect(answers.filter((a) => a.status === 'fulfilled').map((a) => a.value)).toEqual([{ removed: true }]);
    for (const a of answers.filter((a) => a.status === 'rejected')) expect(a.reason).toMatchObject({ code: 'not_found', message: `No fixture with id ${target}.` });
    expect((await api.invoke('fixtures.list', {})).map((f) => f.id)).toEqual([saved[2]!.id, saved[0]!.id]);
    expect(await failure(api.invoke('fixtures.get', { id: target }))).toMatchObject({ code: 'not_found' });
  });
});

describe.each(HANDLER_STORES)('firing a fixture on the %s store', (kind) => {
  it("queues it to an endpoint as a trigger, sent with the fixture's bytes and event", async () => {
    const api = await open(kind);
    const { capture } = await seed(api);
    const sink = await startSink(() => ({ status: 204 }));
    const endpoint = await api.invoke('endpoints.add', { name: 'Sink', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
    const fixture = await api.invoke('fixtures.save', { ref: String(capture) });

    const fired = await api.invoke('fixtures.fire', { id: fixture.id, endpointId: endpoint.id });
    expect(fired.replay).toBeNull();
    expect(fired.message).toMatchObject({ endpointId: endpoint.id, event: 'fixture', source: 'trigger', attemptCount: 0 });
    expect(fired.message!.messageId).toMatch(/^msg_/);
    await api.sendNow(fired.message!.id);
    await sink.waitFor(1);
    expect(sink.received[0]!.body).toEqual(NOT_UTF8);
    expect(sink.received[0]!.header('webhook-id')).toBe(fired.message!.messageId);
    expect(sink.received[0]!.header('content-type')).toBe('application/octet-stream');

    expect(await failure(api.invoke('fixtures.fire', { id: 999, endpointId: endpoint.id }))).toEqual({ code: 'not_found', message: 'No fixture with id 999.' });
    expect(await failure(api.invoke('fixtures.fire', { id: fixture.id, endpointId: 'ep_none' }))).toEqual({ code: 'not_found', message: 'No endpoint with id ep_none.' });
    expect(await failure(api.invoke('fixtures.fire', { id: fixture.id, endpointId: endpoint.id, to: sink.url }))).toEqual({
      code: 'invalid_params',
      message: 'Fire a fixture at exactly one of: an endpoint, a URL, a package or an inbox.',
    });
    expect(await failure(api.invoke('fixtures.fire', { id: fixture.id }))).toMatchObject({ code: 'invalid_params' });
    const [queued] = await api.query<{ n: number | string }>('SELECT count(*) AS n FROM messages WHERE endpoint_id = $1', [endpoint.id]);
    expect(Number(queued!.n)).toBe(1);
  });
});

describe.each(HANDLER_STORES)('stored requests on the %s store', (kind) => {
  it('shows a delivery, an inbox capture with its forwards, an attempt and a fixture as requests, credentials masked', async () => {
    const api = await open(kind);
    const { gitlab, capture, attempt } = await seed(api);

    expect(await api.invoke('captured.get', { ref: String(gitlab) })).toEqual({
      ref: `delivery:${gitlab}`,
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Gitlab-Event', 'Tag Push Hook'],
        ['X-Gitlab-Token', HIDDEN],
        ['X-Gitlab-Event-UUID', 'uuid-1'],
      ],
      bodyBase64: TAG_PUSH.toString('base64'),
      size: TAG_PUSH.length,
      contentType: 'application/json',
      url: null,
      event: 'Tag Push Hook',
      forwards: [],
    });

    const captured = await api.invoke('captured.get', { ref: `delivery:${capture}` });
    expect(captured.bodyBase64).toBe(NOT_UTF8.toString('base64'));
    expect(captured.forwards).toEqual([
      {
        url: 'https://a.example/one',
        state: 'delivered',
        attempts: 1,
        status: 200,
        headers: [
          ['set-cookie', HIDDEN],
          ['x-ok', 'yes'],
        ],
        body: 'thanks',
        durationMs: 12,
        error: null,
        nextAttemptAt: null,
      },
      { url: 'https://b.example/two', state: 'pending', attempts: 1, status: null, headers: [], body: '', durationMs: 12, error: null, nextAttemptAt: null },
    ]);

    const sent = await api.invoke('captured.get', { ref: `attempt:${attempt}` });
    expect(sent).toMatchObject({ ref: `attempt:${attempt}`, contentType: 'application/json', event: 'release.published', forwards: [] });
    expect(sent.url).not.toContain('pw');
    expect(sent.url).not.toContain('abc');
    expect(sent.headers).toContainEqual(['authorization', HIDDEN]);
    expect(Buffer.from(sent.bodyBase64, 'base64').toString()).toBe('{"version":"1.2.0"}');

    const fixture = await api.invoke('fixtures.save', { ref: String(gitlab) });
    expect(await api.invoke('captured.get', { ref: `fixture:${fixture.id}` })).toMatchObject({ ref: `fixture:${fixture.id}`, bodyBase64: fixture.bodyBase64, headers: fixture.headers, forwards: [] });

    expect(await failure(api.invoke('captured.get', { ref: 'attempt:777' }))).toEqual({ code: 'not_found', message: 'No attempt with id 777.' });
  });

  it('reveals a credential to whoever asks and says so in the activity feed; a header in clear is shown without an entry', async () => {
    const api = await open(kind);
    const { gitlab, capture, attempt } = await seed(api);
    const before = api.events.length;

    expect(await api.invoke('captured.reveal', { ref: String(gitlab), header: 'X-GITLAB-TOKEN', via: 'cli' })).toEqual({
      ref: `delivery:${gitlab}`,
      header: 'X-Gitlab-Token',
      values: ['glt-super-secret'],
    });
    expect(await api.invoke('captured.reveal', { ref: `attempt:${attempt}`, header: 'authorization', via: 'ui' })).toEqual({
      ref: `attempt:${attempt}`,
      header: 'authorization',
      values: ['Bearer out-token'],
    });
    expect(await api.invoke('captured.reveal', { ref: String(capture), header: 'x-trace', via: 'api' })).toEqual({ ref: `delivery:${capture}`, header: 'X-Trace', values: ['plain'] });
    expect(await failure(api.invoke('captured.reveal', { ref: String(capture), header: 'X-Missing', via: 'api' }))).toEqual({
      code: 'not_found',
      message: `delivery:${capture} has no X-Missing header.`,
    });

    const published = api.events.slice(before).flatMap((e) => (e.type === 'activity' ? [e.entry] : []));
    expect(published.map((e) => [e.kind, e.message, e.packageId, e.deliveryId])).toEqual([
      ['secret_revealed', `Secret header X-Gitlab-Token of delivery #${gitlab} revealed from the CLI.`, 'pk_gl', gitlab],
      ['secret_revealed', `Secret header authorization of attempt #${attempt} revealed in the app.`, null, null],
    ]);
    const feed = await api.query<{ id: number; kind: string; message: string }>("SELECT id, kind, message FROM activity WHERE kind = 'secret_revealed' ORDER BY id");
    expect(feed.map((r) => r.message)).toEqual(published.map((e: ActivityEntry) => e.message));
  });
});

const REPO_ID = 42;

/** A GitHub package whose hook took a signed push of tag v1.0.0 (ingested as release 1.0.0), two endpoints and an inbox. */
async function seedPackage(api: HandlerStore) {
  const pkg = await api.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: String(REPO_ID) });
  const [hook] = await api.query<{ id: string }>('SELECT id FROM hooks WHERE package_id = $1', [pkg.id]);
  const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.0.0'));
  const headers = Object.entries(await githubHeaders('push', body, pkg.secret, 'gh-delivery-1'));
  const [delivery] = await seedDeliveryRows(api.query, [
    {
      hookId: hook!.id,
      packageId: pkg.id,
      receivedAt: T0,
      source: 'direct',
      headers,
      body: Buffer.from(body),
      event: 'push',
      verdict: 'valid',
      statusCode: 202,
      outcome: 'ingested',
      outcomeReason: null,
      tag: 'v1.0.0',
      providerDeliveryId: 'gh-delivery-1',
      method: null,
      path: null,
      contentType: 'application/json',
    },
  ]);
  await api.query(`INSERT INTO releases (package_id, tag, version, prerelease, status, delivery_id, created_at, updated_at) VALUES ($1, 'v1.0.0', '1.0.0', $2, 'published', $3, $4, $4)`, [
    pkg.id,
    false,
    delivery,
    T0,
  ]);
  for (const [name, events] of [
    ['shop', ['release.published']],
    ['audit', ['release.published', 'release.checks_failed']],
    ['other', ['package.created']],
  ] as const) {
    await api.invoke('endpoints.add', { name, url: 'https://hooks.example/in', dialect: 'standard-webhooks', events: [...events] });
  }
  await api.query(`INSERT INTO inboxes (id, name, dialect, secret_sealed, created_at) VALUES ('ib_inbox', 'Billing', 'none', NULL, $1)`, [T0]);
  return { pkg, hookId: hook!.id, delivery: delivery! };
}

const edited = (payload: unknown) => ({ mode: 'edit' as const, newId: true, bodyBase64: Buffer.from(JSON.stringify(payload)).toString('base64') });

describe.each(HANDLER_STORES)('replay previews on the %s store', (kind) => {
  it('says what a replay into a package would set off, on what is stored now', async () => {
    const api = await open(kind);
    const { pkg, hookId, delivery } = await seedPackage(api);

    const again = await api.invoke('replay.preview', { ref: String(delivery), mode: 'exact' });
    expect(again).toMatchObject({ targetUrl: `hookbench:/hooks/${hookId}`, method: 'POST', signedAs: null });
    expect(again.effect).toEqual({
      packageId: pkg.id,
      packageName: 'octo/widgets',
      relays: 0,
      outcome: 'duplicate',
      event: null,
      endpoints: 0,
      text: `This goes to the receiver of package octo/widgets, which already has delivery id gh-delivery-1 (delivery #${delivery}): it is recorded as a duplicate and nothing is ingested or sent. With a new delivery id it would be ingested.`,
    });

    const unchanged = await api.invoke('replay.preview', { ref: String(delivery), mode: 'exact', newId: true });
    expect(unchanged.effect).toMatchObject({ outcome: 'unchanged', endpoints: 0 });
    expect(unchanged.notes).toContain('Each send mints its own delivery id; the one shown is an example.');

    const next = await api.invoke('replay.preview', { ref: String(delivery), ...edited(githubTagPush(REPO_ID, 'v2.0.0')) });
    expect(next.signedAs).toBe('github');
    expect(next.effect).toMatchObject({ outcome: 'publishes', event: 'release.published', endpoints: 2 });
    expect(next.effect!.text).toBe('This will be ingested by package octo/widgets: tag v2.0.0 publishes release 2.0.0 and sends release.published to 2 active endpoints.');

    const older = await api.invoke('replay.preview', { ref: String(delivery), ...edited(githubTagPush(REPO_ID, '1.0.0')) });
    expect(older.effect).toMatchObject({ outcome: 'checks_failed', event: 'release.checks_failed', endpoints: 1 });
    expect(older.effect!.text).toContain('fails not-already-published and is not published');

    const deleting = await api.invoke('replay.preview', { ref: String(delivery), ...edited(githubTagDelete(REPO_ID, 'v1.0.0')) });
    expect(deleting.effect).toMatchObject({ outcome: 'tag_deleted', event: 'release.tag_deleted', endpoints: 0 });
    expect(deleting.effect!.text).toContain('marks release 1.0.0 tag-deleted');

    const forged = await api.invoke('replay.preview', { ref: String(delivery), mode: 'edit', dialect: 'github', secret: 'not-the-secret', newId: true });
    expect(forged.effect).toMatchObject({ outcome: 'rejected', endpoints: 0 });
  });

  it('makes a library sample speak for the package it is fired at, and previews an inbox capture and a URL as it would send them', async () => {
    const api = await open(kind);
    const { pkg } = await seedPackage(api);
    const key = libraryListing().find((e) => e.dialect === 'github' && e.event === 'push')!.key;
    const fixture = await api.invoke('fixtures.save', { libraryKey: key });
    const fired = await api.invoke('replay.preview', { ref: `fixture:${fixture.id}`, packageId: pkg.id, mode: 'resign' });
    expect(JSON.parse(Buffer.from(fired.bodyBase64, 'base64').toString()).repository.id).toBe(REPO_ID);
    expect(fired.effect?.packageId).toBe(pkg.id);

    const { capture, attempt } = await seed(api);
    const intoInbox = await api.invoke('replay.preview', { ref: String(capture), mode: 'exact' });
    expect(intoInbox).toMatchObject({ targetUrl: 'hookbench:/in/ib_inbox/billing?v=2', method: 'PUT', effect: null, size: NOT_UTF8.length });
    expect(intoInbox.notes).toContain('Sent with the method it was captured with: PUT.');

    const out = await api.invoke('replay.preview', { ref: `attempt:${attempt}`, to: 'https://elsewhere.example/hook', mode: 'exact' });
    expect(out).toMatchObject({ targetUrl: 'https://elsewhere.example/hook', method: 'POST', signedAs: null, effect: null });
    expect(out.headers).toContainEqual(['authorization', HIDDEN]);
  });

  it('refuses a preview it cannot make with the same answer', async () => {
    const api = await open(kind);
    const { pkg, delivery } = await seedPackage(api);
    expect(await failure(api.invoke('replay.preview', { ref: String(delivery), packageId: pkg.id, inboxId: 'ib_inbox', mode: 'exact' }))).toEqual({
      code: 'invalid_params',
      message: 'Replay to one target: a URL (to), a package (packageId) or an inbox (inboxId).',
    });
    expect(await failure(api.invoke('replay.preview', { ref: String(delivery), packageId: 'pk_none', mode: 'exact' }))).toEqual({ code: 'invalid_params', message: 'No package with id pk_none.' });
    expect(await failure(api.invoke('replay.preview', { ref: String(delivery), inboxId: 'ib_none', mode: 'exact' }))).toEqual({ code: 'not_found', message: 'No inbox with id ib_none.' });
    expect(await failure(api.invoke('replay.preview', { ref: 'fixture:5', mode: 'exact' }))).toEqual({ code: 'not_found', message: 'No fixture with id 5.' });
    expect(await failure(api.invoke('replay.preview', { ref: String(delivery), to: 'https://elsewhere.example/', mode: 'resign' }))).toEqual({
      code: 'invalid_params',
      message: 'Re-signing for a URL needs the secret the receiver expects (and a dialect when none is detected).',
    });
  });
});

describe.each(HANDLER_STORES)('replays recorded on the %s store', (kind) => {
  it('lists them newest first, by source (a bare id names a delivery), credentials masked', async () => {
    const api = await open(kind);
    const sources = ['delivery:5', 'fixture:1', 'delivery:5', 'attempt:2', 'delivery:6'];
    for (const [i, source] of sources.entries()) {
      await api.query(
        `INSERT INTO replays (source, mode, target_url, request_headers, request_body, status, response_headers, response_body, duration_ms, error, delivery_id, created_at, method)
         VALUES ($1, 'exact', $2, $3, $4, 202, $5, $6, 7, NULL, NULL, $7, $8)`,
        [
          source,
          `https://u:pw@example.com/in?token=t${i}`,
          JSON.stringify([
            ['Authorization', `Bearer b${i}`],
            ['X-N', String(i)],
          ]),
          Buffer.from(`body ${i}`),
          JSON.stringify([['content-type', 'text/plain']]),
          Buffer.from(`answer ${i}`),
          T0 + i,
          i === 3 ? 'PUT' : null,
        ],
      );
    }
    const all = await api.invoke('replay.list', { limit: 50 });
    expect(all.map((r) => r.source)).toEqual([...sources].reverse());
    expect(all[1]).toMatchObject({
      source: 'attempt:2',
      method: 'PUT',
      status: 202,
      responseBody: 'answer 3',
      requestHeaders: [
        ['Authorization', HIDDEN],
        ['X-N', '3'],
      ],
      createdAt: T0 + 3,
    });
    expect(all[1]!.targetUrl).not.toContain('pw');
    expect(all[0]!.method).toBe('POST');
    expect(Buffer.from(all[0]!.requestBodyBase64, 'base64').toString()).toBe('body 4');
    expect((await api.invoke('replay.list', { source: '5', limit: 50 })).map((r) => r.createdAt)).toEqual([T0 + 2, T0]);
    expect((await api.invoke('replay.list', { source: 'fixture:1', limit: 50 })).map((r) => r.createdAt)).toEqual([T0 + 1]);
    expect((await api.invoke('replay.list', { limit: 2 })).map((r) => r.createdAt)).toEqual([T0 + 4, T0 + 3]);
    expect(await api.invoke('replay.list', { source: 'attempt:9', limit: 50 })).toEqual([]);
  });
});
