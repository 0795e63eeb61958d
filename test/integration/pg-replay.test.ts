import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { pgDeliveryHandlers } from '../../src/main/engine/control/pg/delivery-handlers';
import { pgEndpointHandlers } from '../../src/main/engine/control/pg/endpoint-handlers';
import { pgFixtureHandlers } from '../../src/main/engine/control/pg/fixture-handlers';
import { pgInboxHandlers } from '../../src/main/engine/control/pg/inbox-handlers';
import { pgPackageHandlers } from '../../src/main/engine/control/pg/package-handlers';
import { pgReplayHandlers } from '../../src/main/engine/control/pg/replay-handlers';
import { pgSignatureHandlers } from '../../src/main/engine/control/pg/signature-handlers';
import { getDialect } from '../../src/main/engine/dialects';
import { sealHeaders } from '../../src/main/engine/secrets/header-seal';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import type { Caller } from '../../src/shared/access-types';
import { ApiError } from '../../src/shared/contract';
import { HIDDEN } from '../../src/shared/secret-headers';
import type { ActivityEntry, InboxCreated, PackageCreated, Release, ReplayView } from '../../src/shared/types';
import { HANDLER_STORES, openHandlerStore, type HandlerStore, type HandlerStoreKind } from '../helpers/handler-stores';
import { githubHeaders, githubTagPush, signedGithubTagPush } from '../helpers/payloads';
import { sharedKeyBox } from '../helpers/engine-sites';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { startSink } from '../helpers/sink';
import { seedDeliveryRows } from '../helpers/store-seed';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

const open = (kind: HandlerStoreKind) =>
  openHandlerStore(kind, cluster, [pgReplayHandlers, pgFixtureHandlers, pgSignatureHandlers, pgPackageHandlers, pgInboxHandlers, pgDeliveryHandlers, pgEndpointHandlers]);

const OPERATOR: Caller = { name: 'ops', role: 'operator', address: '10.0.0.7' };
const T0 = 1_764_000_000_000;
const REPO_ID = 42;
const INVOICE = Buffer.from('{"type":"invoice.paid","data":{"id":"in_1"}}');

/** How a call failed, as a caller sees it. */
async function failure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

const replayed = (api: HandlerStore, from = 0): ActivityEntry[] => api.events.slice(from).flatMap((e) => (e.type === 'activity' && e.entry.kind === 'replayed' ? [e.entry] : []));

const answerOf = (replay: ReplayView) => JSON.parse(replay.responseBody) as Record<string, unknown>;

/**
 * A GitHub package whose hook took a signed push of v1.0.0, a GitLab delivery whose token is
 * sealed at rest, and a signed inbox capture (a PUT to a sub-path with a query).
 */
async function seed(api: HandlerStore) {
  const pkg = await api.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: String(REPO_ID) });
  const [hook] = await api.query<{ id: string }>('SELECT id FROM hooks WHERE package_id = $1', [pkg.id]);
  const inbox = await api.invoke('inboxes.add', { name: 'Billing', dialect: 'standard-webhooks' });
  const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.0.0'));
  const signedInvoice = getDialect('standard-webhooks').sign(INVOICE, inbox.secret!, { timestamp: Math.floor(Date.now() / 1000), id: 'msg_inv_1' });
  const common = { source: 'direct' as const, outcomeReason: null, contentType: 'application/json' };
  const [push, gitlab, capture] = await seedDeliveryRows(api.query, [
    {
      ...common,
      hookId: hook!.id,
      packageId: pkg.id,
      receivedAt: T0,
      headers: Object.entries(await githubHeaders('push', body, pkg.secret, 'gh-delivery-1')),
      body: Buffer.from(body),
      event: 'push',
      verdict: 'valid',
      statusCode: 202,
      outcome: 'ingested',
      tag: 'v1.0.0',
      providerDeliveryId: 'gh-delivery-1',
      method: null,
      path: null,
    },
    {
      ...common,
      hookId: 'hk_gone',
      packageId: 'pk_gone',
      receivedAt: T0 + 1000,
      headers: sealHeaders(api.box, [
        ['Content-Type', 'application/json'],
        ['X-Gitlab-Event', 'Tag Push Hook'],
        ['X-Gitlab-Token', 'glt-super-secret'],
      ]),
      body: Buffer.from('{"ref":"refs/tags/v1.2.0"}'),
      event: 'Tag Push Hook',
      verdict: 'valid',
      statusCode: 202,
      outcome: 'ingested',
      tag: 'v1.2.0',
      providerDeliveryId: 'uuid-1',
      method: null,
      path: null,
    },
    {
      ...common,
      hookId: inbox.id,
      packageId: null,
      // Signed now: its timestamp is checked against when it came.
      receivedAt: Date.now(),
      headers: [['Content-Type', 'application/json'], ...Object.entries(signedInvoice.headers)],
      body: INVOICE,
      event: 'invoice.paid',
      verdict: 'valid',
      statusCode: 200,
      outcome: 'captured',
      tag: null,
      providerDeliveryId: 'msg_inv_1',
      method: 'PUT',
      path: '/billing?v=2',
    },
  ]);
  return { pkg, hookId: hook!.id, inbox, push: push!, gitlab: gitlab!, capture: capture! };
}

describe.each(HANDLER_STORES)('replays on the %s store', (kind) => {
  it('sends to a URL with the credentials opened, records it masked and says so in the feed', async () => {
    const api = await open(kind);
    const { gitlab, capture } = await seed(api);
    const sink = await startSink(() => ({ status: 201, headers: { 'set-cookie': 'sid=1', 'x-seen': 'yes' }, body: 'thanks' }));
    const before = api.events.length;

    const replay = await api.invoke('replay.run', { ref: String(gitlab), to: `${sink.url}/in?key=abc`, mode: 'exact' });
    expect(sink.received[0]!.header('x-gitlab-token')).toBe('glt-super-secret');
    expect(sink.received[0]!.body.toString()).toBe('{"ref":"refs/tags/v1.2.0"}');
    expect(replay).toMatchObject({ source: `delivery:${gitlab}`, mode: 'exact', method: 'POST', status: 201, error: null, deliveryId: null, responseBody: 'thanks' });
    expect(replay.targetUrl).toBe(`${sink.url}/in?key=${HIDDEN}`);
    expect(replay.requestHeaders).toContainEqual(['X-Gitlab-Token', HIDDEN]);
    expect(replay.responseHeaders).toContainEqual(['set-cookie', HIDDEN]);
    const [row] = await api.query<{ request_headers: string; target_url: string }>('SELECT request_headers, target_url FROM replays WHERE id = $1', [replay.id]);
    expect(row!.request_headers).not.toContain('glt-super-secret');
    expect(row!.target_url).toBe(`${sink.url}/in?key=abc`);

    // An inbox capture goes with its method, and its path after the URL's own.
    const out = await api.invoke('replay.run', { ref: String(capture), to: sink.url, mode: 'exact' });
    expect(sink.received[1]).toMatchObject({ method: 'PUT', path: '/billing?v=2' });
    expect(sink.received[1]!.body).toEqual(INVOICE);

    expect(replayed(api, before).map((e) => [e.message, e.packageId, e.deliveryId])).toEqual([
      [`delivery:${gitlab} replayed (exact) to ${sink.url}/in: answered 201.`, null, null],
      [`delivery:${capture} replayed (exact) to ${sink.url}/billing: answered 201.`, null, null],
    ]);
    expect((await api.invoke('replay.list', { limit: 10 })).map((r) => r.id)).toEqual([out.id, replay.id]);
    const feed = await api.query<{ message: string }>("SELECT message FROM activity WHERE kind = 'replayed' ORDER BY id");
    expect(feed.map((r) => r.message)).toEqual(replayed(api, before).map((e) => e.message));
  });

  it('an unreachable URL is recorded as a failed send, not an error', async () => {
    const api = await open(kind);
    const { push } = await seed(api);
    const gone = 'http://127.0.0.1:9';
    const replay = await api.invoke('replay.run', { ref: String(push), to: gone, mode: 'exact' });
    expect(replay.status).toBeNull();
    expect(replay.error).toMatch(/ECONNREFUSED|connect/i);
    expect(replayed(api).at(-1)!.message).toBe(`delivery:${push} replayed (exact) to ${gone}/: failed: ${replay.error}.`);
  });

  it('goes back into its package: a kept id is a repeat, a new id re-signed with the package secret is taken', async () => {
    const api = await open(kind);
    const { pkg, hookId, push } = await seed(api);

    const again = await api.invoke('replay.run', { ref: String(push), mode: 'exact' });
    expect(again).toMatchObject({ targetUrl: `hookbench:/hooks/${hookId}`, status: 200, method: 'POST' });
    expect(answerOf(again)).toEqual({ ok: true, duplicate: true, delivery: again.deliveryId, duplicateOf: push });
    expect(await api.invoke('deliveries.get', { id: again.deliveryId! })).toMatchObject({ hookId, packageId: pkg.id, source: 'replay', duplicateOf: push, verdict: 'valid' });
    const [row] = await api.query<{ replay_of: string }>('SELECT replay_of FROM deliveries WHERE id = $1', [again.deliveryId]);
    expect(row!.replay_of).toBe(`delivery:${push}`);

    const edited = Buffer.from(JSON.stringify(githubTagPush(REPO_ID, 'v2.0.0')));
    const fresh = await api.invoke('replay.run', { ref: String(push), mode: 'edit', newId: true, bodyBase64: edited.toString('base64') });
    expect(fresh.status).toBe(202);
    expect(answerOf(fresh)).toEqual({ ok: true, delivery: fresh.deliveryId, outcome: 'pending', reason: null });
    const taken = await api.invoke('deliveries.get', { id: fresh.deliveryId! });
    expect(taken).toMatchObject({ verdict: 'valid', tag: 'v2.0.0', source: 'replay', duplicateOf: null });
    expect(Buffer.from(taken.bodyBase64, 'base64')).toEqual(edited);

    // Signed with a secret the package does not hold, it is refused and recorded as such.
    const forged = await api.invoke('replay.run', { ref: String(push), mode: 'edit', newId: true, dialect: 'github', secret: 'not-the-secret' });
    expect(forged.status).toBe(403);
    expect(answerOf(forged)).toMatchObject({ error: 'signature_invalid', delivery: forged.deliveryId });

    expect(replayed(api).map((e) => [e.message, e.packageId, e.deliveryId])).toEqual([
      [`delivery:${push} replayed (exact) into this package's receiver: answered 200, stored as delivery #${again.deliveryId}.`, pkg.id, again.deliveryId],
      [`delivery:${push} replayed (edit) into this package's receiver: answered 202, stored as delivery #${fresh.deliveryId}.`, pkg.id, fresh.deliveryId],
      [`delivery:${push} replayed (edit) into this package's receiver: answered 403, stored as delivery #${forged.deliveryId}.`, pkg.id, forged.deliveryId],
    ]);
  });

  it('goes into another package by id, and refuses a package or capture it cannot place', async () => {
    const api = await open(kind);
    const { gitlab, push } = await seed(api);
    const other = await api.invoke('packages.add', { provider: 'github', repo: 'octo/gadgets', repoId: '43' });
    const [otherHook] = await api.query<{ id: string }>('SELECT id FROM hooks WHERE package_id = $1', [other.id]);
    const into = await api.invoke('replay.run', { ref: String(push), packageId: other.id, mode: 'resign', newId: true });
    expect(into).toMatchObject({ targetUrl: `hookbench:/hooks/${otherHook!.id}` });
    expect(await api.invoke('deliveries.get', { id: into.deliveryId! })).toMatchObject({ packageId: other.id, verdict: 'valid' });

    expect(await failure(api.invoke('replay.run', { ref: String(push), packageId: 'pk_none', mode: 'exact' }))).toEqual({ code: 'invalid_params', message: 'No package with id pk_none.' });
    expect(await failure(api.invoke('replay.run', { ref: String(gitlab), mode: 'exact' }))).toEqual({
      code: 'invalid_params',
      message: `delivery:${gitlab} was not received by a hook that still exists; give a package or a URL to replay to.`,
    });
    expect(await failure(api.invoke('replay.run', { ref: '999', mode: 'exact' }))).toEqual({ code: 'not_found', message: 'No delivery with id 999.' });
    expect(await failure(api.invoke('replay.run', { ref: String(push), packageId: other.id, to: 'https://x.example/', mode: 'exact' }))).toEqual({
      code: 'invalid_params',
      message: 'Replay to one target: a URL (to), a package (packageId) or an inbox (inboxId).',
    });
    expect(await failure(api.invoke('replay.run', { ref: String(push), to: 'https://x.example/', mode: 'resign' }))).toEqual({
      code: 'invalid_params',
      message: 'Re-signing for a URL needs the secret the receiver expects (and a dialect when none is detected).',
    });
    const [{ n }] = (await api.query<{ n: number | string }>('SELECT count(*) AS n FROM replays')) as [{ n: number | string }];
    expect(Number(n)).toBe(1);
  });

  it('goes back into its inbox with its method and path, re-signed with the inbox secret, or into another inbox', async () => {
    const api = await open(kind);
    const { inbox, capture } = await seed(api);

    const exact = await api.invoke('replay.run', { ref: String(capture), mode: 'exact' });
    expect(exact).toMatchObject({ targetUrl: `hookbench:/in/${inbox.id}/billing?v=2`, method: 'PUT', status: 200 });
    expect(answerOf(exact)).toMatchObject({ ok: true, capture: exact.deliveryId, verdict: 'valid' });
    expect(await api.invoke('deliveries.get', { id: exact.deliveryId! })).toMatchObject({
      hookId: inbox.id,
      method: 'PUT',
      path: '/billing?v=2',
      source: 'replay',
      verdict: 'valid',
      duplicateOf: capture,
    });

    const resigned = await api.invoke('replay.run', { ref: String(capture), mode: 'resign', newId: true });
    expect(await api.invoke('deliveries.get', { id: resigned.deliveryId! })).toMatchObject({ hookId: inbox.id, verdict: 'valid', duplicateOf: null });

    const plain = await api.invoke('inboxes.add', { name: 'Plain', dialect: 'none' });
    expect(await failure(api.invoke('replay.run', { ref: String(capture), mode: 'resign', inboxId: plain.id }))).toEqual({
      code: 'invalid_params',
      message: 'Inbox Plain checks no signature: give a dialect and a secret to re-sign, or replay it exact.',
    });
    const into = await api.invoke('replay.run', { ref: String(capture), mode: 'exact', inboxId: plain.id });
    expect(into.targetUrl).toBe(`hookbench:/in/${plain.id}/billing?v=2`);
    expect(await api.invoke('deliveries.get', { id: into.deliveryId! })).toMatchObject({ hookId: plain.id, verdict: 'unchecked' });
    expect(await failure(api.invoke('replay.run', { ref: String(capture), mode: 'exact', inboxId: 'in_nothere' }))).toEqual({ code: 'not_found', message: 'No inbox with id in_nothere.' });

    expect(replayed(api).map((e) => e.message)).toEqual([
      `delivery:${capture} replayed (exact) into inbox ${inbox.id}: answered 200, stored as capture #${exact.deliveryId}.`,
      `delivery:${capture} replayed (resign) into inbox ${inbox.id}: answered 200, stored as capture #${resigned.deliveryId}.`,
      `delivery:${capture} replayed (exact) into inbox ${plain.id}: answered 200, stored as capture #${into.deliveryId}.`,
    ]);
  });

  it('an operator may replay into Hookbench, but only an admin may send a credential to an outside URL', async () => {
    const api = await open(kind);
    const { gitlab, push, pkg } = await seed(api);
    const sink = await startSink();
    expect(await failure(api.invoke('replay.run', { ref: String(gitlab), to: sink.url, mode: 'exact' }, OPERATOR))).toEqual({
      code: 'forbidden',
      message: 'This request carries X-Gitlab-Token: sent to an outside URL it would hand over a secret, which only an admin may do. Replay it into its package instead, or ask an admin.',
    });
    expect(sink.received).toHaveLength(0);
    expect(await api.invoke('replay.run', { ref: String(gitlab), packageId: pkg.id, mode: 'exact' }, OPERATOR)).toMatchObject({ status: 403 });
    expect(await api.invoke('replay.run', { ref: String(push), to: sink.url, mode: 'exact' }, OPERATOR)).toMatchObject({ status: 200 });
  });
});

describe.each(HANDLER_STORES)('firing a fixture beyond an endpoint on the %s store', (kind) => {
  it('at a URL, a package (signed with its secret) and an inbox, as a replay of the fixture', async () => {
    const api = await open(kind);
    const { pkg, hookId, inbox, push, capture, gitlab } = await seed(api);
    const sink = await startSink(() => ({ status: 204 }));
    const fromPush = await api.invoke('fixtures.save', { ref: String(push) });
    const fromCapture = await api.invoke('fixtures.save', { ref: String(capture) });

    const atUrl = await api.invoke('fixtures.fire', { id: fromPush.id, to: sink.url });
    expect(atUrl.message).toBeNull();
    expect(atUrl.replay).toMatchObject({ source: `fixture:${fromPush.id}`, mode: 'exact', status: 204 });
    expect(sink.received[0]!.body.toString()).toBe(Buffer.from(fromPush.bodyBase64, 'base64').toString());

    const atPackage = await api.invoke('fixtures.fire', { id: fromPush.id, packageId: pkg.id });
    // Re-signed, with the delivery id it was saved with: a repeat of the push it was saved from.
    expect(atPackage.replay).toMatchObject({ mode: 'resign', targetUrl: `hookbench:/hooks/${hookId}`, status: 200 });
    expect(await api.invoke('deliveries.get', { id: atPackage.replay!.deliveryId! })).toMatchObject({ verdict: 'valid', source: 'replay', duplicateOf: push });

    const atInbox = await api.invoke('fixtures.fire', { id: fromCapture.id, inboxId: inbox.id, mode: 'resign' });
    expect(atInbox.replay).toMatchObject({ targetUrl: `hookbench:/in/${inbox.id}/billing?v=2`, method: 'PUT', status: 200 });
    expect(await api.invoke('deliveries.get', { id: atInbox.replay!.deliveryId! })).toMatchObject({ hookId: inbox.id, method: 'PUT', verdict: 'valid' });

    expect(replayed(api).map((e) => [e.message, e.packageId])).toEqual([
      [`fixture:${fromPush.id} replayed (exact) to ${sink.url}/: answered 204.`, null],
      [`fixture:${fromPush.id} replayed (resign) into this package's receiver: answered 200, stored as delivery #${atPackage.replay!.deliveryId}.`, pkg.id],
      [`fixture:${fromCapture.id} replayed (resign) into inbox ${inbox.id}: answered 200, stored as capture #${atInbox.replay!.deliveryId}.`, null],
    ]);

    // A fixture holding a credential goes outside only for an admin; nothing is sent for anyone else.
    const withToken = await api.invoke('fixtures.save', { ref: String(gitlab) });
    expect(await failure(api.invoke('fixtures.fire', { id: withToken.id, to: sink.url }, OPERATOR))).toMatchObject({ code: 'forbidden' });
    expect(sink.received).toHaveLength(1);
    expect(await failure(api.invoke('fixtures.fire', { id: fromPush.id, to: sink.url, packageId: pkg.id }))).toEqual({
      code: 'invalid_params',
      message: 'Fire a fixture at exactly one of: an endpoint, a URL, a package or an inbox.',
    });
    expect(await failure(api.invoke('fixtures.fire', { id: 999, to: sink.url }))).toEqual({ code: 'not_found', message: 'No fixture with id 999.' });
  });
});

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe.each(HANDLER_STORES)('the signature debugger on the %s store', (kind) => {
  it('signs and checks a pasted request, refusing an unknown dialect and a hidden signature with the same words', async () => {
    const api = await open(kind);
    const body = '{"zen":"Keep it logically awesome."}';
    const signed = await api.invoke('signature.sign', { dialect: 'github', secret: 's3cret', bodyBase64: b64(body), id: 'd-1', event: 'push' });
    expect(signed.headers['X-Hub-Signature-256']).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
    const headers = Object.entries(signed.headers);

    expect(await api.invoke('signature.diagnose', { headers, bodyBase64: b64(body), secrets: ['s3cret'] })).toMatchObject({ dialect: 'github', verdict: 'valid' });
    expect(await api.invoke('signature.diagnose', { headers, bodyBase64: b64(body), secrets: ['other'] })).toMatchObject({ verdict: 'invalid' });
    expect(await failure(api.invoke('signature.sign', { dialect: 'carrier-pigeon', secret: 's', bodyBase64: '' }))).toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/Unknown dialect/),
    });
    const hidden: [string, string][] = [
      ['X-Gitlab-Event', 'Push Hook'],
      ['X-Gitlab-Token', HIDDEN],
    ];
    expect(await failure(api.invoke('signature.diagnose', { headers: hidden, bodyBase64: b64(body), secrets: ['s3cret'] }))).toEqual({
      code: 'invalid_params',
      message: `X-Gitlab-Token reads "${HIDDEN}": it was copied from a view that hides credentials, so there is nothing to check. Use Diagnose on the delivery itself, or reveal the header there and paste its value.`,
    });
  });

  it('diagnoses a stored delivery against its own secret, then every other one held, naming it and never giving it back', async () => {
    const api = await open(kind);
    const { pkg, hookId, push, inbox, capture } = await seed(api);
    const other = await api.invoke('packages.add', { provider: 'github', repo: 'octo/gadgets', repoId: '43' });
    const endpoint = await api.invoke('endpoints.add', { name: 'Ops', url: 'https://hooks.example/in', dialect: 'github', events: ['release.published'] });
    const body = JSON.stringify(githubTagPush(REPO_ID, 'v1.1.0'));
    const stray = async (secret: string, id: string) => ({
      hookId,
      packageId: pkg.id,
      receivedAt: T0 + 5000,
      source: 'direct' as const,
      headers: Object.entries(await githubHeaders('push', body, secret, id)),
      body: Buffer.from(body),
      event: 'push',
      verdict: 'invalid' as const,
      statusCode: 403,
      outcome: 'rejected' as const,
      outcomeReason: 'Signature invalid',
      tag: null,
      providerDeliveryId: id,
      method: null,
      path: null,
      contentType: 'application/json',
    });
    const [byOther, byEndpoint, forged] = await seedDeliveryRows(api.query, [await stray(other.secret, 'gh-2'), await stray(endpoint.secret, 'gh-3'), await stray('nobody-has-this', 'gh-4')]);

    expect(await api.invoke('deliveries.diagnose', { id: push })).toMatchObject({ verdict: 'valid', dialect: 'github', matchedSecret: 'this hook\u2019s secret' });
    const wrong = await api.invoke('deliveries.diagnose', { id: byOther! });
    expect(wrong).toMatchObject({ cause: 'wrong_secret', matchedSecret: 'the secret of package "octo/gadgets"' });
    expect(JSON.stringify(wrong)).not.toContain(other.secret);
    expect(await api.invoke('deliveries.diagnose', { id: byEndpoint! })).toMatchObject({ cause: 'wrong_secret', matchedSecret: 'the secret of endpoint "Ops"' });
    expect(await api.invoke('deliveries.diagnose', { id: capture })).toMatchObject({ verdict: 'valid', dialect: 'standard-webhooks', matchedSecret: 'this inbox\u2019s secret' });
    await api.invoke('inboxes.rotate', { id: inbox.id, overlapSeconds: 3600 });
    expect((await api.invoke('deliveries.diagnose', { id: capture })).matchedSecret).toMatch(/^this inbox’s previous secret \(still accepted during the rotation, until /);

    // The signature a held secret would give a forged delivery is shown to an admin only.
    const asAdmin = await api.invoke('deliveries.diagnose', { id: forged! });
    expect(asAdmin.verdict).toBe('invalid');
    expect(asAdmin.expected).not.toBeNull();
    const asOperator = await api.invoke('deliveries.diagnose', { id: forged! }, OPERATOR);
    expect(asOperator.expected).toBeNull();
    expect(JSON.stringify(asOperator)).not.toContain(asAdmin.expected!);

    // An edited copy is checked with the stored secrets; a header left hidden takes the stored value.
    const stored = await api.invoke('deliveries.get', { id: push });
    const edits = { headers: stored.headers, bodyBase64: b64('{"edited":true}'), storedSecretsOf: push };
    const editedAsAdmin = await api.invoke('signature.diagnose', edits);
    expect(editedAsAdmin).toMatchObject({ verdict: 'invalid', dialect: 'github' });
    expect(editedAsAdmin.expected).toBe(`sha256=${createHmac('sha256', pkg.secret).update('{"edited":true}').digest('hex')}`);
    expect((await api.invoke('signature.diagnose', edits, OPERATOR)).expected).toBeNull();

    expect(await failure(api.invoke('deliveries.diagnose', { id: 999 }))).toEqual({ code: 'not_found', message: 'No delivery with id 999.' });
    expect(await failure(api.invoke('signature.diagnose', { ...edits, storedSecretsOf: 999 }))).toEqual({ code: 'not_found', message: 'No delivery with id 999.' });
  });
});

describe('replays on two team server instances', () => {
  it("a delivery taken by one is replayed through the other's receiver, ingested there, diagnosed and deleted; an inbox added a moment ago on one takes a replay through the other", async () => {
    const url = cluster.createDatabase('team_replays');
    const key = randomBytes(32);
    const box = sharedKeyBox(key);
    const [a, b] = await Promise.all([createTeamEngine({ url, box }), createTeamEngine({ url, box })]);
    onTestFinished(() => Promise.all([a.close(), b.close()]).then(() => undefined));
    const receiverB = await b.startReceiver({ port: 0 });
    await Promise.all([a.startWorkers(), b.startWorkers()]);

    const pkg = (await a.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: String(REPO_ID) })) as PackageCreated;
    const hookId = pkg.hookUrl.split('/hooks/')[1]!;
    const push = signedGithubTagPush(pkg.secret, REPO_ID, 'v1.0.0');
    const taken = await fetch(`${receiverB}/hooks/${hookId}`, { method: 'POST', headers: push.headers, body: push.body });
    expect(taken.status).toBe(202);
    const { delivery } = (await taken.json()) as { delivery: number };

    const edited = Buffer.from(JSON.stringify(githubTagPush(REPO_ID, 'v2.0.0')));
    const replay = (await a.invoke('replay.run', { ref: String(delivery), mode: 'edit', newId: true, bodyBase64: edited.toString('base64') })) as ReplayView;
    expect(replay).toMatchObject({ targetUrl: `hookbench:/hooks/${hookId}`, status: 202 });
    await waitUntil(
      async () => (await b.invoke('releases.list', { packageId: pkg.id })) as Release[],
      (releases) => releases.length === 2,
    );
    expect(await b.invoke('deliveries.diagnose', { id: replay.deliveryId! })).toMatchObject({ verdict: 'valid', matchedSecret: 'this hook\u2019s secret' });
    expect(await b.invoke('deliveries.delete', { ids: [delivery, replay.deliveryId!] })).toMatchObject({ matched: 2, deleted: 0, keptCount: 2 });

    const inbox = (await b.invoke('inboxes.add', { name: 'Fresh', dialect: 'none' })) as InboxCreated;
    const into = (await a.invoke('replay.run', { ref: String(delivery), mode: 'exact', inboxId: inbox.id })) as ReplayView;
    expect(into).toMatchObject({ targetUrl: `hookbench:/in/${inbox.id}`, status: 200 });
    expect(await b.invoke('inboxes.captures', { id: inbox.id, limit: 10 })).toMatchObject([{ id: into.deliveryId, source: 'replay' }]);
  });
});
