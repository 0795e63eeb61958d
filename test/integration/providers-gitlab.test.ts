import { describe, expect, it } from 'vitest';
import type { CatchUpResult, ConnectionAdded, DeliveryDetail, DeliverySummary, HookRotation, PackageConnected, PingResult, ProviderDeliveries, Release } from '../../src/shared/types';
import { gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import { post } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type EngineKind } from '../helpers/engine-sites';
import { fakeGitLab, nextActivity, pkg, providerSite } from '../fakes/harness';

const PROJECT = 'group/widgets';
const PROJECT_ID = 278964;

const startSite = engineSites();

async function setup(kind: EngineKind, options: Parameters<typeof fakeGitLab>[0] = {}) {
  const gl = await fakeGitLab(options);
  gl.addToken('glpat-good', { username: 'maintainer', scopes: ['api'] });
  gl.addProject(PROJECT, { id: PROJECT_ID, members: { maintainer: 40, developer: 30, reader: 40 } });
  const { engine, receiverUrl } = await providerSite(startSite, kind);
  const connect = (token: string) => engine.invoke('connections.add', { provider: 'gitlab', token, baseUrl: gl.url }) as Promise<ConnectionAdded>;
  const add = async (token = 'glpat-good') => engine.invoke('packages.addFromConnection', { connectionId: (await connect(token)).id, repo: PROJECT }) as Promise<PackageConnected>;
  return { gl, engine, receiverUrl, connect, add };
}

describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('GitLab connections and hooks', () => {
    it('checks the token (user, scopes, server version) on a self-managed server', async () => {
      const t = await setup(kind);
      const conn = await t.connect('glpat-good');
      expect(conn).toMatchObject({ provider: 'gitlab', baseUrl: `${t.gl.url}/api/v4`, login: 'maintainer', scopes: ['api'], canManageHooks: true, serverVersion: '17.6.0', warnings: [] });
      expect(t.gl.log[0]!.headers['private-token']).toBe('glpat-good');
      await expect(t.connect('glpat-bad')).rejects.toThrow(/GitLab rejected the token of the new token \(HTTP 401: 401 Unauthorized\)/);
      t.gl.addToken('glpat-read', { username: 'maintainer', scopes: ['read_api'] });
      const read = await t.connect('glpat-read');
      expect(read.warnings[0]).toMatch(/scopes \(read_api\) do not include api/);
      t.gl.addToken('glpat-old', { username: 'maintainer', scopes: ['api'], selfEndpoint: false });
      expect((await t.connect('glpat-old')).warnings[0]).toMatch(/GitLab did not say what this token may do/);
    });

    it("creates a tag-push hook with the token and signing token; GitLab's delivery verifies and ingests", async () => {
      const t = await setup(kind, { supportsSigning: true });
      const created = await t.add();
      expect(created).toMatchObject({ registered: true, repo: PROJECT, repoId: String(PROJECT_ID) });
      expect(t.gl.log.find((r) => r.method === 'POST')).toMatchObject({
        path: `/projects/${PROJECT_ID}/hooks`,
        body: { url: created.hookUrl, token: created.secret, push_events: false, tag_push_events: true, enable_ssl_verification: true, signing_token: created.signingToken },
      });
      expect(created.hook.statusReason).toMatch(/Created on GitLab as hook \d+; the next tag push confirms it/);
      const [hook] = t.gl.project(PROJECT_ID).hooks;
      expect(hook).toMatchObject({ token: created.secret, signingToken: created.signingToken });

      const released = t.engine.bus.waitFor((e) => e.type === 'release');
      const [sent] = await t.gl.pushTags(PROJECT_ID, ['v1.2.0']);
      expect(sent!.status).toBe(202);
      expect(sent!.headers['webhook-signature']).toMatch(/^v1,/);
      await released;
      const [delivery] = (await t.engine.invoke('deliveries.list', { packageId: created.id })) as DeliverySummary[];
      expect(delivery).toMatchObject({ verdict: 'valid', outcome: 'ingested', tag: 'v1.2.0' });
      expect(((await t.engine.invoke('releases.list', { packageId: created.id })) as Release[]).map((r) => r.version)).toEqual(['1.2.0']);
    });

    it('saves the package without a hook below Maintainer or without the api scope, saying which', async () => {
      const t = await setup(kind);
      t.gl.addToken('glpat-dev', { username: 'developer', scopes: ['api'] });
      t.gl.addToken('glpat-read', { username: 'reader', scopes: ['read_api'] });
      const dev = await t.add('glpat-dev');
      expect(dev.registered).toBe(false);
      expect(dev.hook.statusReason).toMatch(/GitLab refused to create the hook on group\/widgets \(HTTP 403: 403 Forbidden\): developer is not a Maintainer \(or Owner\) of group\/widgets/);
      // One package per repository: the first goes before the next token is tried.
      await t.engine.invoke('packages.remove', { id: dev.id });
      const read = await t.add('glpat-read');
      expect(read.hook.statusReason).toMatch(/HTTP 403: insufficient_scope\): the token's scopes \(read_api\) do not include api\. Fix: create a personal access token with the api scope/);
      expect(t.gl.project(PROJECT_ID).hooks).toHaveLength(0);
    });

    it('rotates: the old token verifies until the new hook exists, then only the new one does', async () => {
      const t = await setup(kind);
      const created = await t.add();
      const send = async (token: string, tag: string) => {
        const body = JSON.stringify(gitlabTagPush(PROJECT_ID, tag));
        return (await post(created.hookUrl, body, gitlabHeaders('Tag Push Hook', token))).status;
      };
      const held = t.gl.hold('POST', /^\/projects\/\d+\/hooks$/);
      const rotating = t.engine.invoke('packages.rotate', { id: created.id }) as Promise<HookRotation>;
      await held.reached;
      expect(await send(created.secret, 'v1.0.0')).toBe(202);
      held.release();
      const rotation = await rotating;
      expect(rotation.completed).toBe(true);
      expect(t.gl.project(PROJECT_ID).hooks.map((h) => h.token)).toEqual([rotation.secret]);
      expect(await send(created.secret, 'v1.0.1')).toBe(403);
      expect(await send(rotation.secret, 'v1.0.2')).toBe(202);
    });

    it("pings with a test push (GitLab has no ping), lists GitLab's webhook events beside Hookbench's copies", async () => {
      const t = await setup(kind);
      const created = await t.add();
      const ping = (await t.engine.invoke('packages.ping', { id: created.id, waitMs: 5000 })) as PingResult;
      expect(t.gl.log.some((r) => r.method === 'POST' && r.path === `/projects/${PROJECT_ID}/hooks/${created.hook.providerHookId}/test/push_events`)).toBe(true);
      expect(ping).toMatchObject({ arrived: true, verified: true, delivery: { verdict: 'valid', outcome: 'ignored', event: 'Push Hook' } });
      expect(ping.message).toMatch(/test push arrived as delivery #\d+ and its signature verified/);
      expect((await pkg(t.engine, created.id)).hook).toMatchObject({ status: 'active', statusReason: 'Test push received and verified.' });

      await t.gl.pushTags(PROJECT_ID, ['v1.0.0']);
      const list = (await t.engine.invoke('packages.providerDeliveries', { id: created.id, limit: 10 })) as ProviderDeliveries;
      expect(list).toMatchObject({ provider: 'gitlab', supported: true });
      // Newest first, matched to Hookbench's record by Idempotency-Key; GitLab gives no time, the receiver's Date stands in.
      expect(list.deliveries.map((d) => [d.event, d.statusCode])).toEqual([
        ['Tag Push Hook', 202],
        ['Push Hook', 202],
      ]);
      expect(list.deliveries[0]!.hookbench).toMatchObject({ tag: 'v1.0.0', verdict: 'valid' });
      expect(list.deliveries[1]!.hookbench).toMatchObject({ id: ping.delivery!.id });
      expect(list.deliveries[0]!.deliveredAt).toEqual(expect.any(Number));
    });

    it('resends the events GitLab failed to deliver, then reconciles tags it never sent', async () => {
      const t = await setup(kind);
      const created = await t.add();
      // The workstation was off: GitLab's attempts failed.
      t.gl.state.outage = true;
      const [missed] = await t.gl.pushTags(PROJECT_ID, ['v1.0.0']);
      t.gl.state.outage = false;
      t.gl.project(PROJECT_ID).tags.push({ name: 'v1.1.0', sha: 'd'.repeat(40) });

      const result = (await t.engine.invoke('packages.catchUp', { id: created.id })) as CatchUpResult;
      expect(t.gl.log.some((r) => r.method === 'POST' && r.path === `/projects/${PROJECT_ID}/hooks/${created.hook.providerHookId}/events/${missed!.id}/resend`)).toBe(true);
      expect(result.redelivered).toEqual([{ guid: missed!.headers['idempotency-key'], providerDeliveryId: String(missed!.id), event: 'Tag Push Hook', tag: 'v1.0.0' }]);
      expect(result.messages[0]).toBe('GitLab redelivered 1 of 1 failed deliveries.');
      // GitLab's own copy, token and all, under the original Idempotency-Key.
      const copies = (await t.engine.invoke('deliveries.list', { packageId: created.id, source: 'direct' })) as DeliverySummary[];
      expect(copies).toMatchObject([{ providerDeliveryId: missed!.headers['idempotency-key'], verdict: 'valid', outcome: 'ingested', tag: 'v1.0.0' }]);
      expect(result.reconciled.map((r) => r.tag)).toEqual(['v1.1.0']);
    });

    it('on a GitLab without the events and test APIs, says which version brings them and still reconciles', async () => {
      const t = await setup(kind, { version: '16.10.0' });
      const created = await t.add();
      await expect(t.engine.invoke('packages.ping', { id: created.id })).rejects.toThrow(
        /This GitLab server has no hook test API \(it came with GitLab 16\.11\)\. Use group\/widgets → Settings → Webhooks/,
      );
      await expect(t.engine.invoke('packages.providerDeliveries', { id: created.id })).rejects.toThrow(/no webhook events API \(it came with GitLab 17\.3\)/);
      t.gl.project(PROJECT_ID).tags.push({ name: 'v2.0.0', sha: 'e'.repeat(40) });
      const result = (await t.engine.invoke('packages.catchUp', { id: created.id })) as CatchUpResult;
      expect(result.messages[0]).toMatch(/no webhook events API .* Tags are reconciled instead\./);
      expect(result.reconciled.map((r) => r.tag)).toEqual(['v2.0.0']);
    });

    it('reconciles tags across pages of the tags API, oldest version first', async () => {
      const t = await setup(kind);
      const created = await t.add();
      const names = Array.from({ length: 103 }, (_, i) => `v1.0.${i}`);
      for (const name of ['v0.9.0', ...names, 'latest']) t.gl.project(PROJECT_ID).tags.push({ name, sha: 'c'.repeat(40) });
      const reconciled = nextActivity(t.engine, 'reconciled', created.id);
      const result = (await t.engine.invoke('packages.catchUp', { id: created.id })) as CatchUpResult;
      expect(t.gl.log.filter((r) => r.path.endsWith('/repository/tags')).map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2']);
      expect(result.tagsSeen).toBe(105);
      expect(result.notSemver).toEqual(['latest']);
      expect(result.messages[0]).toBe('No failed GitLab deliveries to redeliver.');
      expect(result.reconciled.map((r) => r.tag)).toEqual(['v0.9.0', ...names]);
      expect(result.reconciled.every((r) => r.outcome === 'ingested')).toBe(true);
      expect((await reconciled).message).toMatch(/Release from tag v0\.9\.0 came from tag reconciliation: GitLab never delivered a push for it/);
      const first = (await t.engine.invoke('deliveries.get', { id: result.reconciled[0]!.deliveryId })) as DeliveryDetail;
      expect(first).toMatchObject({ source: 'import', verdict: 'unchecked', event: 'Tag Push Hook' });
      expect(((await t.engine.invoke('releases.list', { packageId: created.id })) as Release[]).length).toBe(104);
      expect((await pkg(t.engine, created.id)).latestRelease).toBe('v1.0.102');
    });

    it("reads GitLab's RateLimit headers and Retry-After", async () => {
      const t = await setup(kind);
      t.gl.rate.remaining = 0;
      await expect(t.connect('glpat-good')).rejects.toThrow(/GitLab refused the call: rate limit reached \(HTTP 429: Retry later\)\. .*\(in 30 s\)/);
    });
  });
});
